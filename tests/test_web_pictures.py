"""Pictures an analyst can read, checked in headless Chromium, with screenshots in tests/artifacts/.

The report of the seeds plus the examples and the report of the seeds alone
(undated) are opened from file://; the tests check what a reader sees: the
timeline's dense span, network labels that do not overlap, a paginated event
table, the triads view, and the note on undated events.
"""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest

from test_web_browser import ARGS, CHROMIUM, shot, visible_event_ids, wait_ready

pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(not Path(CHROMIUM).exists(), reason=f"{CHROMIUM} is not installed")]
sync_api = pytest.importorskip("playwright.sync_api")


@pytest.fixture(scope="module")
def pw():
    with sync_api.sync_playwright() as p:
        yield p


@pytest.fixture
def browser(pw, tmp_path):
    ctx = pw.chromium.launch_persistent_context(
        str(tmp_path / "profile"), executable_path=CHROMIUM, args=ARGS, headless=True,
        viewport={"width": 1400, "height": 1000}, service_workers="block")
    yield ctx
    ctx.close()


def _report(store, path: Path, **filters) -> Path:
    from detente.web import parse_filters, render_report

    path.write_text(render_report(str(store), parse_filters(filters)), "utf-8")
    return path


@pytest.fixture(scope="module")
def seeds_alone(tmp_path_factory):
    """The four seed articles as they come: no publication dates."""
    import detente
    from conftest import SEEDS

    if not SEEDS.is_dir():
        pytest.skip("../shared is not present")
    store = tmp_path_factory.mktemp("seeds-alone") / "store"
    detente.analyze([SEEDS], store=str(store), workers=1)
    return store


def _boxes_overlap(a, b) -> bool:
    return not (a["x"] + a["width"] <= b["x"] or b["x"] + b["width"] <= a["x"]
                or a["y"] + a["height"] <= b["y"] or b["y"] + b["height"] <= a["y"])


def test_report_seeds_and_examples_reads_well(browser, web_store, tmp_path):
    page = browser.new_page()
    page.goto(_report(web_store, tmp_path / "r.html").as_uri())
    wait_ready(page)
    # the timeline opens on the dense span; far-off mentions are announced, not squeezed in
    rng = page.evaluate("document.getElementById('fig-timeline').layout.xaxis.range")
    xs = page.evaluate("document.getElementById('fig-timeline').data.flatMap(t => t.x)")
    years = sorted(int(str(x)[:4]) for x in xs)
    if years[0] < years[len(years) // 4] - 10:  # an outlier year in the data
        assert int(str(rng[0])[:4]) > years[0]
        assert any("off this axis" in t for t in page.locator("#fig-timeline .annotation").all_text_contents())
    page.locator("#timeline").scroll_into_view_if_needed()
    shot(page, "report-seeds-examples-timeline.png")

    # network labels do not overlap each other
    page.locator("#network").scroll_into_view_if_needed()
    labels = page.locator("#fig-network .textpoint text")
    boxes = [labels.nth(i).bounding_box() for i in range(labels.count())]
    assert len(boxes) >= 3
    clashes = [(i, j) for (i, a), (j, b) in itertools.combinations(enumerate(boxes), 2) if _boxes_overlap(a, b)]
    assert not clashes, clashes
    shot(page, "report-seeds-examples-network.png")

    # the triads view: a row click shows the events behind its ties
    page.locator("#triads").scroll_into_view_if_needed()
    shot(page, "report-seeds-examples-triads.png")
    rows = page.locator("#triad-table tr.pick")
    if rows.count():
        want = rows.first.get_attribute("data-ids").split()
        rows.first.click()
        page.wait_for_selector("#selection:not([hidden])")
        assert sorted(visible_event_ids(page)) == sorted(want)[:50]
        page.click("#clear")

    # the event table is paginated: 50 rows a page, next shows the following ones
    total = page.locator("tbody.event").count()
    first = visible_event_ids(page)
    if total > 50:
        assert len(first) == 50 and page.locator("#pager").is_visible()
        assert "page 1 of" in page.locator("#page-text").inner_text()
        page.click("#next")
        second = visible_event_ids(page)
        assert second and not set(second) & set(first)
        assert "page 2 of" in page.locator("#page-text").inner_text()
        page.click("#prev")
        assert visible_event_ids(page) == first
    page.locator("#events").scroll_into_view_if_needed()
    shot(page, "report-seeds-examples-events.png")
    shot(page, "report-seeds-examples-full.png", full_page=True)


def test_report_seeds_alone_says_why_charts_are_thin(browser, seeds_alone, tmp_path):
    page = browser.new_page()
    page.goto(_report(seeds_alone, tmp_path / "seeds.html").as_uri())
    wait_ready(page)
    note = page.locator("#undated-note")
    assert note.is_visible() and "undated event(s)" in note.inner_text()
    assert "no publication date" in note.inner_text()
    assert page.locator("tbody.event").count() > 0  # the events are there, with their sentences
    shot(page, "report-seeds-alone.png")
    shot(page, "report-seeds-alone-full.png", full_page=True)
