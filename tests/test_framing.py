"""Outlet framing from constructed sentences and tables (no model): stance, negation, genre, blindspots."""

import json

import pandas as pd
import pytest

from detente.analysis.evaluative import load_evaluative_lexicon, quoted_spans, score_text
from detente.analysis.framing import (blindspots, dyad_blindspots, evaluations, genres, hedging, outlet_table, sentence_spans,
                                      stance_table)
from detente.errors import DetenteError


@pytest.fixture(scope="module")
def lex():
    return load_evaluative_lexicon()


def _score(text, lex):
    return [(h.term.lower(), h.score, h.negated) for h in score_text(text, lex, quoted_spans(text))]


def test_polarity_of_evaluative_language(lex):
    assert _score("Sending that message through Moscow is a smart move.", lex)[0][1] > 0
    assert _score("This is bad and alarming news.", lex)[0][1] < 0
    assert _score("The test was a reckless provocation.", lex) and all(
        s < 0 for _, s, _ in _score("The test was a reckless provocation.", lex))
    assert _score("The talks are a welcome step.", lex)[0][1] > 0
    # event words are not judgements: a plain conflict report carries no stance
    assert _score("Troops attacked the border post and sanctions were imposed after the war.", lex) == []


def test_negation_flips_and_barriers_stop_it(lex):
    pos = _score("It is a smart move.", lex)[0][1]
    neg = _score("It is not a smart move.", lex)
    assert neg[0][2] and neg[0][1] < 0 and abs(neg[0][1]) < pos
    assert _score("Moscow hasn't been wise.", lex)[0][1] < 0
    assert _score("It is far from wise.", lex)[0][1] < 0
    # "not" before a comma does not reach across it
    assert _score("It was not, however, reckless.", lex)[0][1] < 0
    # a negator after the term does not flip it
    assert _score("A reckless step, not a surprise.", lex)[0][1] < 0


def test_intensifiers_quotes_and_ignored_phrases(lex):
    plain = _score("a reckless step", lex)[0][1]
    very = _score("a very reckless step", lex)[0][1]
    assert very < plain < 0
    assert abs(_score("a somewhat reckless step", lex)[0][1]) < abs(plain)
    # a quoted party's words are not the writer's judgement
    assert _score('Pyongyang called China "a turncoat and a reckless enemy".', lex) == []
    assert _score("In that respect, North Korea fits the bill.", lex) == []
    # a reporting or naming verb makes it someone else's evaluation, in its clause only
    rep = score_text("The administration is calling it a success. It is a failure.", lex)
    assert [(h.term, h.reported) for h in rep] == [("success", True), ("failure", False)]
    rep = score_text("China's envoy said new sanctions would not help and could lead to a disaster.", lex)
    assert [h.reported for h in rep] == [True]


def test_bad_lexicon_file_is_a_numbered_error(tmp_path):
    bad = tmp_path / "lex.yaml"
    bad.write_text("terms:\n  splendid: 9\n", "utf-8")
    with pytest.raises(DetenteError) as e:
        load_evaluative_lexicon(bad)
    assert e.value.code == "E304"
    bad.write_text("terms:\n  splendid: 2\nnegators:\n  - no\n", "utf-8")  # YAML reads bare no as False
    with pytest.raises(DetenteError):
        load_evaluative_lexicon(bad)
    good = tmp_path / "good.yaml"
    good.write_text("terms:\n  splendid: 2\n", "utf-8")
    user = load_evaluative_lexicon(good)
    assert _score("a splendid idea and a smart move", user)[0][1] > 0 and len(_score("a smart move", user)) == 1


# --- attribution over constructed store tables -------------------------------------------------------

def _article(aid, text, outlet, title=None, url=None, extra=None):
    return {"article_id": aid, "text": text, "outlet": outlet, "title": title, "url": url, "masked": [],
            "extra": json.dumps(extra or {}), "published": "2015-02-10"}


def _place(aid, text, spec):
    """Actor mentions for ``spec`` = [(surface, code, search_from)], with sentence spans split at '. '."""
    rows = []
    for surface, code, start_from in spec:
        i = text.index(surface, start_from)
        s = text.rfind(". ", 0, i)
        s = 0 if s < 0 else s + 2
        rows.append({"article_id": aid, "text": surface, "start": i, "end": i + len(surface), "code": code,
                     "country": code[:3], "sector": code[3:] or None, "sentence_start": s,
                     "sentence_end": text.find(".", i) + 1})
    return pd.DataFrame(rows)


NO_EVENTS = pd.DataFrame(columns=["article_id", "start", "end", "source_country", "target_country"])


def test_nearest_actor_gets_the_judgement_and_carry_over(lex):
    text = ("Cold War allies Russia and North Korea have re-ignited ties. This is bad and alarming news. "
            "Russia could eclipse more moderate China as the patron of the isolated North Korea, which keeps "
            "up its outrageous behavior.")
    third = text.index("Russia could")
    arts = pd.DataFrame([_article("a", text, "Hawk Weekly")])
    acts = _place("a", text, [("Russia", "RUS", 0), ("North Korea", "PRK", 0), ("Russia", "RUS", third),
                              ("China", "CHN", third), ("North Korea", "PRK", third)])
    by_actor, by_dyad = evaluations(arts, acts, NO_EVENTS, lex)
    rows = {(r.term, r.actor): r.rule for r in by_actor.itertuples()}
    assert rows[("bad and alarming", "RUS")] == "carried" and rows[("bad and alarming", "PRK")] == "carried"
    assert rows[("moderate", "CHN")] == "nearest"
    assert rows[("outrageous", "PRK")] == "nearest" and ("outrageous", "CHN") not in rows
    # every row points at the words in the article text
    for r in by_actor.itertuples():
        assert text[r.start:r.end].lower() == r.term.lower() and r.eval_id == f"a:{r.start}-{r.end}"
    st = stance_table(by_actor).set_index("actor")
    assert st.loc["CHN"].stance_mean > 0 > st.loc["PRK"].stance_mean
    d = stance_table(by_dyad, by="dyad")
    pair = d[(d.source == "PRK") & (d.target == "RUS")].iloc[0]
    assert pair.stance_mean < 0 and pair.negative >= 1 and pair.mention_ids


def test_generic_agents_are_nobody_in_particular(lex):
    text = "Officials called the plan reckless."
    arts = pd.DataFrame([_article("g", text, "Wire")])
    acts = _place("g", text, [("Officials", "GOV", 0)]).assign(country=None, sector="GOV")
    by_actor, _ = evaluations(arts, acts, NO_EVENTS, lex)
    assert by_actor.empty


def test_one_actor_sentence_continues_the_dyad_and_negation_reaches_the_stance(lex):
    text = ("Kim Jong Un sent a message to Vladimir Putin. Sending it through Moscow is a smart move. "
            "Sending it through Moscow is not a smart move.")
    arts = pd.DataFrame([_article("b", text, "Courier")])
    acts = _place("b", text, [("Kim Jong Un", "PRKGOV", 0), ("Vladimir Putin", "RUSGOV", 0),
                              ("Moscow", "RUSGOV", 40), ("Moscow", "RUSGOV", 80)])
    events = pd.DataFrame([{"article_id": "b", "start": 0, "end": text.index(".") + 1,
                            "source_country": "PRK", "target_country": "RUS"}])
    by_actor, by_dyad = evaluations(arts, acts, events, lex)
    got = sorted((r.score > 0, r.rule, r.source, r.target) for r in by_dyad.itertuples())
    assert got == [(False, "carried", "PRK", "RUS"), (True, "carried", "PRK", "RUS")]
    assert sorted((r.score > 0, r.actor) for r in by_actor.itertuples()) == [(False, "RUS"), (True, "RUS")]


def test_sentence_spans_fill_the_gaps_between_stored_sentences():
    text = "First one. Second one! Third one with Russia. Fourth."
    known = [(23, 45)]
    spans = sentence_spans(text, known)
    assert [text[s:e] for s, e in spans] == ["First one.", "Second one!", "Third one with Russia.", "Fourth."]


# --- genre -------------------------------------------------------------------------------------------

NEWS = ("SEOUL, South Korea — North Korea fired a missile on Tuesday, officials said. \"It flew 500 km,\" "
        "a spokesman told reporters. The launch was confirmed by Japan's defence ministry, according to "
        "Kyodo. \"We are watching closely,\" the official said. China said it was studying the reports.")
PLAIN = "North Korea and Russia held talks in Moscow on Monday. The talks covered trade and a rail link."
OPINION = ("I have long argued that we should stop pretending. Moscow's courtship of Pyongyang is a reckless, "
           "cynical gamble, and you should not be fooled by it. Why would anyone trust it? Washington must "
           "answer with resolve, not with a naive hope that the problem goes away. It is dangerous.")


def test_genre_cues_separate_opinion_from_news(lex):
    arts = pd.DataFrame([_article("n", NEWS, "Wire"), _article("o", OPINION, "Mag"),
                         _article("p", PLAIN, "Wire", title="North Korea and Russia hold talks"),
                         _article("t", PLAIN, "Wire", title="Op-ed: the talks and us"),
                         _article("d", OPINION, "Mag", extra={"genre": "news"})])
    g = genres(arts, lex).set_index("article_id")
    assert g.loc["n"].genre == "news" and g.loc["o"].genre == "opinion"
    assert g.loc["o"].opinion_score > 0.5 > g.loc["n"].opinion_score
    assert any(c.startswith("dateline") for c in g.loc["n"].cues)
    assert any(c.startswith("quotes_ratio") for c in g.loc["n"].cues)
    assert any(c.startswith("first_singular") for c in g.loc["o"].cues)
    # a title label raises the score of the same text
    assert g.loc["p"].genre == "news" and g.loc["t"].genre == "opinion"
    # a declared genre wins, the text's own reading is kept beside it
    assert g.loc["d"].genre == "news" and g.loc["d"].text_genre == "opinion" and g.loc["d"].declared_genre == "news"


# --- hedging, blindspots and the outlet table -------------------------------------------------------

def _mention(mid, aid, src, tgt, modality="asserted", hedged=False):
    return {"mention_id": mid, "article_id": aid, "source_country": src, "target_country": tgt,
            "modality": modality, "hedged": hedged}


def _event(eid, src, tgt, mids, modality="asserted", date="2015-01-31"):
    return {"event_id": eid, "source_actor": src + "GOV", "target_actor": tgt + "GOV", "cameo": "042",
            "event_date": date, "modality": modality, "mention_ids": mids, "num_sources": 0,
            "source_country": src, "target_country": tgt, "first_seen": "2015-02-10"}


@pytest.fixture
def world():
    arts = pd.DataFrame([_article("a1", "x", "Wire"), _article("a2", "x", "Wire"), _article("b1", "x", "Mag"),
                         _article("c1", "x", "Blog")])
    mentions = pd.DataFrame([
        _mention("m1", "a1", "RUS", "PRK"), _mention("m2", "b1", "RUS", "PRK", hedged=True),
        _mention("m3", "a2", "PRK", "RUS", modality="hypothetical"), _mention("m4", "c1", "USA", "CHN"),
        _mention("m5", "a1", "RUS", "PRK"),
    ])
    events = pd.DataFrame([_event("e1", "RUS", "PRK", ["m1", "m2"]),
                           _event("e2", "PRK", "RUS", ["m3"], modality="hypothetical"),
                           _event("e3", "USA", "CHN", ["m4"]), _event("e4", "RUS", "PRK", ["m5"], date="2016-01-01")])
    return arts, mentions, events


def test_blindspots_name_who_reports_and_who_misses(world):
    arts, mentions, events = world
    b = blindspots(events, mentions, arts).set_index("event_id")
    assert b.loc["e1"].outlets_reporting == ["Mag", "Wire"] and b.loc["e1"].outlets_missing == ["Blog"]
    assert pd.isna(b.loc["e1"].exclusive_to)
    assert b.loc["e3"].exclusive_to == "Blog" and b.loc["e3"].outlets_missing == ["Mag", "Wire"]
    assert "e2" not in blindspots(events, mentions, arts, asserted_only=True).event_id.tolist()
    # all four articles were published on 2015-02-10, so every missing outlet was publishing then
    assert b.loc["e1"].missing_while_active == ["Blog"]
    late = arts.assign(published=["2015-02-10", "2015-02-10", "2015-02-10", "2016-06-01"])
    assert blindspots(events, mentions, late).set_index("event_id").loc["e1"].missing_while_active == []


def test_dyad_blindspots_count_only_outlets_publishing_that_period(world):
    arts, mentions, events = world
    arts = arts.assign(published=["2015-02-10", "2016-01-05", "2015-03-01", "2014-01-01"])
    d = dyad_blindspots(events, mentions, arts, "Y").set_index(["period", "source", "target"])
    row = d.loc[("2015", "RUS", "PRK")]
    assert row.outlets_reporting == ["Mag", "Wire"] and row.outlets_missing == [] and row.event_ids == ["e1"]
    usa = d.loc[("2015", "USA", "CHN")]
    assert usa.outlets_reporting == ["Blog"] and usa.outlets_missing == ["Mag", "Wire"]
    assert d.loc[("2016", "RUS", "PRK")].outlets_missing == []  # Wire reports e4 and is the only one then


def test_hedging_and_outlet_table(world):
    arts, mentions, events = world
    h = hedging(mentions, arts).set_index(["outlet", "source", "target"])
    assert h.loc[("Mag", "PRK", "RUS")].hedged_share == 1.0  # the dyad is unordered: RUS->PRK is PRK-RUS
    wire = h.loc[("Wire", "PRK", "RUS")]
    assert wire.mentions == 3 and wire.speculative_share == pytest.approx(1 / 3, abs=1e-3) and wire.hedged == 0
    g = pd.DataFrame([{"article_id": a, "outlet": o, "genre": "opinion" if o == "Mag" else "news"}
                      for a, o in zip(arts.article_id, arts.outlet)])
    evals = pd.DataFrame([{"outlet": "Mag", "score": -0.5}, {"outlet": "Mag", "score": 0.25}])
    t = outlet_table(arts, mentions, events, evals, g).set_index("outlet")
    assert list(t.loc["Wire", ["articles", "mentions", "events", "exclusive_events"]]) == [2, 3, 3, 2]
    assert t.loc["Mag"].opinion_share == 1.0 and t.loc["Mag"].hedged_share == 1.0
    assert t.loc["Mag"].stance_mean == pytest.approx(-0.125) and t.loc["Mag"].exclusive_events == 0
    assert t.loc["Blog"].exclusive_events == 1 and pd.isna(t.loc["Wire"].stance_mean)
    assert outlet_table(arts, mentions, events, evals, g, asserted_only=True).set_index("outlet").loc[
        "Wire"].events == 2


def test_a_question_counts_half(lex):
    text = "Russia made a reckless move. Was it a reckless move by Russia?"
    second = text.index("Was")
    arts = pd.DataFrame([_article("q", text, "Wire")])
    acts = _place("q", text, [("Russia", "RUS", 0), ("Russia", "RUS", second)])
    acts.loc[1, "sentence_end"] = len(text)
    by_actor, _ = evaluations(arts, acts, NO_EVENTS, lex)
    plain, asked = by_actor.sort_values("start").score.tolist()
    assert asked == pytest.approx(plain / 2, abs=1e-3) and plain < 0


import functools  # noqa: E402

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

@functools.lru_cache(maxsize=1)
def _cached_lexicon():
    return load_evaluative_lexicon()


_WORDS = st.sampled_from(["not", "a", "smart", "move", "very", "reckless", "Russia", "said", "“", "”", ",", ".",
                          "?", "\n\n", "bad and alarming", "welcome step", "İstanbul", "’s", "no", "far from"])


@settings(max_examples=60, deadline=None)
@given(st.lists(_WORDS, max_size=40), st.lists(st.tuples(st.integers(0, 200), st.integers(0, 200)), max_size=4))
def test_scores_and_spans_stay_in_bounds(words, known):
    lex = _cached_lexicon()
    text = " ".join(words)
    for h in score_text(text, lex, quoted_spans(text)):
        assert text[h.start:h.end] == h.term and -1.0 <= h.score <= 1.0
    spans = sentence_spans(text, [(min(a, b), max(a, b)) for a, b in known])
    assert all(0 <= s < e <= len(text) for s, e in spans)
    assert all(a[1] <= b[0] for a, b in zip(spans, spans[1:]))
