"""The type arbiter: its model file, the codebook edges it may move along, the CAMEO code
it picks, and the lexicon phenomena written by PLOVER's own definitions."""

import json

import pytest
from conftest import assert_training_reproduces

from detente.coding.tables import cameo_info
from detente.coding.typer import NEIGHBOURS, TYPES, TypeModel, code_for, fold, load_typer


def _model(weights: dict[str, dict[str, float]], margin: float = 0.0) -> TypeModel:
    coef = {f: [w.get(t, 0.0) for t in TYPES] for f, w in weights.items()}
    return TypeModel(list(TYPES), [0.0] * len(TYPES), coef, {"margin": margin})


def test_neighbours_are_symmetric_and_never_self():
    for t, ns in NEIGHBOURS.items():
        assert t not in ns
        for n in ns:
            assert t in NEIGHBOURS[n], (t, n)
    assert "SUPPORT" in NEIGHBOURS["AGREE"] and "COERCE" in NEIGHBOURS["ASSAULT"]
    assert "ASSAULT" not in NEIGHBOURS["AGREE"]  # no codebook line pairs these


def test_decide_moves_only_along_codebook_edges_and_by_the_margin():
    m = _model({"lemma=agree": {"SUPPORT": 3.0}, "lemma=hit": {"AGREE": 5.0}})
    assert m.decide("AGREE", ["lemma=agree"])[0] == "SUPPORT"
    # the model prefers AGREE for an ASSAULT, but the codebook pairs no such types
    assert m.decide("ASSAULT", ["lemma=hit"])[0] == "ASSAULT"
    # a margin larger than the preference keeps the lexicon's type
    m.margin = 0.99
    assert m.decide("AGREE", ["lemma=agree"])[0] == "AGREE"


def test_model_round_trips():
    m = _model({"obj=deal": {"SUPPORT": 1.5}}, 0.2)
    again = TypeModel.from_json(json.loads(json.dumps(m.to_json())))
    assert again.margin == 0.2 and again.proba(["obj=deal"]) == m.proba(["obj=deal"])
    assert abs(sum(m.proba(["bias"]).values()) - 1) < 1e-9


def test_code_for_prefers_the_lemmas_own_code_then_the_same_pentaclass():
    assert code_for("SUPPORT", "030", ["030", "057"]) == "057"
    # no lexicon code of the type: the most general one in the old code's pentaclass
    # (REJECT 12x is verbal conflict; of REQUEST's codes, 10x is, 02x is not)
    assert code_for("REQUEST", "1244", []).startswith("10")
    assert fold(cameo_info(code_for("COERCE", "190", [])).plover) == "COERCE"


def test_shipped_model_says_how_it_was_trained():
    m = load_typer()
    assert m is not None, "src/detente/coding/data/models/typer.json is missing: run scripts/train_typer.py"
    for k in ("C", "seed", "margin", "cv_pair_type", "lexicon_pair_type", "n_examples", "trained_on"):
        assert k in m.meta, k
    assert m.classes == list(TYPES) and "check" in m.meta["trained_on"]


def _events(nlp, lex, text, typer=None):
    from detente.actors import load_kb, resolve_doc
    from detente.coding import code_doc

    kb = load_kb()
    doc = nlp(text)
    return code_doc(doc, resolve_doc(doc, "t", None, kb), "t", None, lex, kb, None, typer)


@pytest.mark.slow
def test_a_retyped_event_keeps_cameo_and_plover_consistent(nlp, lex):
    text = "Chile agreed to hold talks with Peru on the maritime border."
    before = _events(nlp, lex, text, False)
    assert before and all(fold(e.plover) == "AGREE" for e in before)
    forced = _model({"lemma=agree": {"CONSULT": 9.0}})
    after = _events(nlp, lex, text, forced)
    assert after and all(fold(e.plover) == "CONSULT" for e in after)
    for e in after:
        info = cameo_info(e.cameo)
        assert (e.plover, e.cameo_root, e.quad_class, e.goldstein) == \
            (info.plover, info.root, info.quad_class, info.goldstein)


# PLOVER's definitions, one sentence per phenomenon, written for this test.
TYPED = [
    # an agreement agreed is signed/finalized: SUPPORT (057)
    ("Norway and Iceland agreed a new fisheries agreement on Monday.", "SUPPORT", "057"),
    ("Ghana and Togo have agreed on the final text of a border treaty.", "SUPPORT", "057"),
    # agreeing *to* sign is a promise: AGREE
    ("Ghana agreed to sign a border treaty with Togo next year.", "AGREE", "03"),
    # pledging one's support expresses it: SUPPORT (051)
    ("The Brazilian president pledged his country's full support to Argentina.", "SUPPORT", "051"),
    # offering support is still an offer: AGREE
    ("Japan offered support to the Philippines after the typhoon.", "AGREE", "03"),
]


@pytest.mark.slow
@pytest.mark.parametrize("text,plover,code", TYPED)
def test_lexicon_types_by_plover_definitions(nlp, lex, text, plover, code):
    evs = _events(nlp, lex, text, False)
    assert any(fold(e.plover) == plover and e.cameo.startswith(code) for e in evs), \
        [(e.cameo, e.plover, e.trigger) for e in evs]


@pytest.mark.slow
def test_training_script_reproduces_the_shipped_weights(tmp_path):
    """scripts/train_typer.py at the shipped settings writes the shipped file byte for byte."""
    meta = load_typer().meta
    settings = {"--C": meta["C"], "--margin": meta["margin"]}
    assert_training_reproduces(tmp_path, "train_typer.py", settings, "typer.json")
