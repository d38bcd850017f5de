"""News from the web: ``detente analyze https://...`` for articles and RSS/Atom feeds, ``--urls FILE``.

A URL is fetched once, politely, and read like a local file:

* an **HTML page** becomes one Article (main text and metadata by trafilatura,
  as for ``.html`` files); ``url`` is the address it was fetched from, the
  outlet the page's site name or, failing that, its host;
* an **RSS or Atom feed** (parsed by feedparser) becomes one Article per item:
  each item's link is fetched as a page, the item's ``pubDate`` / ``updated``
  becomes ``published``, and the feed's title the outlet.

Politeness (:class:`Fetcher`): a ``User-Agent`` naming detente, connect and read
timeouts, retries with exponential backoff on connection errors, 429 and 5xx
(honouring ``Retry-After``), one request per host per ``fetch_delay`` seconds
(or the site's ``Crawl-delay`` if longer), robots.txt obeyed, and an on-disk
cache in the store (``_cache/http``) used for conditional GETs
(``If-None-Match`` / ``If-Modified-Since``): a re-run downloads only what
changed, and unchanged pages give unchanged articles, which are not analysed
again. HTTP is urllib3 (already required by trafilatura); robots.txt parsing
is the standard library's ``urllib.robotparser``.

Every failure is a numbered skip (E130-E134, E104, E110), like a bad file.
"""

from __future__ import annotations

import calendar
import hashlib
import json
import os
import re
import tempfile
import threading
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urldefrag, urlsplit
from urllib.robotparser import RobotFileParser

from ..version import __version__
from ..config import Config
from ..errors import InputSkipped
from ..types import Article, SkippedInput

USER_AGENT = f"detente/{__version__} (news event coder; +https://pypi.org/project/detente/)"
_HEADERS = {"User-Agent": USER_AGENT, "Accept-Encoding": "gzip, deflate"}
_URL = re.compile(r"^https?://", re.I)
_FEED_TYPES = ("application/rss+xml", "application/atom+xml", "application/feed+json", "application/rdf+xml")
_HTML_TYPES = ("text/html", "application/xhtml+xml")


def is_url(value) -> bool:
    """True for an ``http://`` or ``https://`` address (anything else is a local path)."""
    return isinstance(value, str) and bool(_URL.match(value.strip()))


def read_url_list(path: str | os.PathLike) -> list[str]:
    """The URLs of a ``--urls`` file: one a line; blank lines and ``#`` comments ignored."""
    out = []
    for line in Path(path).read_text("utf-8", errors="replace").splitlines():
        s = line.strip()
        if s and not s.startswith("#"):
            out.append(s)
    return out


@dataclass(frozen=True)
class Response:
    url: str  # the final URL, after redirects
    status: int
    body: bytes
    content_type: str
    from_cache: bool  # a 304: the body is the cached copy


def _http_cache_dir(store: str) -> Path:
    """Where fetched pages are cached: in the store folder, or for an object store (``s3://...``, whose
    mirror is uploaded and should not carry it) in detente's cache folder."""
    if "://" not in str(store):
        return Path(store) / "_cache" / "http"
    from ..resources import cache_dir

    return (cache_dir() or Path(tempfile.gettempdir()) / "detente") / "http"


class Fetcher:
    """Polite HTTP GETs with retries, a per-host rate limit, robots.txt and a conditional-GET cache."""

    def __init__(self, config: Config, cache_dir: str | os.PathLike | None = None):
        import urllib3

        self.config = config
        self.cache = Path(cache_dir) if cache_dir else _http_cache_dir(config.store)
        retries = urllib3.Retry(total=config.fetch_retries, connect=config.fetch_retries,
                                read=config.fetch_retries, status=config.fetch_retries,
                                backoff_factor=config.fetch_backoff, status_forcelist=(429, 500, 502, 503, 504),
                                allowed_methods=("GET",), respect_retry_after_header=True,
                                raise_on_status=False, redirect=5)
        self.http = urllib3.PoolManager(
            headers=dict(_HEADERS),
            timeout=urllib3.Timeout(connect=config.fetch_timeout, read=config.fetch_timeout), retries=retries)
        self._last: dict[str, float] = {}  # host -> monotonic time of the last request
        self._robots: dict[str, RobotFileParser | None] = {}
        self._lock = threading.Lock()
        self.requests = 0  # network requests made (for the run summary and tests)
        self.not_modified = 0  # of which answered 304 from the cache

    # --- politeness ---

    def _wait(self, host: str) -> None:
        delay = self.config.fetch_delay
        rp = self._robots.get(host)
        if rp is not None:
            cd = rp.crawl_delay(USER_AGENT)
            if cd:
                delay = max(delay, float(cd))
        with self._lock:
            last = self._last.get(host)
            now = time.monotonic()
            if last is not None and now - last < delay:
                time.sleep(delay - (now - last))
            self._last[host] = time.monotonic()

    def allowed(self, url: str) -> bool:
        """robots.txt of the URL's site allows detente's User-Agent (an unreachable robots.txt allows all)."""
        parts = urlsplit(url)
        host = parts.netloc.lower()
        if host not in self._robots:
            rp: RobotFileParser | None = None
            robots = f"{parts.scheme}://{parts.netloc}/robots.txt"
            try:
                self._wait(host)
                self.requests += 1
                r = self.http.request("GET", robots, preload_content=True)
                if r.status == 200:
                    rp = RobotFileParser(robots)
                    rp.parse(r.data.decode("utf-8", "replace").splitlines())
                elif r.status in (401, 403):  # RFC 9309: an unreachable robots.txt (4xx) allows crawling;
                    rp = None                  # access-denied is read the same way by the major crawlers
            except Exception:  # noqa: BLE001 - a robots.txt that cannot be read does not block the page
                rp = None
            self._robots[host] = rp
        rp = self._robots[host]
        return True if rp is None else rp.can_fetch(USER_AGENT, url)

    # --- the cache ---

    def _paths(self, url: str) -> tuple[Path, Path]:
        key = hashlib.sha256(url.encode("utf-8")).hexdigest()
        return self.cache / f"{key}.body", self.cache / f"{key}.json"

    def _cached(self, url: str) -> tuple[dict, bytes] | None:
        body, meta = self._paths(url)
        try:
            return json.loads(meta.read_text("utf-8")), body.read_bytes()
        except (OSError, ValueError):
            return None

    def _store(self, url: str, meta: dict, data: bytes) -> None:
        self.cache.mkdir(parents=True, exist_ok=True)
        body, m = self._paths(url)
        for path, payload in ((body, data), (m, json.dumps(meta).encode("utf-8"))):
            tmp = path.with_name(path.name + ".part")
            tmp.write_bytes(payload)
            os.replace(tmp, path)

    # --- GET ---

    def get(self, url: str) -> Response:
        """GET ``url`` (raises :class:`InputSkipped` with E130-E132 or E104)."""
        import urllib3

        url = urldefrag(url.strip())[0]
        if not is_url(url):
            raise InputSkipped("E134", url[:200])
        if not self.allowed(url):
            raise InputSkipped("E132", url)
        headers = dict(_HEADERS)  # per-request headers replace the pool's in urllib3, so always send them
        cached = self._cached(url)
        if cached:
            meta, _ = cached
            if meta.get("etag"):
                headers["If-None-Match"] = meta["etag"]
            if meta.get("last_modified"):
                headers["If-Modified-Since"] = meta["last_modified"]
        self._wait(urlsplit(url).netloc.lower())
        self.requests += 1
        try:
            r = self.http.request("GET", url, headers=headers, preload_content=False)
        except urllib3.exceptions.HTTPError as e:
            raise InputSkipped("E130", f"{url}: {type(e).__name__}: {_short(e)}") from None
        try:
            if r.status == 304 and cached:
                self.not_modified += 1
                meta, data = cached
                return Response(meta.get("url") or url, 200, data, meta.get("content_type", ""), True)
            if r.status >= 400:
                raise InputSkipped("E131", f"{url}: HTTP {r.status} {r.reason or ''}".strip())
            limit = self.config.max_file_bytes
            data = r.read(limit + 1, decode_content=True)
            if len(data) > limit:
                raise InputSkipped("E104", f"{url}: more than {limit:,} bytes")
        except urllib3.exceptions.HTTPError as e:
            raise InputSkipped("E130", f"{url}: {type(e).__name__}: {_short(e)}") from None
        finally:
            r.release_conn()
        final = r.geturl() or url
        if final and not is_url(final):  # a relative redirect target
            final = url
        ctype = (r.headers.get("Content-Type") or "").split(";")[0].strip().lower()
        self._store(url, {"url": final, "etag": r.headers.get("ETag"), "last_modified": r.headers.get("Last-Modified"),
                          "content_type": ctype, "fetched_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())},
                    data)
        return Response(final, r.status, data, ctype, False)


def _short(e: Exception) -> str:
    s = str(e)
    return s if len(s) < 160 else s[:157] + "..."


def _decode(data: bytes) -> str:
    from .decode import decode_bytes

    return decode_bytes(data)


def _looks_like_feed(resp: Response, text: str) -> bool:
    if resp.content_type in _FEED_TYPES:
        return True
    if resp.content_type in _HTML_TYPES:
        return False
    head = text[:2000].lstrip().lower()
    return head.startswith("<?xml") or "<rss" in head or "<feed" in head or "<rdf:rdf" in head


def _check_type(url: str, resp: Response) -> None:
    """E133 for content that is neither a page nor a feed (images, PDFs...), before trying to decode it."""
    t = resp.content_type
    if t and not (t in _HTML_TYPES or t in _FEED_TYPES or t.startswith("text/") or t.endswith(("+xml", "/xml"))):
        raise InputSkipped("E133", f"{url}: content type {t!r}")


def article_id_for(url: str) -> str:
    """A stable id for a web article: the host and a hash of the URL (the URL itself is in ``url``)."""
    host = (urlsplit(url).hostname or "web").lower()
    return f"{host}-{hashlib.sha1(url.encode('utf-8')).hexdigest()[:12]}"


def _page(url: str, resp: Response, config: Config, fields: dict) -> Article:
    """One fetched HTML page as an Article (``fields`` from the feed win over the page's metadata)."""
    import trafilatura

    from .readers import without_noscript, make_article

    _check_type(url, resp)
    html = _decode(resp.body)
    doc = trafilatura.bare_extraction(without_noscript(html), url=resp.url, with_metadata=True,
                                      include_comments=False)
    if doc is None:
        raise InputSkipped("E110", url)
    d = doc.as_dict() if hasattr(doc, "as_dict") else dict(doc)
    text = d.get("text") or ""
    if not text.strip():
        raise InputSkipped("E110", url)
    page = {"title": d.get("title"), "author": d.get("author"), "url": resp.url or url,
            "outlet": d.get("sitename") or urlsplit(resp.url or url).hostname, "published": d.get("date")}
    merged = {**page, **{k: v for k, v in fields.items() if v}}
    return make_article(article_id_for(merged["url"]), text, url, "html", merged, [], 0, config)


def _feed_items(resp: Response, text: str) -> tuple[str | None, list[dict]]:
    import feedparser

    parsed = feedparser.parse(text, response_headers={"content-location": resp.url})
    if not parsed.entries and parsed.bozo and not parsed.feed:
        raise InputSkipped("E133", f"{resp.url}: not a readable feed ({type(parsed.bozo_exception).__name__})")
    outlet = parsed.feed.get("title") or urlsplit(resp.url).hostname
    items = []
    for e in parsed.entries:
        when = e.get("published_parsed") or e.get("updated_parsed")
        published = time.strftime("%Y-%m-%d", time.gmtime(calendar.timegm(when))) if when else None
        items.append({"link": e.get("link"), "title": e.get("title"), "author": e.get("author"),
                      "published": published, "outlet": outlet})
    return outlet, items


def read_urls(urls: Iterable[str], config: Config, fetcher: Fetcher | None = None) -> Iterator[Article | SkippedInput]:
    """Articles (and numbered skips) for ``urls``: pages are read, feeds are expanded into their items."""
    fetcher = fetcher or Fetcher(config)
    seen: set[str] = set()
    for url in urls:
        url = url.strip()
        if url in seen:
            continue
        seen.add(url)
        try:
            resp = fetcher.get(url)
            _check_type(url, resp)
            text = _decode(resp.body)
            if not _looks_like_feed(resp, text):
                yield _page(url, resp, config, {})
                continue
            _, items = _feed_items(resp, text)
        except InputSkipped as e:
            yield SkippedInput(url, e.code, e.reason)
            continue
        for item in items:
            link = item.pop("link")
            if not link or link in seen:
                continue
            seen.add(link)
            try:
                yield _page(link, fetcher.get(link), config, {**item, "url": None})
            except InputSkipped as e:
                yield SkippedInput(link, e.code, e.reason)


def read_any(paths: Iterable[str], config: Config) -> Iterator[Article | SkippedInput]:
    """Local files and folders through :func:`detente.ingest.read_inputs`, http(s) URLs through :func:`read_urls`."""
    from .readers import read_inputs

    paths = [str(p) for p in paths]
    local = [p for p in paths if not is_url(p)]
    urls = [p for p in paths if is_url(p)]
    if local:
        yield from read_inputs(local, config)
    if urls:
        yield from read_urls(urls, config)
