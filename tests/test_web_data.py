"""The dashboard's data routes: JSON for dyads and the network, CSV downloads of what is on screen."""

from __future__ import annotations

import csv
import io

import pytest

pytest.importorskip("starlette")
pytest.importorskip("plotly")

from starlette.testclient import TestClient  # noqa: E402

import detente  # noqa: E402
from detente.web.app import create_app  # noqa: E402

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def client(web_store):
    with TestClient(create_app(str(web_store)), raise_server_exceptions=False,
                    base_url="http://127.0.0.1:8000") as c:  # a loopback Host: others get 400
        yield c


def test_dyads_json_matches_the_library(client, web_store):
    r = client.get("/api/dyads", params={"actors": "RUS,PRK", "freq": "Y"})
    assert r.status_code == 200, r.text
    data = r.json()
    assert data["freq"] == "Y" and data["rows"]
    db = detente.open(str(web_store))
    lib = db.dyad("RUS", "PRK", "Y")
    rus_prk = [row for row in data["rows"] if (row["source"], row["target"]) == ("RUS", "PRK")]
    assert [row["period"] for row in rus_prk] == list(lib.period)
    assert [row["events"] for row in rus_prk] == list(lib.events)
    assert all(isinstance(i, str) for row in rus_prk for i in row["event_ids"])


def test_network_json_has_nodes_and_edges_of_the_period(client):
    data = client.get("/api/network", params={"start": "2014-01-01", "end": "2016-12-31"}).json()
    assert data["edges"] and data["nodes"]
    nodes = {n["node"] for n in data["nodes"]}
    assert all(e["source"] in nodes and e["target"] in nodes for e in data["edges"])
    assert all("2014-01-01" <= e["first_date"] <= e["last_date"] <= "2016-12-31" for e in data["edges"])


def test_csv_downloads_follow_the_filters(client):
    r = client.get("/download/events.csv", params={"actors": "RUS,PRK", "limit": 2000})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    assert "attachment" in r.headers["content-disposition"]
    rows = list(csv.DictReader(io.StringIO(r.text)))
    api = client.get("/api/events", params={"actors": "RUS,PRK", "limit": 2000}).json()
    assert {row["event_id"] for row in rows} == {row["event_id"] for row in api["rows"]}
    assert all(row["cameo"][:1] == "0" or row["cameo"][:1] == "1" or row["cameo"][:1] == "2" for row in rows)
    dy = list(csv.DictReader(io.StringIO(client.get("/download/dyads.csv", params={"actors": "RUS,PRK"}).text)))
    assert dy and {(d["source"], d["target"]) for d in dy} <= {("RUS", "PRK"), ("PRK", "RUS")}
    net = list(csv.DictReader(io.StringIO(client.get("/download/network.csv").text)))
    assert net and {"source", "target", "events", "event_ids"} <= set(net[0])
    assert client.get("/download/secrets.csv").status_code == 404
    bad = client.get("/download/events.csv", params={"actors": "R1"})
    assert bad.status_code == 400 and "actors" in bad.json()["error"]


def test_dashboard_links_the_downloads_with_its_filters(client):
    html = client.get("/", params={"actors": "RUS,PRK"}).text
    assert 'id="downloads"' in html
    assert "/download/events.csv?actors=RUS%2CPRK" in html and "/api/network?actors=RUS%2CPRK" in html


# --- pictures an analyst can read (the parts that need no browser) ------------------------------

def test_outlet_section_obeys_actors_and_dates(client):
    import re

    def outlet_rows(html):
        sec = html.split('<section id="outlets">')[1].split("</section>")[0]
        body = sec.split('<table class="outlets">')[1].split("</table>")[0]
        return {m[0]: int(m[1]) for m in re.findall(r"<tr><td>([^<]+)</td><td>\d+</td><td>[^<]*</td><td>\d+</td>"
                                                   r"<td>(\d+)</td>", body)}

    everything = outlet_rows(client.get("/").text)
    scoped_html = client.get("/", params={"actors": "RUS,PRK", "start": "2016-01-01", "end": "2017-12-31"}).text
    scoped = outlet_rows(scoped_html)
    assert everything and scoped and 'id="outlets-scope"' in scoped_html
    assert sum(scoped.values()) < sum(everything.values())
    api = client.get("/api/events", params={"actors": "RUS,PRK", "start": "2016-01-01", "end": "2017-12-31",
                                            "limit": 2000}).json()
    per_outlet = {}
    for row in api["rows"]:
        for o in row["outlets"]:
            per_outlet[o] = per_outlet.get(o, 0) + 1
    assert scoped == {o: n for o, n in per_outlet.items() if o in scoped}


def test_page_has_triads_and_says_what_undated_events_it_left_out(client, web_store):
    html = client.get("/").text
    assert '<section id="triads">' in html and 'id="triad-table"' in html and "data-label=\"the triad" in html
    db = detente.open(str(web_store))
    undated = db.events[db.events.event_date.isna() & (db.events.modality == "asserted")]
    if len(undated):
        assert 'id="undated-note"' in html and f"left out {len(undated)} undated event(s)" in html


def test_dense_span_marks_a_lone_old_mention():
    import pandas as pd

    from detente.web.figures import dense_span, dyad_timeline

    dates = pd.Series(["1961-01-01"] + [f"20{y}-06-01" for y in range(14, 25)])
    lo, hi, out = dense_span(dates)
    assert lo.year == 2014 and hi.year == 2024 and list(out.dt.year) == [1961]
    assert dense_span(pd.Series([f"20{y}-01-01" for y in range(10, 20)]))[0] is None  # nothing to cut

    ev = pd.DataFrame([{"event_id": f"e{i}", "event_date": d, "goldstein": 3.0, "quad_class": 1,
                        "source_actor": "RUSGOV", "target_actor": "PRKGOV", "cameo": "040", "plover": "CONSULT"}
                       for i, d in enumerate(dates)])
    series = {("RUS", "PRK"): pd.DataFrame({"period": [d[:4] for d in dates], "events": 1, "goldstein_mean": 3.0,
                                            "label": "cooperative", "coop_index": 1.0,
                                            "event_ids": [[f"e{i}"] for i in range(len(dates))]})}
    fig = dyad_timeline(ev, series, "Y")
    assert pd.Timestamp(fig.layout.xaxis.range[0]).year == 2014
    assert any("1 event(s) in 1961" in a.text for a in fig.layout.annotations)
    assert fig.layout.xaxis.rangeslider.visible  # the period slider


def test_network_nodes_keep_apart_for_their_labels():
    import itertools
    import math

    import pandas as pd

    from detente.web.figures import MIN_NODE_GAP, _layout, label_positions

    codes = ["USA", "RUS", "CHN", "PRK", "KOR", "JPN", "UKR", "IRN", "SYR", "TUR", "DEU", "FRA"]
    edges = pd.DataFrame([{"source": a, "target": b, "events": 1 + (i % 4)}
                          for i, (a, b) in enumerate(itertools.combinations(codes, 2)) if i % 3 == 0])
    nodes = pd.DataFrame({"node": sorted(set(edges.source) | set(edges.target))})
    pos = _layout(nodes, edges)
    gaps = [math.dist(pos[a], pos[b]) for a, b in itertools.combinations(pos, 2)]
    assert min(gaps) >= MIN_NODE_GAP * 0.99
    where = label_positions(pos)
    assert set(where.values()) > {"top center"}  # labels point outwards, not all the same way


def test_network_has_a_period_slider_unless_a_period_is_chosen(client):
    def network_section(html):
        return html.split('<section id="network">')[1].split("</section>")[0]

    default = network_section(client.get("/").text)
    assert '"sliders"' in default and '"label":"2015"' in default.replace(" ", "")
    chosen = network_section(client.get("/", params={"period": "2015"}).text)
    assert '"sliders"' not in chosen


def test_slider_steps_show_one_period_each():
    import pandas as pd

    from detente.analysis.network import network
    from detente.web.figures import network_slider_figure

    ev = pd.DataFrame([{"event_id": f"e{i}", "source_actor": s, "source_country": s, "target_actor": t,
                        "target_country": t, "quad_class": 1, "goldstein": g, "modality": "asserted",
                        "event_date": d, "cameo": "040"}
                       for i, (s, t, g, d) in enumerate([("RUS", "PRK", 3.0, "2014-05-01"), ("CHN", "PRK", -2.0,
                                                         "2015-02-01"), ("RUS", "CHN", 1.0, "2015-03-01")])])
    per = {"2014": network(ev, "2014-01-01", "2014-12-31"), "2015": network(ev, "2015-01-01", "2015-12-31")}
    fig = network_slider_figure(per, "2015", *network(ev))
    steps = fig.layout.sliders[0].steps
    assert [s.label for s in steps] == ["2014", "2015"] and fig.layout.sliders[0].active == 1
    shown = [t.visible for t in fig.data]
    assert shown == steps[1].args[0]["visible"] and any(shown) and not all(shown)
