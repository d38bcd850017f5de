"""The package version, in the lowest layer so every module can read it."""

__version__ = "0.1.0"
