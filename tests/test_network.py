"""The actor network of a period, from constructed events (no model)."""

import networkx as nx
import pandas as pd
import pytest

from detente.analysis.network import network, to_networkx
from detente.errors import DetenteError
from test_relations import EVENTS, _ev


def test_edges_aggregate_distinct_asserted_events_in_the_window():
    nodes, edges = network(EVENTS, start="2013-01-01", end="2014-12-31")
    e = edges.set_index(["source", "target"])
    assert set(e.index) == {("CHN", "PRK"), ("RUS", "PRK"), ("PRK", "RUS")}
    chn = e.loc[("CHN", "PRK")]
    assert chn.events == 2 and chn.event_ids == ["e2", "e3"] and chn.label == "strained" and chn.sign == -1
    assert e.loc[("RUS", "PRK")].sign == 1 and e.loc[("RUS", "PRK")].first_date == "2014-05-06"
    n = nodes.set_index("node")
    assert n.loc["PRK"].events_in == 3 and n.loc["PRK"].events_out == 1 and n.loc["PRK"].partners == 2


def test_intent_is_left_out_unless_asked_and_self_loops_dropped():
    extra = pd.DataFrame([_ev(8, "RUS", "RUS", 1, 3.0, "2023-01-01")])
    ev = pd.concat([EVENTS, extra], ignore_index=True)
    _, asserted = network(ev, start="2023-01-01")
    assert asserted.events.tolist() == [1]
    _, everything = network(ev, start="2023-01-01", asserted_only=False)
    assert everything.events.tolist() == [2]


def test_actor_level_and_bad_level():
    _, edges = network(EVENTS, level="actor")
    assert "CHNGOV" in set(edges.source)
    with pytest.raises(DetenteError):
        network(EVENTS, level="planet")


def test_networkx_graph_keeps_attributes_and_writes_graphml(tmp_path):
    nodes, edges = network(EVENTS)
    g = to_networkx(nodes, edges)
    assert g["CHN"]["PRK"]["event_ids"] == "e1 e2 e3" and g.nodes["PRK"]["events_in"] == 5
    nx.write_graphml(g, tmp_path / "n.graphml")
    back = nx.read_graphml(tmp_path / "n.graphml")
    assert back["RUS"]["PRK"]["events"] == 2


def test_empty_window_gives_empty_tables():
    nodes, edges = network(EVENTS, start="1990-01-01", end="1990-12-31")
    assert nodes.empty and edges.empty and "event_ids" in edges.columns
