"""The event coder: lexicon loading, argument extraction, modality, seeds, contract."""

import datetime as dt

import pytest
from conftest import SEEDS, needs_shared

from detente.coding import EVENT_FIELDS, code_sentence, code_text, load_lexicon
from detente.coding.lexicon import build_lexicon
from detente.errors import DetenteError
from detente.types import ActorMention


@pytest.fixture(scope="session")
def kb():
    from detente.actors import load_kb

    return load_kb()


def actors_for(doc, spec):
    """Hand-built ActorMentions: spec = [(surface text, code, country), ...]."""
    out = []
    for text, code, country in spec:
        i = doc.text.index(text)
        out.append(ActorMention("t", text, i, i + len(text), code, country,
                                code[3:] or None, None, "test"))
    return out


def code(nlp, lex, text, spec, date=None):
    doc = nlp(text)
    sent = doc[:]
    return code_sentence(sent, actors_for(doc, spec), "t", date, lex)


# --- lexicon -------------------------------------------------------------------------------

def test_lexicon_covers_every_root(lex):
    roots = {p.code[:2] for pats in lex.index.values() for p in pats}
    assert roots == {f"{i:02d}" for i in range(1, 21)}
    assert load_lexicon() is lex  # cached


def test_lexicon_schema_errors():
    with pytest.raises(DetenteError) as e:
        build_lexicon([("bad.yaml", {"patterns": [{"code": "999", "lemma": "x"}]}, 0)])
    assert e.value.code == "E304"
    with pytest.raises(DetenteError):
        build_lexicon([("bad.yaml", {"patterns": [{"code": "010", "lemma": "x", "colour": 1}]}, 0)])
    with pytest.raises(DetenteError):  # unquoted YAML "on" becomes True
        build_lexicon([("bad.yaml", {"patterns": [{"code": "010", "lemma": "x", "prep": [True]}]}, 0)])


def test_user_lexicon_outranks_shipped(tmp_path, nlp):
    f = tmp_path / "mine.yaml"
    f.write_text('patterns:\n  - {code: "0874", lemma: [visit]}\n')
    user = load_lexicon(str(f))
    evs = code(nlp, user, "Japan visited China.", [("Japan", "JPN", "JPN"), ("China", "CHN", "CHN")])
    assert evs[0].cameo == "0874"


def test_no_fallback_code(nlp, lex):
    assert code(nlp, lex, "Japan pondered China.", [("Japan", "JPN", "JPN"), ("China", "CHN", "CHN")]) == []


# --- arguments -----------------------------------------------------------------------------

def test_subject_object_and_codes(nlp, lex):
    (e,) = code(nlp, lex, "Zimbabwe accused the United States of blackmail.",
                [("Zimbabwe", "ZWE", "ZWE"), ("United States", "USA", "USA")])
    assert (e.source_actor, e.target_actor, e.cameo_root, e.quad_class) == ("ZWE", "USA", "11", 3)
    assert e.sentence == "Zimbabwe accused the United States of blackmail." and e.start == 0
    assert e.trigger == "accused" and 0 < e.confidence <= 1 and len(e.mention_id) == 16


def test_passive_by_agent(nlp, lex):
    evs = code(nlp, lex, "Iraq was attacked by Iran.", [("Iraq", "IRQ", "IRQ"), ("Iran", "IRN", "IRN")])
    assert (evs[0].source_actor, evs[0].target_actor, evs[0].cameo_root) == ("IRN", "IRQ", "19")


def test_coordinated_subjects_one_event_each(nlp, lex):
    evs = code(nlp, lex, "Russia, China and North Korea all oppose U.S. moves to arm South Korea.",
               [("Russia", "RUS", "RUS"), ("China", "CHN", "CHN"), ("North Korea", "PRK", "PRK"),
                ("U.S.", "USA", "USA"), ("South Korea", "KOR", "KOR")])
    opp = {(e.source_actor, e.target_actor) for e in evs if e.trigger == "oppose"}
    assert opp == {("RUS", "USA"), ("CHN", "USA"), ("PRK", "USA")}


def test_appeal_wrapper_object_targets(nlp, lex):
    evs = code(nlp, lex, "North Korea urged the US and South Korea to halt their joint drills.",
               [("North Korea", "PRK", "PRK"), ("US", "USA", "USA"), ("South Korea", "KOR", "KOR")])
    assert {(e.source_actor, e.target_actor, e.cameo) for e in evs} == \
        {("PRK", "USA", "0256"), ("PRK", "KOR", "0256")}


def test_control_verb_passes_subject(nlp, lex):
    evs = code(nlp, lex, "Putin seeks to strengthen trade with Seoul.",
               [("Putin", "RUSGOV", "RUS"), ("Seoul", "KORGOV", "KOR")])
    assert evs and evs[0].source_actor == "RUSGOV" and evs[0].target_actor == "KORGOV"
    assert evs[0].modality != "asserted"


def test_nominal_visit(nlp, lex):
    evs = code(nlp, lex, "The recent visit to Russia by an envoy of North Korea was a success.",
               [("Russia", "RUS", "RUS"), ("North Korea", "PRK", "PRK")])
    assert (evs[0].source_actor, evs[0].target_actor, evs[0].cameo[:2]) == ("PRK", "RUS", "04")


def test_reported_speech_codes_inner_clause_with_attribution(nlp, lex):
    evs = code(nlp, lex, "Lavrov said that China attacked Vietnam.",
               [("Lavrov", "RUSGOV", "RUS"), ("China", "CHN", "CHN"), ("Vietnam", "VNM", "VNM")])
    assert len(evs) == 1
    assert (evs[0].source_actor, evs[0].target_actor, evs[0].attributed_to) == ("CHN", "VNM", "RUSGOV")


def test_fan_out_is_bounded(nlp, lex):
    names = ["Japan", "China", "India", "Brazil", "Chile", "Peru"]
    text = f"{', '.join(names[:-1])} and {names[-1]} criticized Iran, Iraq, Syria, Libya, Egypt and Oman."
    spec = [(n, n[:3].upper(), n[:3].upper()) for n in names + ["Iran", "Iraq", "Syria", "Libya", "Egypt", "Oman"]]
    evs = code(nlp, lex, text, spec)
    assert 0 < len(evs) <= lex.settings.max_events_per_sentence


def test_hypothetical_and_negated_not_asserted(nlp, lex):
    evs = code(nlp, lex, "Russia would be willing to update North Korea's conventional arsenal.",
               [("Russia", "RUS", "RUS"), ("North Korea", "PRK", "PRK")])
    assert evs and all(e.modality != "asserted" for e in evs)
    evs = code(nlp, lex, "China did not attack Vietnam.", [("China", "CHN", "CHN"), ("Vietnam", "VNM", "VNM")])
    assert evs and all(e.modality == "negated" for e in evs)


# --- seeds and the output contract -----------------------------------------------------------

def _seed(name):
    return next(SEEDS.glob(f"{name}_*.txt")).read_text("utf-8")


@needs_shared
@pytest.mark.slow
def test_seeds(nlp, lex, kb):
    out = code_text(_seed("000"), "2014-11-24", nlp=nlp, kb=kb, lexicon=lex)
    evs = out["events"]
    assert any(e["source_country"] == "CHN" and e["target_country"] == "PRK" and e["cameo_root"] == "07"
               and e["modality"] == "asserted" for e in evs)
    for e in evs:
        if "conventional arsenal" in e["sentence"]:
            assert e["modality"] != "asserted"
    out = code_text(_seed("001"), "2015-02-10", nlp=nlp, kb=kb, lexicon=lex)
    neg = [(e["source_country"], e["target_country"], e["event_date"]) for e in out["events"]
           if e["cameo"] == "046"]
    assert ("RUS", "PRK", "2015-01-31") in neg and ("RUS", "CUB", "2015-01-31") in neg
    for e in out["events"]:
        if "hasn’t confirmed" in e["sentence"]:
            assert e["modality"] != "asserted"
    out = code_text(_seed("002"), "2015-04-10", nlp=nlp, kb=kb, lexicon=lex)
    opp = {e["source_country"] for e in out["events"] if e["trigger"] == "oppose" and e["target_country"] == "USA"}
    assert opp == {"RUS", "CHN", "PRK"}


@needs_shared
@pytest.mark.slow
def test_code_text_contract(nlp, lex, kb):
    out = code_text(_seed("003"), dt.date(2015, 2, 10), nlp=nlp, kb=kb, lexicon=lex)
    assert set(out) == {"actors", "events"}
    assert all(set(a) == {"text", "start", "end", "code", "country", "sector", "kb_id", "reason"}
               for a in out["actors"])
    confs = [e["confidence"] for e in out["events"]]
    assert confs == sorted(confs, reverse=True)
    text = _seed("003")
    for e in out["events"]:
        assert tuple(e) == EVENT_FIELDS
        assert isinstance(e["cameo"], str) and e["cameo"][:2] == e["cameo_root"]
        assert text[e["start"]:e["end"]] == e["sentence"]
