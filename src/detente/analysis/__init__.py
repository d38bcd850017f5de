"""Analysis over the store: consolidation of mentions into events (more to come)."""

from .consolidate import consolidate

__all__ = ["consolidate"]
