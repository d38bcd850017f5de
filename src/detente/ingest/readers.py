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
import itertools
import json
import os
from collections.abc import Iterable, Iterator
from dataclasses import replace
from pathlib import Path

import yaml

from ..config import Config
from ..errors import InputSkipped
from ..types import Article, SkippedInput
from .clean import find_boilerplate, first_line, load_yaml_untrusted, mask, merge_spans, split_front_matter
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


def iter_files(paths: Iterable[str | os.PathLike], follow_symlinks: bool = False) -> Iterator[Path | SkippedInput]:
    """Every input file below ``paths`` in a stable order; missing paths and odd entries are skips.

    A folder walk never opens what is not a regular file: FIFOs, sockets and devices (a read
    would block or never end), dangling links and link loops are skips (E113). A link whose
    target leaves the folder given (``/etc/passwd``, a home folder) is followed only with
    ``follow_symlinks``; links to folders likewise, with loops cut. Paths named by the user
    are taken as given (links included).
    """
    for p in paths:
        path = Path(p)
        if path.is_dir():
            yield from _walk(path, follow_symlinks)
        elif path.is_file():
            yield path
        elif path.exists():
            yield SkippedInput(str(path), "E113", f"not a regular file ({_kind(path)})")
        else:
            yield SkippedInput(str(path), "E302", "input path does not exist")


def _walk(top: Path, follow_symlinks: bool) -> Iterator[Path | SkippedInput]:
    root = top.resolve()
    seen_dirs = {root}

    def inside(target: Path) -> bool:
        return target == root or root in target.parents

    def walk(folder: Path) -> Iterator[Path | SkippedInput]:
        try:
            entries = sorted(folder.iterdir())
        except OSError as e:
            yield SkippedInput(str(folder), "E109", e.strerror or str(e))
            return
        for f in entries:
            if f.name.startswith((".", "_")) or f.name.lower().startswith("readme"):
                continue
            if f.is_symlink():
                try:
                    target = f.resolve(strict=True)
                except FileNotFoundError:
                    yield SkippedInput(str(f), "E113", f"dangling symbolic link (to {os.readlink(f)})")
                    continue
                except (RuntimeError, OSError):  # RuntimeError: loop (Python < 3.13)
                    yield SkippedInput(str(f), "E113", "symbolic link loop")
                    continue
                if not inside(target) and not follow_symlinks:
                    yield SkippedInput(str(f), "E113", f"symbolic link to {target}, outside {top} "
                                       "(pass --follow-symlinks to read it)")
                    continue
                if target.is_dir():
                    if not follow_symlinks:
                        yield SkippedInput(str(f), "E113", "symbolic link to a folder (pass --follow-symlinks)")
                        continue
            if f.is_dir():
                if (f / "detente-store.json").is_file():
                    continue  # a detente store kept inside the input folder is not input
                real = f.resolve()
                if real in _ancestors(folder.resolve()):
                    yield SkippedInput(str(f), "E113", "symbolic link loop")
                    continue
                if real in seen_dirs:
                    yield SkippedInput(str(f), "E113", f"folder {real} already read through another link")
                    continue
                seen_dirs.add(real)
                yield from walk(f)
            elif f.is_file():
                yield f
            else:
                yield SkippedInput(str(f), "E113", f"not a regular file ({_kind(f)})")

    yield from walk(top)


def _ancestors(p: Path) -> set[Path]:
    return {p, *p.parents}


def _kind(path: Path) -> str:
    import stat

    try:
        mode = path.stat().st_mode
    except OSError:
        return "unreadable"
    for test, name in ((stat.S_ISFIFO, "FIFO"), (stat.S_ISSOCK, "socket"), (stat.S_ISCHR, "character device"),
                       (stat.S_ISBLK, "block device")):
        if test(mode):
            return name
    return "special file"


def read_inputs(paths: Iterable[str | os.PathLike], config: Config | None = None) -> Iterator[Item]:
    """Articles and skips for every file below ``paths``. Never raises for bad input."""
    config = config or Config()
    seen: dict[str, str] = {}
    sidecars: dict[Path, dict[str, dict]] = {}
    for f in iter_files(paths, config.follow_symlinks):
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
            rows, problem = _sidecar(path, sidecars)
            if problem:
                yield problem
            meta = rows.get(path.name) or rows.get(path.stem) or {}
            yield _plain(path, text, fmt, meta, config)
        elif fmt == "html":
            yield _html(path, text, config)
        else:
            yield from _records(path, text, fmt, config)
    except InputSkipped as e:
        yield SkippedInput(spath, e.code, e.reason)
    except RecursionError:
        yield SkippedInput(spath, "E105", "nested too deeply")


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
                yield SkippedInput(f"{spath}:{n}", "E105", f"line {n}: {_short(e)}")
            except RecursionError:
                yield SkippedInput(f"{spath}:{n}", "E105", f"line {n}: nested too deeply")
            except InputSkipped as e:
                yield SkippedInput(f"{spath}:{n}", e.code, e.reason)
        return
    if fmt == "json":
        try:
            data = json.loads(text)
        except json.JSONDecodeError as e:
            raise InputSkipped("E105", f"invalid JSON: {_short(e)}") from e
        except RecursionError:
            raise InputSkipped("E105", "JSON nested too deeply") from None
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
            except RecursionError:
                yield SkippedInput(f"{spath}#{n}", "E105", f"record {n} nested too deeply")
        return
    yield from _csv_records(path, text, config)


def _csv_records(path: Path, text: str, config: Config) -> Iterator[Item]:
    """CSV rows, one record each; a broken row is one E105 and the rows after it are still read.

    Parsing is strict, so an unclosed quote is an error rather than a field that silently swallows
    the rows after it; after an error the parser starts again on the line after the broken row's
    first line (the csv module cannot resume by itself). Field size is bounded only by the file
    size limit (the csv module's own default, 131,072 characters, would end the file at one long text).
    """
    spath = str(path)
    csv.field_size_limit(max(config.max_file_bytes, 131_072))
    lines = list(io.StringIO(text, newline=""))  # split where csv would: \n, \r, \r\n only
    header_reader = csv.reader(lines[:1], strict=True)
    try:
        header = next(header_reader)
    except (csv.Error, StopIteration) as e:
        yield SkippedInput(spath, "E105", f"CSV header: {e}")
        return
    start, n = 1, 0  # start: index in lines where the reader (re)starts
    while start < len(lines):
        reader = csv.DictReader(itertools.islice(lines, start, None), fieldnames=header, strict=True)
        row_first = start
        try:
            for rec in reader:
                n += 1
                row_first = start + reader.line_num
                try:
                    if None in rec:
                        raise InputSkipped("E105", f"row {n} has more cells than the header")
                    yield _record(path, rec, n, "csv", config)
                except InputSkipped as e:
                    yield SkippedInput(f"{spath}#{n}", e.code, e.reason)
            return
        except csv.Error as e:
            n += 1
            yield SkippedInput(f"{spath}#{n}", "E105", f"row {n} (line {row_first + 1}): {e}"
                               + ("; an unclosed quote?" if "expected" in str(e) or "end of data" in str(e) else ""))
            start = row_first + 1


def _short(e: Exception, limit: int = 200) -> str:
    """An error message cut to ``limit`` characters (a message may quote a huge input)."""
    m = " ".join(str(e).split())  # one line: parser messages quote the input over several lines
    return m if len(m) <= limit else m[:limit] + "…"


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


def _sidecar(path: Path, cache: dict) -> tuple[dict[str, dict], SkippedInput | None]:
    """The folder's sidecar metadata rows by file name or id, and (once per folder) the warning for
    an unusable sidecar: its files are then stored without metadata rather than stopping the run."""
    folder = path.parent
    if folder in cache:
        return cache[folder], None
    rows: dict[str, dict] = {}
    problem = None
    for name in SIDECARS:
        f = folder / name
        if not f.is_file():
            continue
        try:
            if f.stat().st_size > 50_000_000:
                raise ValueError("larger than 50 MB")
            text = f.read_text("utf-8")
            if name.endswith(".csv"):
                csv.field_size_limit(max(csv.field_size_limit(), 50_000_000))
                recs = list(csv.DictReader(io.StringIO(text), strict=True))
            elif name.endswith(".jsonl"):
                recs = [json.loads(line) for line in text.splitlines() if line.strip()]
            else:
                loaded = load_yaml_untrusted(text) or []
                recs = loaded if isinstance(loaded, list) else [dict(v, file=k) for k, v in loaded.items()]
            parsed: dict[str, dict] = {}
            for r in recs:
                if isinstance(r, dict):
                    r = _normalize_fields(r)
                    key = r.pop("file", None) or r.get("id")
                    if key:
                        parsed[str(key)] = r
            json.dumps({k: _jsonable(v) for k, v in parsed.items()})  # deep nesting fails here, not later
        except (OSError, ValueError, yaml.YAMLError, AttributeError, TypeError, csv.Error, RecursionError) as e:
            problem = SkippedInput(str(f), "E114", f"cannot read sidecar metadata ({_short(e)}); "
                                   "the files of this folder are stored without it. Each row needs 'file' "
                                   "(or 'id') plus metadata fields")
            continue
        rows.update(parsed)
    cache[folder] = rows
    return rows, problem


def make_article(article_id: str, text: str, source_path: str, fmt: str, fields: dict,
                 spans: list[tuple[int, int]], body_start: int, config: Config) -> Article:
    """Clean (mask), check language, fill metadata and hash one input text."""
    if len(text) > config.max_text_chars:
        raise InputSkipped("E112", f"{len(text):,} characters > limit {config.max_text_chars:,} "
                           "(raise it with --max-chars: long texts are parsed in pieces, but memory and time still grow with length)")
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
