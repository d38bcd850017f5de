"""The rule registry, the Context API and ablation through resolve_doc(disable=...)."""

import pytest

from detente.actors import resolve_doc, rule_order
from detente.actors.doc.context import Basis, Context, Draft
from detente.actors.rules import registry
from detente.errors import DetenteError

ORDER = ["named", "de_facto", "unknown_orgs", "titled_people", "ethnic", "places", "coref", "names",
         "place_actors", "agents", "unknown_bodies", "unknown_people"]


def test_rules_run_in_their_declared_order():
    assert [r.name for r in rule_order()] == ORDER


def test_disabling_a_rule_keeps_the_others_in_order():
    assert [r.name for r in rule_order(("coref", "agents"))] == \
        [n for n in ORDER if n not in ("coref", "agents")]


def test_unknown_rule_name_is_a_numbered_error():
    with pytest.raises(DetenteError) as e:
        rule_order(("corefs",))
    assert e.value.code == "E303" and "corefs" in e.value.message


def _fake(monkeypatch, specs):
    rules = {}
    monkeypatch.setattr(registry, "RULES", rules)
    for name, after in specs:
        registry.rule(name, after=after)(lambda ctx: None)
    return rules


def test_after_constraints_decide_the_order(monkeypatch):
    _fake(monkeypatch, [("c", ("a", "b")), ("a", ()), ("b", "a")])
    assert [r.name for r in registry.ordered()] == ["a", "b", "c"]


@pytest.mark.parametrize("specs,words", [
    ([("a", "b"), ("b", "a")], "cycle"),
    ([("a", "missing")], "unknown"),
])
def test_bad_declarations_are_refused(monkeypatch, specs, words):
    _fake(monkeypatch, specs)
    with pytest.raises(DetenteError, match=words):
        registry.ordered()


@pytest.fixture(scope="module")
def blank_ctx():
    import spacy

    from detente.actors import load_kb

    nlp = spacy.blank("en")
    return lambda text: Context(nlp(text), load_kb(), None)


def test_context_claim_release_replace(blank_ctx):
    ctx = blank_ctx("the talks in Moscow went on")
    a = Draft(1, 2, "X", None, None, None, "test", basis=Basis.KB_ENTITY)
    assert ctx.claim(a) and not ctx.claim(Draft(0, 2, "Y", None, None, None, "test", basis=Basis.KB_ENTITY))
    assert ctx.drafts_in(0, 3) == [a] and ctx.draft_at(1) is a and ctx.draft_at(0) is None
    b = Draft(1, 4, "Z", None, None, None, "test", basis=Basis.ROLE_NOUN)
    assert ctx.replace(a, b) and ctx.drafts == [b] and not ctx.free(3, 4)
    ctx.extend(b, 5)
    assert b.end == 5 and not ctx.free(4, 5)
    ctx.release(b)
    assert ctx.drafts == [] and ctx.free(0, len(ctx.doc))


@pytest.mark.slow
def test_ablation_of_coreference(nlp, kb):
    text = "Kim Jong Un met Vladimir Putin in Moscow. Later, Kim thanked his host."
    doc = nlp(text)
    later = text.rindex("Kim")
    full = resolve_doc(doc, "t", None, kb)
    assert any(m.start == later and m.code == "PRKGOV" for m in full)
    ablated = resolve_doc(doc, "t", None, kb, disable=("coref", "names"))
    assert not any(m.start == later for m in ablated)
    assert {(m.start, m.code) for m in ablated} < {(m.start, m.code) for m in full}
