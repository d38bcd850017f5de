"""Imported by multiprocessing's fork server (the last of ``workers.FORKSERVER_PRELOAD``): load the
spaCy model, KB and lexicon there, once, when the parent named them in ``DETENTE_FORKSERVER_RESOURCES``.

Every worker forked from the fork server then starts with them in memory (copy-on-write pages
shared with the fork server) and its own :func:`detente.pipeline.load_resources` call is a cache
hit: two workers no longer load the model twice, one after the other's start, and the first parse
follows the fork at once. The fork server loads them while the parent reads the first batches. Any
error is left to the workers, which load the resources themselves and report it (E301, E304):
an exception here would stop the fork server instead.
"""

from __future__ import annotations

import gc
import json
import os

RESOURCES_VAR = "DETENTE_FORKSERVER_RESOURCES"


def _preload() -> None:
    spec = os.environ.get(RESOURCES_VAR)
    if not spec:
        return
    try:
        from ..pipeline import load_resources
        from .timeline import mark

        load_resources(*json.loads(spec))
        mark("fork server loaded")
        gc.freeze()  # the collector of each forked worker does not walk the model, KB and lexicon
    except Exception:  # noqa: BLE001 - see the module docstring
        pass


_preload()
