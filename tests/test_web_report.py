"""The HTML report: self-contained, escaped, every chart point traceable to events and sentences."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser

import pytest

pytest.importorskip("plotly")
pytest.importorskip("jinja2")

from detente.web.filters import BadRequest, Filters, parse_filters  # noqa: E402
from detente.web.views import highlight  # noqa: E402


class Tags(HTMLParser):
    """Collects every tag with its attributes, and the inline script bodies."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict]] = []
        self.scripts: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        self._in_script = tag == "script"
        if self._in_script:
            self.scripts.append("")

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_script = False

    def handle_data(self, data):
        if self._in_script:
            self.scripts[-1] += data


def parse(html: str) -> Tags:
    p = Tags()
    p.feed(html)
    return p


@pytest.fixture(scope="module")
def snap(web_store):
    from detente.web.views import load_snapshot

    return load_snapshot(str(web_store))


@pytest.fixture(scope="module")
def report_html(web_store):
    from detente.web import render_report

    return render_report(str(web_store), parse_filters({"actors": "RUS,PRK"}))


# -- pure helpers -------------------------------------------------------------

def test_highlight_splits_sentence_into_marked_runs():
    s = "Russia sent fuel to North Korea."
    # article offsets: the sentence starts at 100
    runs = highlight(s, 100, [(100, 106, "src"), (120, 131, "tgt"), (107, 111, "trg")])
    assert "".join(t for t, _ in runs) == s
    assert [(t, c) for t, c in runs if c] == [("Russia", "src"), ("sent", "trg"), ("North Korea", "tgt")]


def test_highlight_trigger_wins_overlap_and_ignores_missing_spans():
    s = "the visit to Moscow"
    runs = highlight(s, 0, [(0, 9, "src"), (None, None, "tgt"), (4, 9, "trg")])
    assert runs == [("the ", "src"), ("visit", "trg"), (" to Moscow", "")]
    # spans outside the sentence are clipped, never raise
    assert "".join(t for t, _ in highlight(s, 10, [(0, 12, "src"), (25, 99, "tgt")])) == s


@pytest.mark.parametrize("params, message", [
    ({"actors": "RUS;DROP TABLE"}, "actor code"),
    ({"actors": "ru"}, "actor code"),
    ({"codes": "1'"}, "CAMEO"),
    ({"start": "2015-13-01"}, "not a date"),
    ({"start": "2016-01-01", "end": "2015-01-01"}, "after"),
    ({"modality": "rumoured"}, "modality"),
    ({"freq": "D"}, "freq"),
    ({"limit": "0"}, "limit"),
    ({"limit": "999999"}, "limit"),
    ({"limit": "ten"}, "number"),
    ({"period": "../../etc"}, "period"),
    ({"ids": "abc"}, "event id"),
    ({"q": "x" * 201}, "at most"),
    ({"outlets": "Nowhere Times"}, "no outlet"),
    ({"path": "/etc/passwd"}, "unknown parameter"),
])
def test_parse_filters_rejects_bad_input(params, message):
    with pytest.raises(BadRequest, match=message):
        parse_filters(params, known_outlets={"Meridian Wire"})


def test_parse_filters_normalises_good_input():
    f = parse_filters({"actors": "rus, prk", "codes": "036,04", "start": "2014-01-01", "modality": "asserted,intent",
                       "outlets": "Meridian Wire", "freq": "q", "period": "2015Q1", "limit": "50"},
                      known_outlets={"Meridian Wire"})
    assert f == Filters(actors=("RUS", "PRK"), start="2014-01-01", codes=("036", "04"), outlets=("Meridian Wire",),
                        modality=("asserted", "intent"), freq="Q", period="2015Q1", limit=50)
    assert parse_filters(f.query()) == f  # links that keep the selection round-trip


# -- the report over the seeds + examples store ----------------------------------

@pytest.mark.slow
def test_report_is_self_contained(report_html):
    p = parse(report_html)
    scripts = [a for t, a in p.tags if t == "script"]
    assert scripts and all("src" not in a for a in scripts), "every script is inline"
    for tag, attrs in p.tags:
        if tag in ("script", "link", "img", "iframe", "embed", "object", "source"):
            for k in ("src", "href", "data"):
                assert not re.match(r"(?i)\s*(https?:)?//", attrs.get(k) or ""), (tag, attrs)
    assert not any(t == "link" for t, _ in p.tags), "no stylesheet or preload links"
    assert "@import" not in report_html and not re.search(r"url\(\s*['\"]?(https?:)?//", report_html)
    csp = [a["content"] for t, a in p.tags if t == "meta" and a.get("http-equiv") == "Content-Security-Policy"]
    assert csp and "default-src 'none'" in csp[0] and "connect-src 'none'" in csp[0]
    from plotly.offline import get_plotlyjs

    js = get_plotlyjs()
    assert report_html.count(js[:200]) == 1, "plotly.js embedded exactly once"


@pytest.mark.slow
def test_report_sections_and_points_trace_to_events(report_html, snap):
    for section in ("timeline", "network", "patrons", "outlets", "events"):
        assert f'id="{section}"' in report_html
    assert "outlet framing not available" not in report_html  # framing is merged in this build
    assert "RUS–PRK" in report_html
    # every customdata id on the charts is an event of the store, and a row of the table
    rows = set(re.findall(r'<tbody class="event" id="ev-([0-9a-f]{16})"', report_html))
    known = set(snap.events.event_id)
    plotted = set()
    for div, payload in re.findall(r'Plotly\.newPlot\(\s*"(fig-[a-z]+)",\s*(\[.*?\]),\s*\{', report_html, re.S):
        for trace in json.loads(payload):
            for cd in trace.get("customdata") or []:
                cells = cd if isinstance(cd, list) else [cd]
                for c in cells:
                    plotted.update(str(c).split())
    assert plotted and plotted <= known
    timeline = re.search(r'Plotly\.newPlot\(\s*"fig-timeline",\s*(\[.*?\]),\s*\{', report_html, re.S)
    ids = {i for t in json.loads(timeline.group(1)) for cd in t["customdata"] for i in cd.split()}
    assert ids and ids <= rows, "every timeline point's events are in the table"


@pytest.mark.slow
def test_report_table_has_rus_prk_evidence_with_highlights(report_html, snap):
    from markupsafe import escape

    ev = snap.events
    rus_prk = ev[(ev.source_country == "RUS") & (ev.target_country == "PRK")]
    assert len(rus_prk) >= 5
    for event_id, mention_ids in zip(rus_prk.event_id, rus_prk.mention_ids):
        assert f'id="ev-{event_id}"' in report_html
        for m in snap.mentions[snap.mentions.mention_id.isin(mention_ids)].itertuples():
            # the marked text is the text at the stored offsets (sentence offsets are article offsets too)
            src = m.sentence[int(m.source_start) - m.start:int(m.source_end) - m.start]
            trg = m.sentence[m.trigger_start - m.start:m.trigger_end - m.start]
            assert src == m.source_text and trg == m.trigger
            assert f'<mark class="src">{escape(src)}</mark>' in report_html
            assert f'<mark class="trg">{escape(trg)}</mark>' in report_html


@pytest.mark.slow
def test_report_escapes_article_text(tmp_path, nlp):
    import detente
    from detente.web import render_report

    d = tmp_path / "in"
    d.mkdir()
    (d / "evil.md").write_text(
        "---\ntitle: \"<script>alert('t')</script>\"\noutlet: \"<img src=x onerror=alert(1)>\"\n"
        "published: 2020-05-01\nurl: \"javascript:alert(2)\"\n---\n"
        "Russia signed an agreement with North Korea on Monday <b onmouseover=alert(3)>here</b>.\n", "utf-8")
    store = tmp_path / "store"
    detente.analyze([d], store=str(store))
    html = render_report(str(store), Filters())
    assert "<img src=x" not in html and "<b onmouseover" not in html and "<script>alert" not in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html  # the outlet name, shown as text
    assert "&lt;script&gt;alert(" in html  # the title
    assert 'href="javascript:' not in html
