"""Reading the data files shipped inside the package (lexicons, tables, patterns), and the user cache folder."""

from __future__ import annotations

import os
from importlib import resources
from pathlib import Path

import yaml

CACHE_ENV = "DETENTE_CACHE_DIR"  # where derived resources are cached; "off" disables the cache


def package_text(package: str, relpath: str) -> str:
    """The text of ``relpath`` (e.g. ``data/dates.yaml``) inside ``package``."""
    return resources.files(package).joinpath(relpath).read_text("utf-8")


def package_yaml(package: str, relpath: str):
    """A packaged YAML file, parsed."""
    return yaml.safe_load(package_text(package, relpath))


def cache_dir() -> Path | None:
    """The folder of detente's derived-resource caches (the KB/lexicon pickle, the language model's
    arrays): ``$DETENTE_CACHE_DIR``, else ``$XDG_CACHE_HOME/detente`` or ``~/.cache/detente``;
    None when ``DETENTE_CACHE_DIR=off``. A cache only ever saves time: nothing reads it unchecked."""
    env = os.environ.get(CACHE_ENV)
    if env == "off":
        return None
    if env:
        return Path(env)
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "detente"
