"""Ingest: read files and records, mask boilerplate, check language, fill metadata."""

from .clean import find_boilerplate, mask
from .readers import SUPPORTED, iter_files, make_article, read_inputs

__all__ = ["read_inputs", "iter_files", "make_article", "find_boilerplate", "mask", "SUPPORTED"]
