"""Reading the data files shipped inside the package (lexicons, tables, patterns)."""

from __future__ import annotations

from importlib import resources

import yaml


def package_text(package: str, relpath: str) -> str:
    """The text of ``relpath`` (e.g. ``data/dates.yaml``) inside ``package``."""
    return resources.files(package).joinpath(relpath).read_text("utf-8")


def package_yaml(package: str, relpath: str):
    """A packaged YAML file, parsed."""
    return yaml.safe_load(package_text(package, relpath))
