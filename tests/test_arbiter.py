"""The argument arbiter: its model file, its arithmetic, and the constructions it attaches."""

import json

import pytest
from conftest import assert_training_reproduces

from detente.coding.arbiter import CLASSES, ArbiterModel, load_arbiter


def test_model_round_trips_and_scores_a_distribution():
    m = ArbiterModel([0.1, -0.2, 0.3], {"rule=src": [-1.0, 2.0, -1.0], "last=dobj": [0.0, -1.0, 1.5]},
                     {"C": 1.0})
    again = ArbiterModel.from_json(json.loads(json.dumps(m.to_json())))
    p = again.proba(["bias", "rule=src", "unknown-feature"])
    assert abs(sum(p) - 1) < 1e-9 and max(range(3), key=p.__getitem__) == 1
    q = again.proba(["last=dobj"])
    assert max(range(3), key=q.__getitem__) == 2
    with pytest.raises(ValueError):
        ArbiterModel.from_json({"classes": ["a", "b", "c"], "intercept": [0, 0, 0], "coef": {}})


def test_shipped_model_says_how_it_was_trained():
    m = load_arbiter()
    assert m is not None, "src/detente/coding/data/models/arbiter.json is missing: run scripts/train_arbiter.py"
    meta = m.meta
    for k in ("C", "seed", "arbiter_min_p", "arbiter_margin", "cv_dyad_linked", "rules_dyad_linked",
              "n_examples", "trained_on"):
        assert k in meta, k
    assert tuple(meta["classes"]) == CLASSES and "check" in meta["trained_on"]
    assert 0 < meta["arbiter_min_p"] < 1 and len(m.coef) > 1000


# Constructions the rules alone leave unattached (the source acts on the target, but no
# rule names that path), written for this test, one per phenomenon.
ATTACHED = [
    # the subject of the condition of a refusal is whom the refusal is aimed at
    ("Canada said it will not lift the sanctions until Venezuela frees its political prisoners.",
     "Canada", "Venezuela"),
    # a participle modifier on the object names the party the measure concerns
    ("The UN Security Council on Tuesday lifted an arms embargo imposed on Liberia in 2003.",
     "UN Security Council", "Liberia"),
    # the partner of an accepted invitation
    ("The Kenyan president accepted an invitation to meet with the leader of Somalia next month.",
     "Kenyan president", "Somalia"),
    # "conceded to the demands of X": the demanders are the target
    ("The Thai government conceded to the demands of the protesting farmers.",
     "Thai government", "farmers"),
    # the author of a rejected proposal is whom the rejection is aimed at
    ("Mexico rejected every proposal put forward by the United States on migration.",
     "Mexico", "United States"),
]

# Constructions the rules already attach, which the arbiter must leave as they are.
KEPT = [
    ("Sweden has cut development aid to Tanzania because of concerns over human rights.",
     "Sweden", "Tanzania"),
    ("The Colombian government and the ELN rebels agreed to resume peace talks in Havana.",
     "Colombian government", "ELN"),
    ("Ethiopian forces shelled Eritrean positions along the disputed border on Sunday.",
     "Ethiopian forces", "Eritrean"),
    ("Argentina welcomed Chile's decision to reopen the border crossing.", "Argentina", "Chile"),
]


def _linked(nlp, lex, text, src, tgt, arbiter):
    from detente.actors import load_kb, resolve_doc
    from detente.coding import code_doc

    kb = load_kb()
    doc = nlp(text)
    evs = code_doc(doc, resolve_doc(doc, "t", None, kb), "t", None, lex, kb, arbiter)
    return any(e.source_text and src in e.source_text and e.target_text and tgt in e.target_text
               for e in evs)


@pytest.mark.slow
@pytest.mark.parametrize("text,src,tgt", ATTACHED)
def test_arbiter_attaches_what_the_rules_leave_loose(nlp, lex, text, src, tgt):
    assert _linked(nlp, lex, text, src, tgt, None)


@pytest.mark.slow
@pytest.mark.parametrize("text,src,tgt", KEPT)
def test_arbiter_keeps_what_the_rules_found(nlp, lex, text, src, tgt):
    assert _linked(nlp, lex, text, src, tgt, False) and _linked(nlp, lex, text, src, tgt, None)


@pytest.mark.slow
def test_training_script_reproduces_the_shipped_weights(tmp_path):
    """scripts/train_arbiter.py at the shipped settings writes the shipped file byte for byte."""
    meta = load_arbiter().meta
    settings = {"--C": meta["C"], "--min-p": meta["arbiter_min_p"],
                "--margin": meta["arbiter_margin"]}
    assert_training_reproduces(tmp_path, "train_arbiter.py", settings, "arbiter.json")
