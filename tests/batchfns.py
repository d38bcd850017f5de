"""Batch functions for the engine tests; a module of their own so worker processes can import them."""

import os

from detente.pipeline import analyze_batch

CRASH_MARKER = "CRASH-THIS-WORKER"


def crash_on_marker(articles, res):
    """analyze_batch, except that a worker given the marker article dies as in a segfault."""
    if any(CRASH_MARKER in a.text for a in articles):
        os._exit(70)
    return analyze_batch(articles, res)


PARSE_FAIL_MARKER = "PARSER-CHOKES-ON-THIS"


class _ChokingNlp:
    """A spaCy pipeline stand-in that raises (as spaCy's E088 does) on texts holding the marker."""

    def __init__(self, nlp):
        self.nlp = nlp

    def _check(self, text):
        if PARSE_FAIL_MARKER in text:
            raise ValueError("[E088] Text of length 2100000 exceeds maximum of 2000000.")
        return text

    def __call__(self, text):
        return self.nlp(self._check(text))

    def pipe(self, texts, **kw):
        return self.nlp.pipe((self._check(t) for t in texts), **kw)


def parse_fails_on_marker(articles, res):
    """analyze_batch with a parser that fails on the marker article (the batch must survive it)."""
    from dataclasses import replace

    return analyze_batch(articles, replace(res, nlp=_ChokingNlp(res.nlp)))


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


class RaisesOn:
    """analyze_batch, except that a batch holding the given article raises (a bug in a batch function):
    for the Ray engine's error test."""

    def __init__(self, article_id: str):
        self.article_id = article_id

    def __call__(self, articles, res, batch_size: int = 16):
        if any(a.article_id == self.article_id for a in articles):
            raise RuntimeError(f"cannot analyse {self.article_id}")
        return analyze_batch(articles, res, batch_size)


def ids_only(articles, res, batch_size: int = 16):
    """The articles' ids, no analysis: for tests of how an engine moves batches."""
    return [a.article_id for a in articles]
