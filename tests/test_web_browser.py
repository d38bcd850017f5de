"""Browser tests in real headless Chromium (Debian's /usr/bin/chromium, driven by playwright).

The report is opened from file:// with every non-file request blocked and
recorded; the dashboard runs as ``detente serve`` in a subprocess on a free
loopback port. Both are clicked from a chart point or a table row through to
the evidence sentence, and screenshots are saved in ``tests/artifacts/``
(ignored by git; the paths are printed) for a person to look at.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("DETENTE_CHROMIUM", "/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]
ARTIFACTS = Path(__file__).parent / "artifacts"

pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(not Path(CHROMIUM).exists(), reason=f"{CHROMIUM} is not installed")]
sync_api = pytest.importorskip("playwright.sync_api")


@pytest.fixture(scope="module")
def playwright():
    with sync_api.sync_playwright() as p:
        yield p


@pytest.fixture
def browser(playwright, tmp_path):
    """A fresh Chromium profile per test; never a downloaded browser."""
    ctx = playwright.chromium.launch_persistent_context(
        str(tmp_path / "profile"), executable_path=CHROMIUM, args=ARGS, headless=True,
        viewport={"width": 1400, "height": 1000}, service_workers="block")
    yield ctx
    ctx.close()


def shot(page, name: str, **kw) -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / name
    page.screenshot(path=str(path), **kw)
    print(f"screenshot: {path}")
    return path


def wait_ready(page) -> None:
    page.wait_for_selector("body[data-ready='1']", timeout=90_000)


def click_point(page, div: str, trace: int, point: int) -> list[str]:
    """Click one marker of a Plotly trace with the mouse; returns the event ids in its customdata."""
    pts = page.locator(f"#{div} .scatterlayer .trace").nth(trace).locator("path.point")
    pts.nth(point).scroll_into_view_if_needed()
    box = pts.nth(point).bounding_box()
    assert box, "the point is drawn"
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.wait_for_timeout(200)
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    custom = page.evaluate(f"document.getElementById('{div}').data[{trace}].customdata[{point}]")
    return str(custom).split()


def visible_event_ids(page) -> list[str]:
    return page.eval_on_selector_all("tbody.event:not([hidden])", "els => els.map(e => e.dataset.id)")


# -- the report -------------------------------------------------------------

@pytest.fixture(scope="module")
def report_file(web_store, tmp_path_factory):
    from detente.web import parse_filters, render_report

    path = tmp_path_factory.mktemp("report") / "report.html"
    path.write_text(render_report(str(web_store), parse_filters({"actors": "RUS,PRK"})), "utf-8")
    return path


def test_report_offline_chart_click_shows_evidence(browser, report_file, web_store):
    requests: list[str] = []

    def guard(route):
        url = route.request.url
        if url.startswith("file://"):
            route.continue_()
        else:
            requests.append(url)
            route.abort()

    browser.route("**/*", guard)
    page = browser.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(report_file.as_uri())
    wait_ready(page)
    assert page.locator("#fig-timeline .scatterlayer .trace").count() >= 2, "timeline drawn by plotly.js"
    assert page.locator("#fig-network .scatterlayer .trace").count() >= 2, "network drawn"
    assert "RUS–PRK" in page.locator("#timeline h2").inner_text()
    page.locator("#timeline").scroll_into_view_if_needed()
    shot(page, "report-timeline-network.png")

    # click an event marker of the RUS–PRK timeline (trace 1 = the dyad's events): the first one
    # of 2015, the year of the seed articles, when there is one
    xs = page.evaluate("document.getElementById('fig-timeline').data[1].x")
    k = next((i for i, x in enumerate(xs) if str(x).startswith("2015")), len(xs) - 1)
    ids = click_point(page, "fig-timeline", 1, k)
    page.wait_for_selector("#selection:not([hidden])")
    assert visible_event_ids(page) == ids
    ev = page.locator(f"#ev-{ids[0]}")
    assert ev.locator("tr.evidence").is_visible()
    sentence = ev.locator("blockquote.sentence").first
    assert sentence.locator("mark.src").count() and sentence.locator("mark.trg").count()
    assert {t[:3] for t in ev.locator("tr.summary b").all_inner_texts()} == {"RUS", "PRK"}
    shot(page, "report-click-evidence.png")

    # the search box filters the table; clearing the selection shows every event again
    page.click("#clear")
    page.fill("#search", "pyongyang")
    assert 0 < len(visible_event_ids(page)) < page.locator("tbody.event").count()
    assert not requests, f"the report made network requests: {requests}"
    assert not errors, errors


def test_report_table_row_expands_to_highlighted_sentence(browser, report_file):
    page = browser.new_page()
    page.goto(report_file.as_uri())
    wait_ready(page)
    row = page.locator("tbody.event", has=page.locator("mark.tgt")).first
    row.locator("tr.summary").click()
    assert row.locator("tr.evidence").is_visible()
    marks = row.locator("tr.evidence mark")
    assert {c for c in marks.evaluate_all("els => els.map(e => e.className)")} >= {"src", "tgt", "trg"}
    row.locator("tr.summary").click()
    assert not row.locator("tr.evidence").is_visible()


# -- the dashboard ------------------------------------------------------------

def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server(web_store):
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "detente", "serve", "--store", str(web_store), "--port", str(port)],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    base = f"http://127.0.0.1:{port}"
    deadline = time.time() + 180
    try:
        while True:
            try:
                with urllib.request.urlopen(base + "/healthz", timeout=60) as r:
                    assert json.load(r)["events"] > 0
                break
            except OSError:
                if proc.poll() is not None or time.time() > deadline:
                    out = proc.stdout.read() if proc.poll() is not None else ""
                    pytest.fail(f"detente serve did not start: {out[-2000:]}")
                time.sleep(0.5)
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()


def test_dashboard_filter_to_rus_prk_and_drill_down(browser, server):
    foreign: list[str] = []
    browser.on("request", lambda r: None if r.url.startswith(server) else foreign.append(r.url))
    page = browser.new_page()
    page.goto(server + "/")
    wait_ready(page)
    page.fill("input[name=actors]", "RUS,PRK")
    with page.expect_navigation():
        page.click("#apply")
    wait_ready(page)
    assert "actors=RUS%2CPRK" in page.url or "actors=RUS,PRK" in page.url
    assert "RUS · PRK" in page.locator("header h1").inner_text()
    assert "RUS–PRK" in page.locator("#timeline h2").inner_text()
    ids = visible_event_ids(page)
    assert len(ids) >= 5
    page.locator("#timeline").scroll_into_view_if_needed()
    shot(page, "dashboard-rus-prk.png")

    # a table row expands to its evidence, with the actors and the trigger marked
    row = page.locator("tbody.event", has=page.locator("mark.src")).nth(2)
    row.locator("tr.summary").click()
    assert row.locator("tr.evidence").is_visible()
    assert row.locator("mark.src").count() and row.locator("mark.trg").count()
    row.scroll_into_view_if_needed()
    shot(page, "dashboard-row-evidence.png")

    # with a 5-row table, a click on the latest timeline event fetches its row from the server
    page.goto(server + "/?actors=RUS,PRK&limit=5")
    wait_ready(page)
    first_rows = visible_event_ids(page)
    assert len(first_rows) == 5
    n = page.locator("#fig-timeline .scatterlayer .trace").nth(1).locator("path.point").count()
    picked = click_point(page, "fig-timeline", 1, n - 1)
    assert not set(picked) & set(first_rows)
    page.wait_for_selector("#selection:not([hidden])")
    page.wait_for_function("n => document.querySelectorAll('tbody.event:not([hidden])').length === n",
                           arg=len(picked), timeout=30_000)
    assert sorted(visible_event_ids(page)) == sorted(picked)
    assert page.locator(f"#ev-{picked[0]} tr.evidence mark.src").count()
    shot(page, "dashboard-click-evidence.png")

    # drill down to the event page with every sentence behind the event
    first = page.locator("tbody.event:not([hidden])").first
    event_id = first.get_attribute("data-id")
    with page.expect_navigation():
        first.locator(f"a[href='/event/{event_id}']").click()
    assert page.url.endswith(f"/event/{event_id}")
    assert page.locator("blockquote.sentence").count() >= 1
    shot(page, "dashboard-event.png", full_page=True)

    # a bad filter is a 400 page with the message, not a traceback
    r = page.goto(server + "/?actors=RUS%27--")
    assert r.status == 400 and "actor code" in page.content() and "Traceback" not in page.content()
    assert not foreign, f"the dashboard fetched from elsewhere: {foreign}"


def test_dashboard_drill_down_above_215_ids_is_paged_not_truncated(browser, server):
    """A selection of 600 ids (over the 4,096-character query limit in one request) loads every row."""
    page = browser.new_page()
    frags: list[int] = []
    page.on("response", lambda r: frags.append(r.status) if "/fragment/events" in r.url else None)
    page.goto(server + "/?limit=5")
    wait_ready(page)
    shown = set(visible_event_ids(page))
    with urllib.request.urlopen(server + "/api/events?limit=2000", timeout=120) as r:
        real = [row["event_id"] for row in json.load(r)["rows"] if row["event_id"] not in shown][:590]
    assert len(real) > 20
    ids = real + [f"{i:016x}" for i in range(600 - len(real))]  # well-formed ids of no event fill it up
    page.evaluate("""ids => { var t = document.createElement('table'), tr = document.createElement('tr');
        tr.className = 'pick'; tr.dataset.ids = ids.join(' '); t.appendChild(tr); document.body.appendChild(t);
        tr.click(); }""", ids)
    # every row of the selection is loaded and matched; the table shows them a page (50 rows) at a time
    page.wait_for_function("n => document.querySelectorAll('tbody.event[data-match=\"1\"]').length === n",
                           arg=len(real), timeout=60_000)
    matched = page.evaluate("() => Array.from(document.querySelectorAll('tbody.event[data-match=\"1\"]'))"
                            ".map(tb => tb.dataset.id)")
    assert sorted(matched) == sorted(real)
    assert 0 < len(visible_event_ids(page)) <= 50
    assert len(frags) >= 4 and set(frags) == {200}, frags
    assert "could not be loaded" not in page.locator("#selection-text").inner_text()
