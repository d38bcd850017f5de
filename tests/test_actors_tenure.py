"""Roles at the event date: role_at over dates and periods, and the coder re-dating people."""

from __future__ import annotations

import datetime as dt

from detente.actors import resolve_doc
from detente.actors.kb import at_event_date, role_at
from detente.coding import code_doc
from detente.periods import period_end
from detente.types import ActorMention, Basis

D = dt.date


def test_role_at_before_during_after(kb):
    assert role_at(kb, "P:park", D(2010, 5, 1)).code == "KORELI"
    during = role_at(kb, "P:park", D(2015, 5, 1))
    assert during.code == "KORGOV" and during.reason == "head_of_state@2015-05-01"
    after = role_at(kb, "P:park", D(2019, 5, 1))
    assert after.code == "KORELI" and after.reason.startswith("eli:outside-tenure")


def test_role_at_year_is_a_period(kb):
    # Medvedev became president on 2008-05-07: most of 2008 he was president
    r = role_at(kb, "P:medvedev", D(2008, 1, 1), period_end(D(2008, 1, 1), "year"))
    assert r.code == "RUSGOV" and r.row.role == "head_of_state" and r.confidence < 1.0
    # a year with no tenure at all
    r = role_at(kb, "P:medvedev", D(2001, 1, 1), period_end(D(2001, 1, 1), "year"))
    assert r.code == "RUSELI"


def test_role_at_the_higher_post_wins_and_unknown_is_none(kb):
    assert role_at(kb, "P:putin", D(2010, 1, 1)).row.role == "head_of_government"
    assert role_at(kb, "P:nobody", D(2010, 1, 1)) is None
    assert role_at(kb, "P:putin", None).reason.endswith("@latest(no date)")


def test_period_end():
    assert period_end(D(2014, 2, 1), "month") == D(2014, 2, 28)
    assert period_end(D(2014, 1, 1), "year") == D(2014, 12, 31)
    assert period_end(D(2014, 1, 31), "day") == D(2014, 1, 31)


def _m(code, kb_id, reason, basis, country="KOR"):
    return ActorMention("t", "Park", 0, 4, code, country, code[3:] or None, kb_id, reason,
                        basis=basis)


def test_at_event_date_only_redates_tenure_codes(kb):
    art = D(2016, 6, 1)
    m = _m("KORGOV", "P:park", "head_of_state@2016-06-01", Basis.PERSON)
    got = at_event_date(kb, m, "2010-01-01", "year", art)
    assert got.code == "KORELI" and "event date" in got.reason and got.start == m.start
    # the article date standing in, or no date at all: unchanged
    assert at_event_date(kb, m, "2016-06-01", "article", art) is m
    assert at_event_date(kb, m, None, "unknown", art) is m
    # same tenure on both dates: unchanged
    assert at_event_date(kb, m, "2014-01-01", "year", art) is m
    # "the Park government": the code is the state's, not the person's tenure
    role = _m("KORGOV", "P:park", "person+role", Basis.ROLE_NOUN)
    assert at_event_date(kb, role, "2010-01-01", "year", art) is role
    # the decision rests on the typed basis, not on the wording of the reason
    reworded = _m("KORGOV", "P:park", "the Park government", Basis.ROLE_NOUN)
    assert at_event_date(kb, reworded, "2010-01-01", "year", art) is reworded
    assert at_event_date(kb, _m("KORGOV", "P:park", "person+role", Basis.PERSON),
                         "2010-01-01", "year", art).code == "KORELI"
    # a title-only resolution without a KB person is never re-dated
    titled = _m("KORGOV", None, "title+demonym", Basis.TITLE)
    assert at_event_date(kb, titled, "2010-01-01", "year", art) is titled
    assert at_event_date(kb, None, "2010-01-01", "year", art) is None


ARTICLE = ("In 2010, Park Geun-hye visited Japan. "
           "In 2015, Park visited Russia. "
           "In 2019, Park criticized Japan.")


def _event_sources(nlp, kb, lex, text, date):
    doc = nlp(text)
    actors = resolve_doc(doc, "t", date, kb)
    events = code_doc(doc, actors, "t", date, lex, kb)
    return actors, {(e.event_date[:4] if e.event_date else None, e.source_actor) for e in events}


def test_same_name_before_during_after_in_one_article(nlp, kb, lex):
    actors, got = _event_sources(nlp, kb, lex, ARTICLE, D(2020, 3, 1))
    # the actors table keeps the article-date resolution (after her tenure) ...
    assert {m.code for m in actors if "Park" in m.text} == {"KORELI"}
    # ... each event codes her with the role she held that year
    assert ("2010", "KORELI") in got
    assert ("2015", "KORGOV") in got
    assert ("2019", "KORELI") in got


def test_article_during_tenure_sentence_about_earlier_year(nlp, kb, lex):
    text = "In 1995, Sergei Lavrov visited China. On Monday, Lavrov criticized Japan."
    actors, got = _event_sources(nlp, kb, lex, text, D(2016, 2, 10))
    assert ("1995", "RUSELI") in got
    assert ("2016", "RUSGOV") in got


def test_without_kb_the_coder_keeps_article_date_codes(nlp, kb, lex):
    doc = nlp(ARTICLE)
    actors = resolve_doc(doc, "t", D(2020, 3, 1), kb)
    events = code_doc(doc, actors, "t", D(2020, 3, 1), lex)
    assert {e.source_actor for e in events if e.source_actor} == {"KORELI"}


def test_a_former_official_named_by_nationality_is_an_elite(nlp, kb):
    # "former" before the nationality ends the office, for unnamed roles and, with no
    # article date, for named people; "then" says the office was held at the time
    cases = [("Police questioned a former Bolivian minister.", "Bolivian minister", "BOLELI"),
             ("A former Afghan general was arrested in Kabul.", "Afghan general", "AFGELI"),
             ("Police questioned a Bolivian minister.", "Bolivian minister", "BOLGOV"),
             ("The court heard former Pakistani prime minister Imran Khan.",
              "Pakistani prime minister Imran Khan", "PAKELI")]
    for text, mention, code in cases:
        got = {m.text: m.code for m in resolve_doc(nlp(text), "t", None, kb)}
        assert got.get(mention) == code, (text, got)
    then = {m.text: m.code for m in resolve_doc(nlp("The then Iraqi defence minister visited Tehran."),
                                                 "t", None, kb)}
    assert then.get("Iraqi defence minister") == "IRQGOV", then


def test_a_name_ending_in_plus_is_one_word_as_spacy_reads_it(nlp, kb):
    # "OPEC+" and "En+" are single tokens in running text; the KB's aliases split alike
    got = {m.text: m.code for m in resolve_doc(nlp("OPEC+ agreed to cut output, and En+ Group shares fell."),
                                                "t", None, kb)}
    assert got.get("OPEC+") == "IGOBUSOPC" and got.get("En+ Group") == "RUSBUS", got


def test_a_groups_possessive_role_is_its_member(nlp, kb):
    got = {m.text: m.code for m in resolve_doc(nlp("The Taliban's supreme leader issued a decree."), "t",
                                                dt.date(2024, 5, 1), kb)}
    assert got.get("Taliban's supreme leader") == "AFGGOVTAL", got
