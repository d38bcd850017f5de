"""The one pure batch function every engine runs: Articles in, results out.

``analyze_batch`` does no I/O. It takes loaded resources (the spaCy pipeline,
the actor KB, the event lexicon) and a list of Articles, and returns one
:class:`ArticleResult` per article. The local runner, worker processes and the
Ray runner all call it, so they produce identical rows.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass
from functools import lru_cache

from . import resources
from .config import Config
from .ingest.clean import mask
from .types import ActorMention, Article, EventMention, SkippedInput

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Resources:
    """Everything the batch function needs, loaded once per process."""

    nlp: object
    kb: object
    lexicon: object
    model: str


@dataclass(frozen=True, slots=True)
class ArticleResult:
    article: Article
    actors: tuple[ActorMention, ...] = ()
    events: tuple[EventMention, ...] = ()
    skipped: SkippedInput | None = None


@lru_cache(maxsize=4)
def load_resources(model: str, user_actors: str | None = None, user_lexicon: str | None = None) -> Resources:
    """Load the pipeline, KB and lexicon once per process (the spaCy model is never pickled).

    The KB and lexicon come from a pickle cache when one matches (:func:`kb_and_lexicon`).
    """
    from .nlp import load_pipeline

    kb, lexicon = kb_and_lexicon(user_actors, user_lexicon)
    return Resources(load_pipeline(model), kb, lexicon, model)


CACHE_ENV = resources.CACHE_ENV  # where the KB/lexicon cache lives; "off" disables it
CACHE_KEEP = 8  # cache files kept (one per set of user files and detente build)


def kb_and_lexicon(user_actors=None, user_lexicon: str | None = None) -> tuple:
    """The actor KB and the event lexicon, from a pickle built at first use.

    Building them means parsing YAML and CSV files and deriving indexes (about
    0.6 s, more than the spaCy model takes to load); unpickling the result takes
    about 0.04 s. The cache file is keyed by everything the two are built from:
    the detente version, the package's location and every file in it (path,
    size, modification time: data files and the code that reads them), and the
    user files given. Any change means a new key, so a stale cache is never read. It
    lives in ``$DETENTE_CACHE_DIR`` or ``~/.cache/detente`` (``$XDG_CACHE_HOME``);
    ``DETENTE_CACHE_DIR=off`` turns it off. A cache that cannot be written
    (a read-only home) or read (truncated, from another Python) is ignored, and
    the two are built as before: the cache only ever saves time.
    Hand-written because this is a file cache of two in-memory objects keyed by
    their sources, which no library here does in a few lines (joblib.Memory
    hashes arguments, not the files behind them).
    """
    import pickle

    from .actors import load_kb
    from .coding import load_lexicon

    folder = _cache_dir()
    path = folder / f"kb-lexicon-{_sources_key(user_actors, user_lexicon)}.pickle" if folder else None
    if path is not None:
        try:
            with open(path, "rb") as f:
                return pickle.load(f)
        except FileNotFoundError:
            pass
        except Exception:  # noqa: BLE001 - a broken cache is rebuilt, never trusted
            log.info("resource cache %s unreadable; rebuilding it", path)
    kb, lexicon = load_kb(user_actors), load_lexicon(user_lexicon)
    if path is not None:
        _write_cache(path, (kb, lexicon))
    return kb, lexicon


def _cache_dir():
    return resources.cache_dir()


def _sources_key(user_actors, user_lexicon) -> str:
    import hashlib
    import os
    import sys
    from pathlib import Path

    from .version import __version__

    root = Path(__file__).resolve().parent
    # the install's own path too: the KB records where its data files are (the gazetteer is read from there)
    h = hashlib.sha1(f"{__version__}|{sys.version}|{root}".encode())
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if d != "__pycache__")
        for name in sorted(filenames):
            st = os.stat(os.path.join(dirpath, name))
            h.update(f"{os.path.relpath(os.path.join(dirpath, name), root)}|{st.st_size}|{st.st_mtime_ns}\n".encode())
    from .actors.kb import user_paths

    for u in [*user_paths(user_actors), user_lexicon]:
        if u is None:
            continue
        try:
            st = os.stat(u)
            h.update(f"user|{os.path.abspath(u)}|{st.st_size}|{st.st_mtime_ns}\n".encode())
        except OSError:
            h.update(f"user|{u}|missing\n".encode())
    return h.hexdigest()[:20]


def _write_cache(path, value) -> None:
    import os
    import pickle
    import tempfile

    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=".pickle")
        try:
            with os.fdopen(fd, "wb") as f:
                pickle.dump(value, f, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(tmp, path)  # atomic: a concurrent reader sees the old file or the whole new one
        except BaseException:
            os.unlink(tmp)
            raise
        old = sorted(path.parent.glob("kb-lexicon-*.pickle"), key=lambda p: p.stat().st_mtime, reverse=True)
        for p in old[CACHE_KEEP:]:
            p.unlink(missing_ok=True)
    except (OSError, pickle.PicklingError, TypeError, AttributeError) as e:
        log.info("resource cache not written (%s): the KB and lexicon are built each run", e)


def resources_for(config: Config) -> Resources:
    return load_resources(config.model, config.user_actors)


def pipeline_for(config: Config):
    """The spaCy pipeline alone (what the parse needs; the same cached object as ``resources_for(config).nlp``)."""
    from .nlp import load_pipeline

    return load_pipeline(config.model)


def parse_date(value: str | None) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value[:10])
    except ValueError:
        return None


def analyze_doc(doc, article_id: str, article_date: dt.date | None, res: Resources):
    """Actors and events of one parsed document."""
    from .actors import resolve_doc
    from .coding import code_doc

    actors = resolve_doc(doc, article_id, article_date, res.kb)
    events = code_doc(doc, actors, article_id, article_date, res.lexicon, res.kb)
    return actors, events


CHUNK_CHARS = 100_000  # longer texts are parsed in pieces of about this size
PIPE_BATCH = 16  # the texts nlp.pipe parses together in analyze_batch and parse_batch


def pipe_parts(batch: list[Article], size: int = PIPE_BATCH) -> list[list[Article]]:
    """A batch cut where :func:`parse_batch`'s ``nlp.pipe`` cuts it anyway (after every
    ``PIPE_BATCH`` texts it parses batched, i.e. not over ``CHUNK_CHARS``): each part,
    parsed on its own, is parsed together with the same texts, so its Docs (and rows) are
    those of the whole batch. Engines hand the parts out separately, so that the end of a
    run waits for one part, not a whole batch.

    A smaller ``size`` cuts finer (the workers' last batch, so that both workers end
    together): those parts are parsed with fewer texts beside them. spaCy's parse of a text
    does not depend on the texts parsed with it (each text's tokens are encoded and parsed
    apart; the matrix products of a batch compute each row on its own), and
    :func:`analyze_batch` already falls back to one text at a time; tested on the
    end-to-end corpus (tests/test_engines.py)."""
    parts: list[list[Article]] = [[]]
    n = 0
    for art in batch:
        if n == size and len(art.text) <= CHUNK_CHARS:
            parts.append([])
            n = 0
        parts[-1].append(art)
        n += len(art.text) <= CHUNK_CHARS
    return parts


def analyze_batch(articles: list[Article], res: Resources, batch_size: int = PIPE_BATCH) -> list[ArticleResult]:
    """Parse, resolve actors and code events for a batch of articles (pure: no I/O).

    One article must never sink its batch: when the batched parse fails (spaCy's E088 for a text
    over ``max_length``, or any error raised while parsing), the articles not yet returned are
    parsed one at a time and only the one that fails is skipped. Texts over ``CHUNK_CHARS`` are
    parsed apart, in pieces (:func:`parse_long`), so parse memory stays bounded per article.

    It is :func:`parse_batch` then :func:`finish_batch`; an engine may run the two halves in
    different threads (the in-process engine parses the next batch while it finishes this one).
    """
    return finish_batch(articles, parse_batch(articles, res, batch_size), res)


def parse_batch(articles: list[Article], res: Resources, batch_size: int = PIPE_BATCH) -> list:
    """The spaCy parse of each article of a batch: a Doc, or the exception its parse raised.

    Only spaCy runs here (most of its time is spent in compiled code that releases
    Python's GIL), so a thread can parse one batch while another finishes the last.
    """
    out: list = [None] * len(articles)
    short = [i for i, a in enumerate(articles) if len(a.text) <= CHUNK_CHARS]
    texts = (mask(articles[i].text, articles[i].masked) for i in short)
    try:
        for i, doc in zip(short, res.nlp.pipe(texts, batch_size=batch_size)):
            out[i] = doc
    except Exception:  # noqa: BLE001 - a parse error: redo the rest one by one, below
        log.warning("batched parse failed; parsing the rest of the batch one article at a time")
    for i, art in enumerate(articles):
        if out[i] is not None:
            continue
        try:
            out[i] = parse_long(res.nlp, mask(art.text, art.masked))
        except Exception as e:  # noqa: BLE001
            out[i] = e
    return out


def finish_batch(articles: list[Article], parsed: list, res: Resources) -> list[ArticleResult]:
    """Actors and events of a parsed batch (:func:`parse_batch`); a failed parse is a skip."""
    return [_skip_for_parse_error(art, doc) if isinstance(doc, BaseException) else _analyze_parsed(art, doc, res)
            for art, doc in zip(articles, parsed)]


def parse_long(nlp, text: str, size: int = CHUNK_CHARS):
    """Parse ``text`` in pieces of about ``size`` characters and join them into one Doc.

    spaCy's parser and tagger need memory in proportion to the text they see at once (about
    3 GB per million characters with the default model), so a long transcript parsed whole can
    exhaust a machine. The pieces end at a paragraph break when there is one, else a line break,
    a sentence end or a space (a hard cut only inside a single huge "word"), and they concatenate
    back to exactly ``text``, so every offset is an offset into the whole text. spaCy has no
    chunked parse of its own; ``Doc.from_docs`` keeps tokens, sentences, dependencies and entities.
    """
    if len(text) <= size:
        return nlp(text)
    from spacy.tokens import Doc

    docs = [nlp(piece) for piece in split_text(text, size)]
    doc = Doc.from_docs(docs, ensure_whitespace=False)
    if doc.text != text:  # pragma: no cover - split_text's pieces always join back
        raise ValueError("chunked parse changed the text")
    return doc


def split_text(text: str, size: int) -> list[str]:
    """Pieces of at most ``size`` characters that concatenate to ``text``, cut at the best break."""
    pieces, start = [], 0
    while len(text) - start > size:
        window = text[start:start + size]
        cut = -1
        for sep in ("\n\n", "\n", ". ", " "):
            k = window.rfind(sep, size // 2)
            if k != -1:
                cut = k + len(sep)
                break
        if cut == -1:
            cut = size
        pieces.append(text[start:start + cut])
        start += cut
    pieces.append(text[start:])
    return pieces


def _analyze_parsed(art: Article, doc, res: Resources) -> ArticleResult:
    if not any(t.is_alpha for t in doc):
        return ArticleResult(art, skipped=SkippedInput(art.source_path, "E111", "no sentences"))
    try:
        actors, events = analyze_doc(doc, art.article_id, parse_date(art.published), res)
    except Exception as e:  # a bug in one article must not sink the run; it is reported
        log.exception("internal error on %s", art.source_path)
        return ArticleResult(art, skipped=SkippedInput(
            art.source_path, "E199", f"internal error ({type(e).__name__}: {e}); please report it"))
    return ArticleResult(art, tuple(actors), tuple(events))


def _skip_for_parse_error(art: Article, e: Exception) -> ArticleResult:
    msg = str(e)
    if "[E088]" in msg:  # spaCy: text longer than nlp.max_length
        return ArticleResult(art, skipped=SkippedInput(
            art.source_path, "E112", f"{len(art.text):,} characters: longer than the parser accepts"))
    log.error("parse error on %s: %s", art.source_path, msg[:300])
    return ArticleResult(art, skipped=SkippedInput(
        art.source_path, "E199", f"internal error while parsing ({type(e).__name__}: {msg[:300]}); please report it"))
