"""Batch functions for the engine tests; a module of their own so worker processes can import them."""

import os

from detente.pipeline import analyze_batch

CRASH_MARKER = "CRASH-THIS-WORKER"


def crash_on_marker(articles, res):
    """analyze_batch, except that a worker given the marker article dies as in a segfault."""
    if any(CRASH_MARKER in a.text for a in articles):
        os._exit(70)
    return analyze_batch(articles, res)


class DiesOnce:
    """analyze_batch, except that the first call anywhere (a marker file records it) kills its process,
    as an out-of-memory kill or a lost node would: for the Ray actor-death test."""

    def __init__(self, marker: str):
        self.marker = marker

    def __call__(self, articles, res, batch_size: int = 16):
        try:
            fd = os.open(self.marker, os.O_CREAT | os.O_EXCL | os.O_WRONLY)
        except FileExistsError:
            return analyze_batch(articles, res, batch_size)
        os.close(fd)
        os._exit(1)
