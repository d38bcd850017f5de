"""Readers: files and folders in, Articles (or numbered skips) out.

Formats: .txt/.md (title = first non-empty line, optional YAML front matter),
.html (main text and metadata via trafilatura), .json/.jsonl/.csv records
(fields id, title, text, url, outlet, published, author; unknown fields are
kept in ``extra``). A folder may carry a sidecar metadata file ``_meta.csv``,
``_meta.jsonl`` or ``_meta.yaml`` whose rows (keyed by ``file`` or ``id``) add
metadata to plain-text files. Folder walks skip hidden files, files starting
with ``_`` and README files.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
from collections.abc import Iterable, Iterator
from dataclasses import replace
from pathlib import Path

import yaml

from ..config import Config
from ..errors import DetenteError, InputSkipped
from ..types import Article, SkippedInput
from .clean import find_boilerplate, first_line, mask, merge_spans, split_front_matter
from .dates import normalize_date
from .decode import decode_bytes
from .lang import is_english

SUPPORTED = {
    ".txt": "txt", ".text": "txt", ".md": "md", ".markdown": "md",
    ".html": "html", ".htm": "html", ".json": "json", ".jsonl": "jsonl",
    ".ndjson": "jsonl", ".csv": "csv",
}
SIDECARS = ("_meta.csv", "_meta.jsonl", "_meta.yaml", "_meta.yml")
KNOWN_FIELDS = ("id", "title", "text", "url", "outlet", "published", "author")
ALIASES = {
    "body": "text", "content": "text", "article": "text",
    "date": "published", "publish_date": "published", "published_at": "published",
    "pubdate": "published", "source": "outlet", "site": "outlet", "sitename": "outlet",
    "publisher": "outlet", "link": "url", "byline": "author", "headline": "title",
}

Item = Article | SkippedInput


def iter_files(paths: Iterable[str | os.PathLike]) -> Iterator[Path | SkippedInput]:
    """Every input file below ``paths`` in a stable order; missing paths are skips."""
    for p in paths:
        path = Path(p)
        if path.is_dir():
            for f in sorted(path.rglob("*")):
                rel = f.relative_to(path).parts
                if not f.is_file() or any(x.startswith((".", "_")) for x in rel):
                    continue
                if f.name.lower().startswith("readme"):
                    continue
                yield f
        elif path.is_file():
            yield path
        else:
            yield SkippedInput(str(path), "E302", "input path does not exist")


def read_inputs(paths: Iterable[str | os.PathLike], config: Config | None = None) -> Iterator[Item]:
    """Articles and skips for every file below ``paths``. Never raises for bad input."""
    config = config or Config()
    seen: dict[str, str] = {}
    sidecars: dict[Path, dict[str, dict]] = {}
    for f in iter_files(paths):
        if isinstance(f, SkippedInput):
            yield f
            continue
        for item in _read_file(f, config, sidecars):
            if isinstance(item, Article):
                item = _unique_id(item, seen)
            yield item


def _unique_id(art: Article, seen: dict[str, str]) -> Article:
    """Two different inputs with one id in a run: qualify the later one by its folder."""
    key = art.source_path.split("#")[0]
    prev = seen.get(art.article_id)
    if prev is None or prev == key:
        seen[art.article_id] = key
        return art
    new_id = f"{Path(key).parent.name}/{art.article_id}"
    seen[new_id] = key
    return replace(art, article_id=new_id)


def _read_file(path: Path, config: Config, sidecars: dict) -> Iterator[Item]:
    fmt = SUPPORTED.get(path.suffix.lower())
    spath = str(path)
    if fmt is None:
        yield SkippedInput(spath, "E108", f"unsupported file type {path.suffix or '(none)'!r}")
        return
    try:
        size = path.stat().st_size
        if size > config.max_file_bytes:
            raise InputSkipped("E104", f"{size:,} bytes > limit {config.max_file_bytes:,}")
        data = path.read_bytes()
        text = decode_bytes(data)
    except InputSkipped as e:
        yield SkippedInput(spath, e.code, e.reason)
        return
    except OSError as e:
        yield SkippedInput(spath, "E109", e.strerror or str(e))
        return
    try:
        if fmt in ("txt", "md"):
            meta = _sidecar(path, sidecars).get(path.name) or _sidecar(path, sidecars).get(path.stem) or {}
            yield _plain(path, text, fmt, meta, config)
        elif fmt == "html":
            yield _html(path, text, config)
        else:
            yield from _records(path, text, fmt, config)
    except InputSkipped as e:
        yield SkippedInput(spath, e.code, e.reason)


def _plain(path: Path, text: str, fmt: str, meta: dict, config: Config) -> Article:
    front, body_start = split_front_matter(text)
    fields = {**meta, **{str(k).lower(): v for k, v in front.items()}}
    spans = [(0, body_start)] if body_start else []
    return make_article(path.stem, text, str(path), fmt, fields, spans, body_start, config)


def _html(path: Path, html: str, config: Config) -> Article:
    import trafilatura

    doc = trafilatura.bare_extraction(without_noscript(html), with_metadata=True, include_comments=False)
    if doc is None:
        raise InputSkipped("E110")
    d = doc.as_dict() if hasattr(doc, "as_dict") else dict(doc)
    text = d.get("text") or ""
    if not text.strip():
        raise InputSkipped("E110")
    fields = {
        "title": d.get("title"), "author": d.get("author"), "url": d.get("url"),
        "outlet": d.get("sitename") or d.get("hostname"), "published": d.get("date"),
    }
    return make_article(path.stem, text, str(path), "html", fields, [], 0, config)


def without_noscript(html: str):
    """The page without its <noscript> banners: on a page that is all scripts, trafilatura
    would otherwise store "please enable JavaScript" as the article."""
    if "<noscript" not in html.lower():
        return html
    from lxml import etree
    from lxml import html as lxml_html

    try:
        tree = lxml_html.fromstring(html)
    except (etree.ParserError, ValueError):
        return html
    for el in list(tree.iter("noscript")):
        el.drop_tree()
    return tree


def _records(path: Path, text: str, fmt: str, config: Config) -> Iterator[Item]:
    spath = str(path)
    if fmt == "jsonl":
        for n, line in enumerate(text.splitlines(), 1):
            if not line.strip():
                continue
            try:
                rec = json.loads(line)
                if not isinstance(rec, dict):
                    raise ValueError("a line must hold one JSON object")
                yield _record(path, rec, n, fmt, config)
            except (ValueError, json.JSONDecodeError) as e:
                yield SkippedInput(f"{spath}:{n}", "E105", f"line {n}: {e}")
            except InputSkipped as e:
                yield SkippedInput(f"{spath}:{n}", e.code, e.reason)
        return
    if fmt == "json":
        try:
            data = json.loads(text)
        except json.JSONDecodeError as e:
            raise InputSkipped("E105", f"invalid JSON: {e}") from e
        if isinstance(data, dict):
            data = data.get("articles", [data]) if "text" not in data else [data]
        if not isinstance(data, list):
            raise InputSkipped("E105", "expected an object or a list of objects")
        for n, rec in enumerate(data, 1):
            try:
                if not isinstance(rec, dict):
                    raise InputSkipped("E105", f"record {n} is not an object")
                yield _record(path, rec, n, fmt, config)
            except InputSkipped as e:
                yield SkippedInput(f"{spath}#{n}", e.code, e.reason)
        return
    reader = csv.DictReader(io.StringIO(text, newline=""))
    try:
        for n, rec in enumerate(reader, 1):
            try:
                if None in rec:
                    raise InputSkipped("E105", f"row {n} has more cells than the header")
                yield _record(path, rec, n, fmt, config)
            except InputSkipped as e:
                yield SkippedInput(f"{spath}#{n}", e.code, e.reason)
    except csv.Error as e:
        yield SkippedInput(spath, "E105", f"CSV: {e}")


def _record(path: Path, rec: dict, n: int, fmt: str, config: Config) -> Article:
    fields = _normalize_fields(rec)
    text = fields.pop("text", None)
    if not isinstance(text, str) or not text.strip():
        raise InputSkipped("E105", f"record {n} has no 'text'")
    rid = fields.pop("id", None)
    article_id = str(rid) if rid not in (None, "") else f"{path.stem}-{n}"
    return make_article(article_id, text, f"{path}#{n}", fmt, fields, [], 0, config)


def _normalize_fields(rec: dict) -> dict:
    out: dict = {}
    for k, v in rec.items():
        key = ALIASES.get(str(k).strip().lower(), str(k).strip().lower())
        if key in out and key in KNOWN_FIELDS:
            continue
        out[key] = v
    return out


def _sidecar(path: Path, cache: dict) -> dict[str, dict]:
    folder = path.parent
    if folder in cache:
        return cache[folder]
    rows: dict[str, dict] = {}
    for name in SIDECARS:
        f = folder / name
        if not f.is_file():
            continue
        try:
            text = f.read_text("utf-8")
            if name.endswith(".csv"):
                recs = list(csv.DictReader(io.StringIO(text)))
            elif name.endswith(".jsonl"):
                recs = [json.loads(line) for line in text.splitlines() if line.strip()]
            else:
                loaded = yaml.safe_load(text) or []
                recs = loaded if isinstance(loaded, list) else [dict(v, file=k) for k, v in loaded.items()]
        except (OSError, ValueError, yaml.YAMLError, AttributeError, TypeError) as e:
            raise DetenteError("E304", f"{f}: cannot read sidecar metadata: {e}",
                               "each row needs 'file' (or 'id') plus metadata fields") from e
        for r in recs:
            if isinstance(r, dict):
                r = _normalize_fields(r)
                key = r.pop("file", None) or r.get("id")
                if key:
                    rows[str(key)] = r
    cache[folder] = rows
    return rows


def make_article(article_id: str, text: str, source_path: str, fmt: str, fields: dict,
                 spans: list[tuple[int, int]], body_start: int, config: Config) -> Article:
    """Clean (mask), check language, fill metadata and hash one input text."""
    bp_spans, bp_meta = find_boilerplate(text, body_start)
    masked_spans = merge_spans(list(spans) + bp_spans)
    clean = mask(text, masked_spans)
    if not clean.strip():
        raise InputSkipped("E107")
    ok, lang, prob = is_english(clean, config.min_english_confidence)
    if not ok:
        raise InputSkipped("E106", f"detected {lang!r} (p={prob:.2f})")
    fields = dict(fields)
    title = _s(fields.pop("title", None)) or first_line(clean)
    outlet = _s(fields.pop("outlet", None)) or bp_meta.get("outlet_hint")
    published = normalize_date(fields.pop("published", None))
    meta = {
        "title": title, "url": _s(fields.pop("url", None)), "outlet": outlet,
        "published": published, "author": _s(fields.pop("author", None)),
        "originally_published_by": _s(fields.pop("originally_published_by", None))
        or bp_meta.get("originally_published_by"),
    }
    fields.pop("id", None)
    extra = json.dumps({str(k): _jsonable(v) for k, v in fields.items()}, sort_keys=True, ensure_ascii=False)
    h = hashlib.sha256()
    h.update(text.encode("utf-8", "surrogatepass"))
    h.update(json.dumps(meta, sort_keys=True).encode())
    h.update(extra.encode())
    return Article(
        article_id=article_id, text=text, content_hash=h.hexdigest(), source_path=source_path,
        format=fmt, language=lang if lang != "und" else None, masked=masked_spans, extra=extra, **meta,
    )


def _s(v) -> str | None:
    if v is None:
        return None
    s = str(v).strip()
    return s or None


def _jsonable(v):
    if isinstance(v, (str, int, float, bool)) or v is None:
        return v
    if isinstance(v, (list, tuple)):
        return [_jsonable(x) for x in v]
    if isinstance(v, dict):
        return {str(k): _jsonable(x) for k, x in v.items()}
    return str(v)
