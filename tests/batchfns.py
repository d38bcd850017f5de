"""Batch functions for the engine tests; a module of their own so worker processes can import them."""

import os

from detente.pipeline import analyze_batch

CRASH_MARKER = "CRASH-THIS-WORKER"


def crash_on_marker(articles, res):
    """analyze_batch, except that a worker given the marker article dies as in a segfault."""
    if any(CRASH_MARKER in a.text for a in articles):
        os._exit(70)
    return analyze_batch(articles, res)
