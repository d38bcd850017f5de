"""Modality, hedging and attribution of event triggers (detente.coding.modality)."""

from __future__ import annotations

import pytest

from detente.coding.modality import (
    ModalityResult,
    assess,
    governing_chain,
    lexicon_from_dict,
    load_modality_lexicon,
    reported_clause_head,
)
from detente.errors import DetenteError

from conftest import SEEDS, needs_shared


def _trigger(doc, word: str, nth: int = 0):
    hits = [t for t in doc if t.text == word]
    assert len(hits) > nth, f"{word!r} not in {doc.text!r}"
    return hits[nth]


def _assess(nlp, sentence: str, word: str, nth: int = 0) -> ModalityResult:
    return assess(_trigger(nlp(sentence), word, nth))


# (sentence, trigger, expected modality, expected hedged)
CASES = [
    # --- seeds
    ("Russia, on the other hand, would be willing to update North Korea's conventional arsenal "
     "with fighter and attack planes, drones, armored vehicles, and artillery.", "update", "hypothetical", False),
    ("Pyongyang, though, hasn't confirmed the marshal's attendance through state mouthpieces KCNA "
     "or the Rodong newspaper.", "confirmed", "negated", False),
    ("Russia would like to sell electricity and natural gas to South Korea, and both will have to go "
     "through North Korea.", "sell", "intent", False),
    ("Kim Jong Un reportedly would like to develop some ties that bind with Putin.", "develop", "intent", True),
    ("In 2013, it admonished the garrison kingdom for its third nuclear test.", "admonished", "asserted", False),
    ("Russia may even encourage North Korea to commit further attacks.", "encourage", "hypothetical", False),
    ("Putin will meet with South Korea's president next month.", "meet", "intent", False),
    ("Such diplomacy didn't get very far, with Tokyo complaining that North Korean promises fell flat.",
     "get", "negated", False),
    ("It was around then that Kim Jong Un apparently decided to look for a new patron.", "look", "intent", True),
    ("Russia is also looking for an Asian provocateur.", "looking", "intent", False),
    ("Evidently, Russia is bidding to play a more active role on the Korean Peninsula.", "play", "intent", False),
    ("North Korea may be flirting with Russia, but don't count China out.", "flirting", "hypothetical", False),
    ("Chinese officials are reported to be exasperated with the Kim regime.", "exasperated", "asserted", True),
    ("In reality, they're likely discussing much more.", "discussing", "asserted", True),
    ("His son, Kim Jong Un, appears to be turning to the Russians again.", "turning", "asserted", True),
    ("It's also possible Pyongyang will send another high-ranking official in his place.", "send",
     "hypothetical", False),
    ("Should this relationship come to fruition, both sides have something to gain.", "come", "hypothetical", False),
    ("Is the sun setting on the brotherly bond between North Korea and its biggest patron, China?",
     "setting", "hypothetical", False),
    ("Russia, which would have little reason to rein in the North's outrageous behavior, could eclipse "
     "more moderate China as the isolated country's patron.", "rein", "hypothetical", False),
    ("Russia, which would have little reason to rein in the North's outrageous behavior, could eclipse "
     "more moderate China as the isolated country's patron.", "eclipse", "hypothetical", False),
    ("Russia seeks to resist international isolation and demonstrate its solidarity against the West, "
     "say analysts.", "demonstrate", "intent", False),
    ("If Putin makes the first move with Kim Jong Un, don't be shocked.", "makes", "hypothetical", False),
    ("That is not something that Russia will be willing to do.", "is", "negated", False),
    # --- negation, own sentences
    ("Russia will not send troops to the border.", "send", "negated", False),
    ("Moscow did not decide to visit Pyongyang.", "visit", "negated", False),
    ("China refused to attend the summit in Seoul.", "attend", "negated", False),
    ("The ministers failed to agree on a ceasefire.", "agree", "negated", False),
    ("Beijing denied that its warships entered Japanese waters.", "entered", "negated", False),
    ("Japan never recognized the annexation of Crimea.", "recognized", "negated", False),
    ("Russia no longer supplies gas to Ukraine.", "supplies", "negated", False),
    ("The United States sent no aid to the rebels.", "sent", "negated", False),
    ("Seoul has not yet approved the sale of the missiles.", "approved", "negated", False),
    ("Pyongyang won't attend the talks in Beijing.", "attend", "negated", False),
    ("North Korea might not come to the table.", "come", "negated", False),
    # --- intent, own sentences
    ("Iran plans to open an embassy in Riyadh.", "open", "intent", False),
    ("The two leaders agreed to hold talks in Geneva.", "hold", "intent", False),
    ("The two leaders agreed to hold talks in Geneva.", "agreed", "asserted", False),
    ("Moscow threatened to cut off gas supplies to Kiev.", "cut", "intent", False),
    ("Erdogan vowed to punish the attackers.", "punish", "intent", False),
    ("The president is going to visit Tokyo.", "visit", "intent", False),
    ("The delegation is set to arrive in Havana.", "arrive", "intent", False),
    ("Putin is expected to meet Abe in Vladivostok.", "meet", "intent", False),
    ("Japan intends to impose new sanctions on Russia.", "impose", "intent", False),
    ("Ukraine hopes to join NATO.", "join", "intent", False),
    ("Russia announced plans to build a naval base in Syria.", "build", "intent", False),
    ("Kim decided to look for a new patron.", "look", "intent", False),
    ("The envoy said Russia would send observers to the region.", "send", "intent", False),
    # --- hypothetical, own sentences
    ("China could impose sanctions on North Korea.", "impose", "hypothetical", False),
    ("Tokyo might expel the Russian ambassador.", "expel", "hypothetical", False),
    ("Washington should negotiate with Tehran.", "negotiate", "hypothetical", False),
    ("Unless Iran halts enrichment, the West will tighten sanctions.", "tighten", "hypothetical", False),
    ("Unless Iran halts enrichment, the West will tighten sanctions.", "halts", "hypothetical", False),
    ("Were Russia to send troops, China would protest.", "send", "hypothetical", False),
    ("Had Moscow intervened, the war would have ended sooner.", "intervened", "hypothetical", False),
    ("Russia is potentially supplying weapons to the rebels.", "supplying", "hypothetical", False),
    ("He might be willing to extend a tentative olive branch.", "extend", "hypothetical", False),
    ("Will China abandon its ally?", "abandon", "hypothetical", False),
    # --- asserted, and near misses that must stay asserted
    ("The would-be mediator arrived in Seoul on Monday.", "arrived", "asserted", False),
    ("China has long sustained the regime, even if that means bypassing United Nations sanctions.",
     "sustained", "asserted", False),
    ("Putin is bent on restoring not only the old Soviet Union's borders, but its sphere of influence.",
     "is", "asserted", False),
    ("China supported reunification talks proposed by South Korean President Park Geun-hye.",
     "supported", "asserted", False),
    ("Russia recognizes China's strength and respects its interests.", "respects", "asserted", False),
    ("No matter who wins, China delivered the fuel.", "delivered", "asserted", False),
    ("If that's not enough, Russian Foreign Minister Sergei Lavrov told reporters on Jan. 21 that Kim "
     "Jong Un could attend a ceremony.", "told", "asserted", False),
    ("China has long sustained the regime, even though that means bypassing United Nations sanctions.",
     "bypassing", "asserted", False),
    ("Moscow wants a deal, but will Beijing agree?", "wants", "asserted", False),
    ("If Iran tests another missile, Washington will impose new sanctions.", "impose", "hypothetical", False),
    # --- hedges
    ("The general was allegedly executed by firing squad.", "executed", "asserted", True),
    ("North Korea is said to have tested a new missile.", "tested", "asserted", True),
    ("It is believed that China sent troops to the border.", "sent", "asserted", True),
    ("Iran seems to have shipped rockets to Gaza.", "shipped", "asserted", True),
    ("The rumoured summit will probably take place in Vladivostok.", "take", "intent", True),
    ("Sources said the army moved tanks to the border.", "moved", "asserted", True),
    ("According to unconfirmed reports, China sent troops to the border.", "sent", "asserted", True),
    ("State media openly speculated that China was abandoning the country.", "abandoning", "asserted", True),
    # --- the that-clause of a claim noun is a claim; of a denied report, a denial
    ("Washington repeated its accusations that Iran supplied drones to the rebels.", "supplied", "asserted", True),
    ("The opposition rejected allegations that its fighters attacked the convoy.", "attacked", "negated", True),
    ("Both governments have denied U.S. accusations that North Korea has sold Russia artillery shells.",
     "sold", "negated", True),
    ("Seoul denied reports that it had sent artillery shells to Ukraine.", "sent", "negated", False),
    ("The ministry confirmed reports that the army had shelled the town.", "shelled", "asserted", False),
    # --- excluding a complement denies it; not excluding it leaves it open
    ("Russia did not rule out sending troops to Belarus.", "sending", "hypothetical", False),
    ("China has ruled out talks with Taiwan.", "talks", "negated", False),
    ("Putin did not exclude a visit to Pyongyang.", "visit", "hypothetical", False),
]


@pytest.mark.parametrize("sentence,word,modality,hedged", CASES, ids=[f"{c[1]}:{c[0][:40]}" for c in CASES])
def test_modality_cases(nlp, sentence, word, modality, hedged):
    r = _assess(nlp, sentence, word)
    assert r.modality == modality, r
    assert r.hedged is hedged, r
    if modality != "asserted":
        assert r.cues, "a non-asserted modality must name its cues"


def test_precedence_negated_over_hypothetical(nlp):
    r = _assess(nlp, "Putin may not be eager to build that relationship.", "build")
    assert r.modality == "negated"


def test_precedence_hypothetical_over_intent(nlp):
    r = _assess(nlp, "Moscow would agree to sell the jets if Delhi paid in rupees.", "sell")
    assert r.modality == "hypothetical"


def test_would_like_is_intent_and_cue_names_it(nlp):
    r = _assess(nlp, "Kim Jong Un reportedly would like to develop some ties that bind with Putin.", "develop")
    assert (r.modality, r.hedged) == ("intent", True)
    assert "reportedly" in r.cues
    assert any("would" in c for c in r.cues)


def test_negation_cue_is_reported(nlp):
    r = _assess(nlp, "Pyongyang, though, hasn't confirmed the marshal's attendance.", "confirmed")
    assert "n't" in r.cues


# --- attribution: (sentence, trigger, expected attribution text or None)
ATTRIBUTIONS = [
    ('Last week, the Russian news agency ITAR-TASS reported that North Korean leader Kim Jong Un and '
     'Russian President Vladmir Putin "regularly exchange messages."', "exchange", "the Russian news agency ITAR-TASS"),
    ("Russian Foreign Minister Sergei Lavrov told reporters on Jan. 21 that Kim Jong Un could attend a "
     "ceremony marking the 70th anniversary of the end of World War II.", "attend",
     "Russian Foreign Minister Sergei Lavrov"),
    ("Russia seeks to resist international isolation and demonstrate its solidarity against the West, "
     "say analysts.", "resist", "analysts"),
    ("As the TASS report states, there are economic opportunities to be had.", "are", "the TASS report"),
    ("According to the Yonhap news agency, North Korea fired two missiles into the sea.", "fired",
     "the Yonhap news agency"),
    ("On Jan. 31, Russia's armed forces chief of staff, Valery Gerasimov, made a surprise announcement "
     "that his government is entering preliminary negotiations with North Korea.", "entering",
     "Russia's armed forces chief of staff, Valery Gerasimov"),
    ("State media openly speculated that China was abandoning the country.", "abandoning", "State media"),
    ("Moscow denied that its troops crossed the border.", "crossed", "Moscow"),
    ("North Korea came under criticism in China's state press, China supported reunification talks "
     "proposed by South Korean President Park Gyeun-Hye, and state media openly speculated that China "
     "was abandoning the country.", "abandoning", "state media"),
    ("“Stalin signed off on the invasion,” said Andrew Salmon.", "signed", "Andrew Salmon"),
    ("The Kremlin said Tuesday that Putin will travel to Beijing.", "travel", "The Kremlin"),
    ("Officials in Seoul said Pyongyang had agreed to resume the talks.", "resume", "Officials in Seoul"),
    # the reporting verb itself has no attribution: its subject is the actor
    ('Last week, the Russian news agency ITAR-TASS reported that North Korean leader Kim Jong Un and '
     'Russian President Vladmir Putin "regularly exchange messages."', "reported", None),
    ("China recently delivered an entire year's worth of civil aviation fuel to Pyongyang.", "delivered", None),
    ("It is believed that China sent troops to the border.", "sent", None),
]


@pytest.mark.parametrize("sentence,word,expected", ATTRIBUTIONS, ids=[f"{a[1]}" for a in ATTRIBUTIONS])
def test_attribution(nlp, sentence, word, expected):
    doc = nlp(sentence)
    r = assess(_trigger(doc, word))
    assert r.attribution_text == expected
    if expected is None:
        assert r.attribution is None
    else:
        s, e = r.attribution
        assert doc.text[s:e] == expected


def test_reported_clause_head(nlp):
    doc = nlp('Last week, the Russian news agency ITAR-TASS reported that North Korean leader Kim Jong Un and '
              'Russian President Vladmir Putin "regularly exchange messages."')
    assert reported_clause_head(_trigger(doc, "reported")).text == "exchange"
    doc = nlp("Gerasimov made a surprise announcement that his government is entering negotiations.")
    assert reported_clause_head(_trigger(doc, "made")).text == "entering"
    doc = nlp("China delivered fuel to Pyongyang.")
    assert reported_clause_head(_trigger(doc, "delivered")) is None


def test_governing_chain_follows_complements(nlp):
    doc = nlp("Russia would be willing to update North Korea's arsenal.")
    chain = [t.text for t, _ in governing_chain(_trigger(doc, "update"))]
    assert chain == ["update", "willing", "be"]


def test_lexicon_loads_once_and_is_frozen():
    lex = load_modality_lexicon()
    assert lex is load_modality_lexicon()
    assert "would" in lex.hypothetical_modals and "no" in lex.negative_determiners
    with pytest.raises(AttributeError):
        lex.hypothetical_modals = frozenset()  # type: ignore[misc]


def test_lexicon_schema_check():
    with pytest.raises(DetenteError) as exc:
        lexicon_from_dict({"intent_modals": ["will"]})
    assert exc.value.code == "E304"
    good = {k: [] for k in load_modality_lexicon().__slots__}
    good["intent_modals"] = "will"  # not a list
    with pytest.raises(DetenteError):
        lexicon_from_dict(good)


@needs_shared
def test_every_seed_verb_gets_a_valid_result(nlp):
    for path in sorted(SEEDS.glob("*.txt")):
        doc = nlp(path.read_text("utf-8"))
        for tok in doc:
            if tok.pos_ not in ("VERB", "AUX"):
                continue
            r = assess(tok)
            assert r.modality in ("asserted", "intent", "hypothetical", "negated")
            if r.attribution is not None:
                s, e = r.attribution
                assert 0 <= s < e <= len(doc.text) and doc.text[s:e] == r.attribution_text
