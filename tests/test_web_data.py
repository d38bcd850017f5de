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
    with TestClient(create_app(str(web_store)), raise_server_exceptions=False) as c:
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
