"""Analysis over the store: consolidation of mentions into events (more to come)."""

from .consolidate import consolidate
from .stories import find_stories

__all__ = ["consolidate", "find_stories"]
