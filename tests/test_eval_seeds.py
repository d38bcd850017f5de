"""The seed scorer (detente.evaluate.score_seeds) and the shipped seed gold.

The scoring rules are checked on hand-made events (no model); the gold file is checked
for shape and, when ../shared is present, for every evidence quote standing in its
article; the end-to-end figures are checked to be computed (not asserted to a value:
they are reported in the README)."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace as NS

import pytest

from conftest import SEEDS
from detente.evaluate import format_table, load_seed_gold, score_seeds, seed_key

TEXT = "Russia attacked Ukraine. China may send aid to Iran. The UN praised Chile."


def ev(src, tgt, plover, modality="asserted", trig=0, start=0, end=24, hedged=False, sc=None,
       tc=None):
    return NS(source_actor=src, target_actor=tgt, source_country=sc, target_country=tc,
              plover=plover, modality=modality, trigger_start=trig, start=start, end=end,
              hedged=hedged)


GOLD = {"x": {"core": [
    {"source": "RUSMIL", "target": "UKR", "plover": ["ASSAULT"], "evidence": "Russia attacked Ukraine."},
    {"source": "IGOUNO", "target": "CHL", "plover": ["SUPPORT"], "evidence": "The UN praised Chile."}],
    "acceptable": [{"source": "CHL", "target": "IGOUNO", "plover": ["SUPPORT"], "mutual": True,
                    "evidence": "praised"}],
    "not_asserted": [{"kind": "hypothetical", "evidence": "China may send aid to Iran."},
                     {"kind": "speculated", "evidence": "Russia attacked"}]}}


def rows_of(events):
    rows, details = score_seeds(GOLD, {"x": TEXT}, {"x": events})
    return {r.metric: r for r in rows}, details


def test_seed_key_is_country_or_whole_igo_code():
    assert [seed_key(c) for c in ("RUSGOV", "USA", "IGOUNO", None)] == ["RUS", "USA", "IGOUNO", None]


def test_core_found_at_country_level_with_the_type():
    r, d = rows_of([ev("RUSGOV", "UKRMIL", "ASSAULT")])
    assert r["seed_core_recall"].value == 0.5 and r["seed_core_recall"].n == 2
    assert [g["target"] for _, g in d["missed"]] == ["CHL"]
    # the right dyad with another type is found "dyad only", not found
    r, _ = rows_of([ev("RUS", "UKR", "COERCE")])
    assert r["seed_core_recall"].value == 0.0 and r["seed_core_dyad"].value == 0.5
    # direction matters unless the entry is mutual; an IGO compares by its whole code
    r, _ = rows_of([ev("UKR", "RUS", "ASSAULT"), ev("IGOEUR", "CHL", "SUPPORT")])
    assert r["seed_core_recall"].value == 0.0


def test_same_sentence_variant_needs_the_evidence_sentence():
    r, _ = rows_of([ev("RUS", "UKR", "ASSAULT", start=25, end=52)])
    assert r["seed_core_recall"].value == 0.5 and "same sentence 0.00" in r["seed_core_recall"].note
    r, _ = rows_of([ev("RUS", "UKR", "ASSAULT", start=0, end=24)])
    assert "same sentence 0.50" in r["seed_core_recall"].note


def test_precision_counts_asserted_dyadic_typed_events():
    events = [ev("RUS", "UKR", "ASSAULT"),          # core
              ev("CHL", "IGOUNO", "SUPPORT"),       # acceptable, mutual
              ev("CHN", "IRN", "AID"),              # no gold entry: wrong
              ev("CHN", "IRN", "AID", modality="hypothetical"),  # not asserted: not scored
              ev("RUS", None, "ASSAULT"),           # no target: not scored
              ev("RUS", "UKR", None)]               # no PLOVER type: not scored, counted
    r, d = rows_of(events)
    p = r["seed_approx_precision"]
    assert (p.n, round(p.value, 3)) == (3, 0.667) and "1 without a PLOVER type" in p.note
    assert [e.target_actor for _, e in d["unmatched"]] == ["IRN"]


def test_asserted_hypotheticals_by_trigger_inside_the_clause():
    i = TEXT.index("send")
    r, d = rows_of([ev("CHN", "IRN", "AID", trig=i), ev("CHN", "IRN", "AID", trig=i,
                                                         modality="hypothetical")])
    assert r["seed_asserted_hypotheticals"].value == 1.0 and len(d["asserted_hypotheticals"]) == 1
    # speculation is an error only when asserted and not hedged
    r, d = rows_of([ev("RUS", "UKR", "ASSAULT", trig=7, hedged=True)])
    assert "speculation: 0" in r["seed_asserted_hypotheticals"].note
    r, d = rows_of([ev("RUS", "UKR", "ASSAULT", trig=7)])
    assert r["seed_asserted_hypotheticals"].value == 0.0
    assert "speculation: 1" in r["seed_asserted_hypotheticals"].note


def test_table_marks_asserted_hypotheticals_lower_is_better():
    r, _ = rows_of([])
    out = format_table([r["seed_asserted_hypotheticals"]])
    assert " yes" in out
    r, _ = rows_of([ev("CHN", "IRN", "AID", trig=TEXT.index("send"))])
    assert " NO" in format_table([r["seed_asserted_hypotheticals"]])


def test_shipped_gold_has_the_documented_shape():
    gold = load_seed_gold()
    assert sorted(gold) == ["000", "001", "002", "003"]
    kinds = {"hypothetical", "conditional", "counterfactual", "future", "negated", "speculated"}
    n_core = 0
    for g in gold.values():
        assert isinstance(g["date"], dt.date) and g["file"].endswith(".txt")
        for e in g["core"] + g["acceptable"]:
            assert e["plover"] and all(p.isupper() for p in e["plover"])
            assert len(e["source"]) >= 3 and len(e["target"]) >= 3
        n_core += len(g["core"])
        assert all(x["kind"] in kinds for x in g["not_asserted"])
    assert n_core >= 25


@pytest.mark.skipif(not SEEDS.is_dir(), reason="../shared is not present")
def test_every_gold_quote_stands_in_its_article():
    from detente.evaluate import _locate  # noqa: PLC2701 - the scorer's own quote finder

    for seed, g in load_seed_gold().items():
        text = (SEEDS / g["file"]).read_text("utf-8")
        for lst in ("core", "acceptable", "not_asserted"):
            for e in g[lst]:
                assert _locate(text, e["evidence"]), (seed, lst, e["evidence"])


@pytest.mark.skipif(not SEEDS.is_dir(), reason="../shared is not present")
def test_seed_rows_are_computed_on_the_seeds(nlp, lex):
    from detente.actors import load_kb
    from detente.evaluate import run_seed_eval

    rows, details = run_seed_eval(SEEDS.parent.parent, nlp, load_kb(), lex)
    got = {r.metric: r for r in rows}
    assert set(got) == {"seed_core_recall", "seed_core_dyad", "seed_approx_precision",
                        "seed_asserted_hypotheticals"}
    n_core = sum(len(g["core"]) for g in load_seed_gold().values())
    assert got["seed_core_recall"].n == n_core and got["seed_approx_precision"].n > 0
    assert got["seed_core_dyad"].value >= got["seed_core_recall"].value
    assert len(details["missed"]) == round(n_core * (1 - got["seed_core_recall"].value))
