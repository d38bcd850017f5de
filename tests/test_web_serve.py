"""The dashboard's routes (Starlette TestClient): views, drill-down, validation, reads during writes."""

from __future__ import annotations

import re
import shutil
import threading

import pytest

pytest.importorskip("starlette")
pytest.importorskip("plotly")

from starlette.testclient import TestClient  # noqa: E402

from detente.web.app import create_app, fingerprint  # noqa: E402

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def client(web_store):
    with TestClient(create_app(str(web_store)), raise_server_exceptions=False,
                    base_url="http://127.0.0.1:8000") as c:
        yield c


@pytest.fixture(scope="module")
def rus_prk(client):
    r = client.get("/", params={"actors": "RUS,PRK"})
    assert r.status_code == 200
    return r.text


def _event_ids(html: str) -> list[str]:
    return re.findall(r'<tbody class="event" id="ev-([0-9a-f]{16})"', html)


def test_dashboard_renders_every_view(client):
    r = client.get("/")
    assert r.status_code == 200
    for section in ("filter", "timeline", "network", "patrons", "outlets", "events"):
        assert f'id="{section}"' in r.text
    assert '<script src="/static/plotly.min.js"></script>' in r.text
    assert "Content-Security-Policy" in r.headers and r.headers["X-Frame-Options"] == "DENY"


def test_actor_filter_keeps_only_the_dyad(client, rus_prk):
    ids = _event_ids(rus_prk)
    assert len(ids) >= 5
    api = client.get("/api/events", params={"actors": "RUS,PRK", "limit": 2000}).json()
    assert api["events"] == len(ids)
    for row in api["rows"]:
        assert {row["source_actor"][:3], row["target_actor"][:3]} == {"RUS", "PRK"}
        assert isinstance(row["cameo"], str) and re.fullmatch(r"\d{2,4}", row["cameo"])  # codes stay strings
        assert row["evidence"] and all(e["sentence"] for e in row["evidence"])


def test_filters_narrow_the_selection(client):
    every = client.get("/api/events", params={"limit": 2000}).json()["events"]
    coded = client.get("/api/events", params={"codes": "04", "limit": 2000}).json()
    assert 0 < coded["events"] < every
    assert all(r["cameo"].startswith("04") for r in coded["rows"])
    dated = client.get("/api/events", params={"start": "2023-01-01", "end": "2023-12-31", "limit": 2000}).json()
    assert dated["events"] and all("2023-01-01" <= r["event_date"] <= "2023-12-31" for r in dated["rows"])
    intent = client.get("/api/events", params={"modality": "intent", "limit": 2000}).json()
    assert intent["events"] and {r["modality"] for r in intent["rows"]} == {"intent"}
    outlet = client.get("/api/events", params={"outlets": "Meridian Wire", "limit": 2000}).json()
    assert outlet["events"] and all("Meridian Wire" in r["outlets"] for r in outlet["rows"])
    page = client.get("/", params={"outlets": "Meridian Wire", "modality": ["asserted", "intent"], "freq": "Q"})
    assert page.status_code == 200 and "selected modalities" in page.text


def test_drill_down_from_an_event_to_its_sentences(client, rus_prk):
    event_id = _event_ids(rus_prk)[0]
    r = client.get(f"/event/{event_id}")
    assert r.status_code == 200
    assert '<mark class="src">' in r.text and '<mark class="trg">' in r.text and "<blockquote" in r.text
    frag = client.get("/fragment/events", params={"ids": event_id})
    assert frag.status_code == 200 and _event_ids(frag.text) == [event_id]


@pytest.mark.parametrize("url, message", [
    ("/?actors=RUS'%20OR%201=1", "actor code"),
    ("/?codes=04;DROP", "CAMEO"),
    ("/?start=2015-02-30", "not a date"),
    ("/?limit=100000", "limit"),
    ("/?limit=-1", "limit"),
    ("/?outlets=Nowhere%20Times", "no outlet"),
    ("/?modality=rumour", "modality"),
    ("/?file=../../etc/passwd", "unknown parameter"),
    ("/?freq=Y&freq=M", "more than once"),
    ("/?q=" + "x" * 300, "at most"),
    ("/?actors=" + ",".join(["RUS"] * 20), "at most"),
    ("/event/not-an-id", "event id"),
    ("/fragment/events", "ids"),
    ("/fragment/events?ids=zzz", "event id"),
    ("/?actors=" + "A" * 5000, "query string"),
])
def test_bad_input_is_a_400_with_a_message(client, url, message):
    r = client.get(url)
    assert r.status_code == 400, r.text[:300]
    assert message in r.text
    assert "Traceback" not in r.text and "File \"" not in r.text


def test_api_errors_are_json(client):
    r = client.get("/api/events", params={"codes": "x"})
    assert r.status_code == 400 and "CAMEO" in r.json()["error"]


@pytest.mark.parametrize("url", ["/static/../pyproject.toml", "/static/%2e%2e/%2e%2e/etc/passwd",
                                 "/event/0000000000000000", "/event/..%2f..%2fetc%2fpasswd", "/views.sql",
                                 "/articles/x.parquet"])
def test_no_route_serves_store_or_user_paths(client, url):
    r = client.get(url)
    assert r.status_code == 404
    assert "root:" not in r.text and "CREATE" not in r.text


def test_read_only_routes(client):
    assert client.post("/").status_code == 405
    assert client.delete("/event/0000000000000000").status_code == 405


def test_internal_errors_have_no_traceback(web_store):
    def broken(store):
        raise RuntimeError("secret detail /home/x")

    with TestClient(create_app(str(web_store), loader=broken), raise_server_exceptions=False,
                    base_url="http://127.0.0.1:8000") as c:
        r = c.get("/")
    assert r.status_code == 500
    assert "secret detail" not in r.text and "Traceback" not in r.text


def test_keeps_serving_while_analyze_writes(web_store, tmp_path):
    """An analyze into the store while requests run: every response is a 200, and the new events appear."""
    import detente

    store = tmp_path / "store"
    shutil.copytree(web_store, store)
    src = tmp_path / "new"
    src.mkdir()
    (src / "late.md").write_text("---\noutlet: Late Wire\npublished: 2025-03-01\n---\n"
                                 "Russia signed a fuel supply agreement with Mongolia on Friday.\n\n"
                                 "Mongolia thanked Russia for the aid.\n", "utf-8")
    statuses: list[int] = []
    with TestClient(create_app(str(store)), raise_server_exceptions=False,
                    base_url="http://127.0.0.1:8000") as c:
        before = c.get("/healthz").json()["events"]
        key = fingerprint(store)
        done = threading.Event()
        writer = threading.Thread(target=lambda: (detente.analyze([src], store=str(store)), done.set()))
        writer.start()
        while not done.is_set():
            statuses.append(c.get("/api/events", params={"actors": "RUS", "limit": 5}).status_code)
        writer.join()
        assert fingerprint(store) != key
        after = c.get("/healthz").json()["events"]
        mng = c.get("/api/events", params={"actors": "MNG", "limit": 50}).json()
    assert statuses and set(statuses) == {200}
    assert after > before and mng["events"] >= 1


def test_serve_binds_loopback_by_default(web_store, monkeypatch):
    import uvicorn
    from typer.testing import CliRunner

    from detente.cli import app

    seen = {}
    monkeypatch.setattr(uvicorn, "run", lambda asgi, **kw: seen.update(kw))
    r = CliRunner().invoke(app, ["serve", "--store", str(web_store), "--port", "8765"])
    assert r.exit_code == 0, r.output
    assert seen["host"] == "127.0.0.1" and seen["port"] == 8765


def test_report_cli_writes_a_file_and_rejects_bad_actors(web_store, tmp_path):
    from typer.testing import CliRunner

    from detente.cli import app

    out = tmp_path / "r.html"
    r = CliRunner().invoke(app, ["report", "--store", str(web_store), "--output", str(out), "--actors", "RUS,PRK",
                                 "--freq", "Q"])
    assert r.exit_code == 0, r.output
    assert out.read_text("utf-8").startswith("<!doctype html>")
    bad = CliRunner().invoke(app, ["report", "--store", str(web_store), "--output", str(out), "--actors", "R1"])
    from detente.errors import DetenteError

    assert isinstance(bad.exception, DetenteError) and bad.exception.code == "E303"


@pytest.mark.parametrize("host, ok", [("127.0.0.1:8000", True), ("localhost:8000", True), ("[::1]:8000", True),
                                      ("LOCALHOST", True), ("evil.example:8000", False),
                                      ("127.0.0.1.evil.example", False), ("", False)])
def test_host_header_must_name_this_machine(web_store, host, ok):
    """DNS rebinding: a page on another site reaching 127.0.0.1 still sends its own host name."""
    with TestClient(create_app(str(web_store)), raise_server_exceptions=False,
                    base_url="http://127.0.0.1:8000") as c:
        r = c.get("/healthz", headers={"host": host})
        assert (r.status_code == 200) is ok and (ok or r.status_code == 400), (host, r.status_code)


def test_allow_host_adds_a_name(web_store):
    with TestClient(create_app(str(web_store), allowed_hosts=["dash.lan"]), raise_server_exceptions=False,
                    base_url="http://127.0.0.1:8000") as c:
        assert c.get("/healthz", headers={"host": "dash.lan:8000"}).status_code == 200
        assert c.get("/healthz", headers={"host": "other.lan"}).status_code == 400


def test_drill_down_pages_fit_the_query_limit(client):
    """The dashboard script asks for the rows of a selection PAGE ids at a time (the browser test clicks a
    600-id selection); a page as the script builds it must pass the server's query-string limit."""
    import re
    import urllib.parse

    from detente.web.app import MAX_QUERY
    from detente.web.render import environment

    js = environment().loader.get_source(environment(), "detente.js")[0]
    page = int(re.search(r"var PAGE = (\d+);", js).group(1))
    ids = [f"{i:016x}" for i in range(page)]
    query = "ids=" + urllib.parse.quote(",".join(ids), safe="") + f"&limit={page}"
    assert len(query) <= MAX_QUERY
    r = client.get("/fragment/events?" + query)
    assert r.status_code == 200


def test_fingerprint_changes_when_only_an_events_month_file_is_replaced(tmp_path):
    """Events are one file per month folder: the dashboard's reload key must see a month file rewritten
    (an update after the batch that triggered it, or a repair that adds no batch)."""
    from detente.store import Store
    from detente.types import Event

    def ev(n: int) -> Event:
        return Event(f"{n:016x}", "RUSGOV", "RUS", "CHNGOV", "CHN", "042", "04", 1, 1.9, "CONSULT", "asserted",
                     "2015-03-02", "day", n, 1, 1, "2015-03-02", "2015-03-02")

    st = Store(tmp_path / "s", create=True)
    with st.writer():
        st.write_partitions("events", {"2015-03": [ev(1)], "2015-04": [ev(2)]}, "t0", complete=True)
    key = fingerprint(st.path)
    with st.writer():
        st.write_partitions("events", {"2015-03": [ev(3)]}, "t1")
    assert fingerprint(st.path) != key
