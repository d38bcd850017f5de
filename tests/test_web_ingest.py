"""News from the web, against a local HTTP server on 127.0.0.1 (no outside network).

The server serves an RSS feed, an Atom feed, article pages, a robots.txt, a page
that fails once (503) before it works, a 404, and answers conditional GETs with
304. It records every request, so the tests check politeness, not just results.
"""

import email.utils
import hashlib
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

import detente
from detente.config import Config
from detente.ingest.web import USER_AGENT, Fetcher, is_url, read_urls
from detente.types import Article, SkippedInput

PAGE = """<!doctype html><html><head><title>{title}</title>
<meta property="og:site_name" content="Harbor Wire"></head><body><nav>Home | World | Sports</nav>
<article><h1>{title}</h1><p>{body}</p><p>Officials said the talks would continue next month in the capital,
and diplomats from both sides described the meeting as constructive and long overdue.</p></article>
<footer>Copyright Harbor Wire</footer></body></html>"""

ARTICLES = {
    "/news/lavrov.html": ("Lavrov in Pyongyang", "Russian Foreign Minister Sergei Lavrov met North Korean leader "
                                                 "Kim Jong Un in Pyongyang on Tuesday."),
    "/news/china.html": ("China criticizes Pyongyang", "China criticized North Korea on Monday over its "
                                                       "missile launch."),
    "/news/atom.html": ("Moscow and Tokyo", "Russia accused Japan of hostile steps on Wednesday."),
    "/news/flaky.html": ("Flaky", "Russian President Vladimir Putin praised North Korea on Friday."),
    "/private/secret.html": ("Secret", "Nothing to see here."),
}
RSS = """<?xml version="1.0"?><rss version="2.0"><channel><title>Harbor Wire</title><link>{base}/</link>
<item><title>Lavrov in Pyongyang</title><link>{base}/news/lavrov.html</link>
<pubDate>Thu, 19 Oct 2023 08:00:00 GMT</pubDate></item>
<item><title>China criticizes Pyongyang</title><link>{base}/news/china.html</link>
<pubDate>Tue, 05 Mar 2024 10:30:00 +0000</pubDate></item>
<item><title>Secret</title><link>{base}/private/secret.html</link><pubDate>Tue, 05 Mar 2024 10:30:00 +0000</pubDate></item>
<item><title>Gone</title><link>{base}/news/gone.html</link><pubDate>Tue, 05 Mar 2024 10:30:00 +0000</pubDate></item>
</channel></rss>"""
ATOM = """<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom"><title>Atom Desk</title>
<id>urn:x</id><updated>2022-02-01T00:00:00Z</updated>
<entry><title>Moscow and Tokyo</title><link href="{base}/news/atom.html"/><id>urn:1</id>
<updated>2022-02-01T09:00:00Z</updated></entry></feed>"""
ROBOTS = "User-agent: *\nDisallow: /private/\n"
MODIFIED = email.utils.formatdate(1_700_000_000, usegmt=True)


class Handler(BaseHTTPRequestHandler):
    log: list = []
    fails: dict = {}

    def log_message(self, *args):  # keep the test output clean
        pass

    def do_GET(self):  # noqa: N802 - the http.server API
        base = f"http://127.0.0.1:{self.server.server_port}"
        Handler.log.append((self.path, dict(self.headers)))
        if self.path == "/robots.txt":
            return self._send(200, ROBOTS.encode(), "text/plain")
        if self.path == "/feed.xml":
            return self._send(200, RSS.format(base=base).encode(), "application/rss+xml")
        if self.path == "/atom":
            return self._send(200, ATOM.format(base=base).encode(), "application/atom+xml")
        if self.path == "/news/flaky.html" and Handler.fails.get(self.path, 0) < 1:
            Handler.fails[self.path] = Handler.fails.get(self.path, 0) + 1
            return self._send(503, b"busy", "text/plain", {"Retry-After": "0"})
        if self.path == "/image.png":
            return self._send(200, b"\x89PNG\r\n\x1a\n" + b"\0" * 100, "image/png")
        if self.path in ARTICLES:
            title, body = ARTICLES[self.path]
            return self._send(200, PAGE.format(title=title, body=body).encode(), "text/html; charset=utf-8")
        return self._send(404, b"not found", "text/plain")

    def _send(self, status, body, ctype, extra=None):
        etag = '"' + hashlib.sha1(body).hexdigest()[:16] + '"'
        if status == 200 and self.path != "/robots.txt" and self.headers.get("If-None-Match") == etag:
            self.send_response(304)
            self.send_header("ETag", etag)
            self.end_headers()
            return
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        if status == 200:
            self.send_header("ETag", etag)
            self.send_header("Last-Modified", MODIFIED)
        for k, v in (extra or {}).items():
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(body)


@pytest.fixture()
def server():
    Handler.log, Handler.fails = [], {}
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    t = threading.Thread(target=httpd.serve_forever, daemon=True)
    t.start()
    yield f"http://127.0.0.1:{httpd.server_port}"
    httpd.shutdown()
    httpd.server_close()


def _config(tmp_path, **kw):
    return Config(store=str(tmp_path / "store"), fetch_delay=0.0, fetch_backoff=0.0, fetch_timeout=5.0, **kw)


def test_is_url():
    assert is_url("https://example.org/a") and is_url("HTTP://x") and not is_url("examples/articles")
    assert not is_url("ftp://x") and not is_url(None)


def test_feed_items_become_articles_with_feed_dates_urls_and_outlet(server, tmp_path):
    items = list(read_urls([f"{server}/feed.xml"], _config(tmp_path)))
    arts = {a.url: a for a in items if isinstance(a, Article)}
    skips = {s.path: s for s in items if isinstance(s, SkippedInput)}
    lavrov = arts[f"{server}/news/lavrov.html"]
    assert lavrov.published == "2023-10-19" and lavrov.outlet == "Harbor Wire" and lavrov.title == "Lavrov in Pyongyang"
    assert "Sergei Lavrov met" in lavrov.text and "Home | World" not in lavrov.text  # boilerplate left out
    assert arts[f"{server}/news/china.html"].published == "2024-03-05"
    assert skips[f"{server}/private/secret.html"].code == "E132"  # robots.txt
    assert skips[f"{server}/news/gone.html"].code == "E131" and "404" in skips[f"{server}/news/gone.html"].reason
    assert not any(p.startswith("/private/") for p, _ in Handler.log), "robots.txt must be obeyed"
    assert all(h.get("User-Agent") == USER_AGENT for _, h in Handler.log)
    assert sum(p == "/robots.txt" for p, _ in Handler.log) == 1  # once per host


def test_atom_feed_and_single_pages(server, tmp_path):
    items = list(read_urls([f"{server}/atom", f"{server}/news/china.html", f"{server}/image.png",
                            f"{server}/nothing-here"], _config(tmp_path)))
    by_url = {(i.url if isinstance(i, Article) else i.path): i for i in items}
    atom = by_url[f"{server}/news/atom.html"]
    assert atom.published == "2022-02-01" and atom.outlet == "Atom Desk"
    page = by_url[f"{server}/news/china.html"]
    assert isinstance(page, Article) and page.outlet == "Harbor Wire" and page.published is None
    assert by_url[f"{server}/image.png"].code == "E133"
    assert by_url[f"{server}/nothing-here"].code == "E131"


def test_retries_a_busy_server_and_reports_an_unreachable_one(server, tmp_path):
    items = list(read_urls([f"{server}/news/flaky.html"], _config(tmp_path, fetch_retries=2)))
    assert isinstance(items[0], Article) and "Putin praised" in items[0].text
    assert [p for p, _ in Handler.log].count("/news/flaky.html") == 2
    Handler.fails.clear()
    items = list(read_urls([f"{server}/news/flaky.html".replace("flaky", "flaky")], _config(tmp_path / "b",
                                                                                             fetch_retries=0)))
    assert items[0].code == "E131" and "503" in items[0].reason
    dead = list(read_urls(["http://127.0.0.1:9/x.html"], _config(tmp_path / "c", fetch_retries=0)))
    assert isinstance(dead[0], SkippedInput) and dead[0].code == "E130"


def test_rate_limit_spaces_requests_to_one_host(server, tmp_path, monkeypatch):
    import detente.ingest.web as web

    clock = {"now": 100.0}
    slept = []

    def sleep(s):
        slept.append(round(s, 6))
        clock["now"] += s

    monkeypatch.setattr(web.time, "monotonic", lambda: clock["now"])
    monkeypatch.setattr(web.time, "sleep", sleep)
    cfg = Config(store=str(tmp_path / "store"), fetch_delay=0.3, fetch_backoff=0.0, fetch_timeout=5.0)
    f = Fetcher(cfg)
    for path in ("/news/lavrov.html", "/news/china.html"):
        f.get(server + path)
    # robots.txt, then two pages on a frozen clock: each later request waits the full delay
    assert slept == [0.3, 0.3]
    f.get("http://localhost:" + server.rsplit(":", 1)[1] + "/news/atom.html")
    # another host: its robots.txt goes at once (no wait), its page waits after that robots.txt
    assert slept == [0.3, 0.3, 0.3]


def test_conditional_get_reuses_the_cache(server, tmp_path):
    cfg = _config(tmp_path)
    first = list(read_urls([f"{server}/feed.xml"], cfg))
    n_first = len(Handler.log)
    again = list(read_urls([f"{server}/feed.xml"], cfg))
    later = Handler.log[n_first:]
    assert [a.content_hash for a in first if isinstance(a, Article)] == \
        [a.content_hash for a in again if isinstance(a, Article)]
    page_requests = [(p, h) for p, h in later if p.startswith("/news/lavrov")]
    assert page_requests and all("If-None-Match" in h for _, h in page_requests)


def test_analyze_cli_takes_urls_and_a_url_file(server, tmp_path):
    store = tmp_path / "s"
    urls = tmp_path / "urls.txt"
    urls.write_text(f"# my sources\n{server}/feed.xml\n\n{server}/atom\n", "utf-8")
    r = subprocess.run([sys.executable, "-m", "detente", "analyze", "--urls", urls, "--store", store,
                        "--workers", "1", "--fetch-delay", "0", "-q"], capture_output=True, text=True,
                       env={**__import__("os").environ, "COLUMNS": "200"})
    assert r.returncode == 0, r.stderr
    assert "E132" in r.stdout and "E131" in r.stdout, r.stdout
    db = detente.open(store)
    arts = db.articles
    assert len(arts) == 3 and set(arts.outlet) == {"Harbor Wire", "Atom Desk"}
    assert set(arts.url) == {f"{server}/news/lavrov.html", f"{server}/news/china.html", f"{server}/news/atom.html"}
    assert len(db.mentions) > 0
    # a re-run fetches nothing new and stores nothing
    n = len(Handler.log)
    r = subprocess.run([sys.executable, "-m", "detente", "analyze", f"{server}/atom", "--store", store,
                        "--workers", "1", "--fetch-delay", "0", "-q"], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    assert detente.open(store).runs.iloc[-1].articles_stored == 0
    assert all("If-None-Match" in h for p, h in Handler.log[n:] if p != "/robots.txt")
