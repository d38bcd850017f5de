"""Event dates attached to triggers (detente.coding.dates)."""

from __future__ import annotations

import datetime as dt

import pytest

from detente.coding.dates import (
    EventDate,
    date_lexicon_from_dict,
    is_historical,
    load_date_lexicon,
    period_end,
    resolve_event_date,
    resolve_expression,
)
from detente.errors import DetenteError

from conftest import SEEDS, needs_shared

ART = dt.date(2015, 2, 10)  # a Tuesday


def _trigger(doc, word: str, nth: int = 0):
    hits = [t for t in doc if t.text == word]
    assert len(hits) > nth, f"{word!r} not in {doc.text!r}"
    return hits[nth]


def _date(nlp, sentence, word, article_date=ART, nth=0) -> EventDate:
    return resolve_event_date(_trigger(nlp(sentence), word, nth), article_date)


# ------------------------------------------------------- expressions (no model)

EXPRESSIONS = [
    ("On Jan. 31", "2015-01-31", "day"),
    ("on Jan. 21", "2015-01-21", "day"),
    ("Feb. 12", "2015-02-12", "day"),  # a few days after the article: same year
    ("in March 2014", "2014-03-01", "month"),
    ("in January", "2015-01-01", "month"),
    ("in April", "2014-04-01", "month"),  # the most recent April
    ("Dec. 5, 2014", "2014-12-05", "day"),
    ("in 2013", "2013-01-01", "year"),
    ("in 1991", "1991-01-01", "year"),
    ("since 2014", "2014-01-01", "year"),
    ("late 2014", "2014-01-01", "year"),
    ("from 1950 to 1953", "1950-01-01", "year"),
    ("in February and August 2000", "2000-02-01", "month"),
    ("between January and March 2012", "2012-01-01", "month"),
    ("in the 1970s", "1970-01-01", "decade"),
    ("in the 1970s and 1980s", "1970-01-01", "decade"),
    ("in the late 1990s", "1990-01-01", "decade"),
    ("Last summer", "2014-06-01", "season"),
    ("this spring", "2015-03-01", "season"),
    ("last winter", "2013-12-01", "season"),
    ("this winter", "2014-12-01", "season"),
    ("in the summer of 2012", "2012-06-01", "season"),
    ("last year", "2014-01-01", "year"),
    ("the year before", "2014-01-01", "year"),
    ("next year", "2016-01-01", "year"),
    ("last week", "2015-02-01", "month"),
    ("next month", "2015-03-01", "month"),
    ("earlier this month", "2015-02-01", "month"),
    ("last month", "2015-01-01", "month"),
    ("two years ago", "2013-01-01", "year"),
    ("three days ago", "2015-02-07", "day"),
    ("yesterday", "2015-02-09", "day"),
    ("on Tuesday", "2015-02-10", "day"),  # the article's own weekday
    ("Monday", "2015-02-09", "day"),
    ("last Friday", "2015-02-06", "day"),
    ("last Tuesday", "2015-02-03", "day"),
    ("During the Cold War", "1947-01-01", "decade"),
    ("since the end of the Cold War", "1991-01-01", "year"),
    ("during World War II", "1939-01-01", "year"),
    ("in recent months", "2015-02-10", "article"),
    ("recently", "2015-02-10", "article"),
]


@pytest.mark.parametrize("text,iso,gran", EXPRESSIONS, ids=[e[0] for e in EXPRESSIONS])
def test_resolve_expression(text, iso, gran):
    ev = resolve_expression(text, ART)
    assert (ev.event_date, ev.granularity) == (iso, gran), ev
    assert text in ev.reason


def test_reasons_name_the_kind():
    assert resolve_expression("On Jan. 31", ART).reason == "explicit:On Jan. 31"
    assert resolve_expression("last summer", ART).reason == "relative:last summer"
    assert resolve_expression("during the Cold War", ART).reason.startswith("period:")


@pytest.mark.parametrize("text", ["in Seoul", "in the garrison kingdom", "on the surface", "in exchange",
                                  "at the border", "in response"])
def test_places_and_other_phrases_are_not_dates(text):
    assert resolve_expression(text, ART) is None


def test_future_preference_moves_bare_dates_forward():
    assert resolve_expression("on Friday", ART, "future").event_date == "2015-02-13"
    assert resolve_expression("in March", ART, "future").event_date == "2015-03-01"
    assert resolve_expression("in March", ART).event_date == "2014-03-01"


def test_anaphoric_expressions_are_unknown_not_the_article_date():
    ev = resolve_expression("at the time", ART)
    assert ev.event_date is None and ev.granularity == "unknown"


def test_no_article_date_never_invents_a_date():
    assert resolve_expression("in 2013", None).event_date == "2013-01-01"
    assert resolve_expression("Jan. 31, 2015", None).event_date == "2015-01-31"
    for text in ("last summer", "On Jan. 31", "yesterday", "on Tuesday", "last week", "the year before"):
        ev = resolve_expression(text, None)
        assert ev.event_date is None and ev.granularity == "unknown", (text, ev)


# ------------------------------------------------------------- historical

@pytest.mark.parametrize("ev,expected", [
    (EventDate("2013-01-01", "year", "x"), True),
    (EventDate("2014-06-01", "season", "x"), False),
    (EventDate("2014-01-01", "year", "x"), False),  # ends 2014-12-31, 41 days before
    (EventDate("1970-01-01", "decade", "x"), True),
    (EventDate("2015-01-31", "day", "x"), False),
    (EventDate("2015-02-10", "article", "article-date"), False),
    (EventDate(None, "unknown", "no-article-date"), False),
])
def test_is_historical(ev, expected):
    assert is_historical(ev, ART) is expected


def test_is_historical_uses_the_end_of_the_period_and_the_threshold():
    ev = EventDate("2013-01-01", "decade", "x")  # runs to 2022
    assert period_end(ev) == dt.date(2022, 12, 31)
    assert not is_historical(ev, ART)
    month = EventDate("2014-12-01", "month", "x")
    assert is_historical(month, ART, days=30) and not is_historical(month, ART)
    assert not is_historical(EventDate("1991-01-01", "year", "x"), None)


# ------------------------------------------------------------- in sentences

def test_seed_announcement_date(nlp):
    s = ("On Jan. 31, Russia's armed forces chief of staff, Valery Gerasimov, made a surprise announcement "
         "that his government is entering “preliminary negotiations” with North Korea.")
    ev = _date(nlp, s, "made")
    assert (ev.event_date, ev.granularity, ev.reason) == ("2015-01-31", "day", "explicit:On Jan. 31")
    ev = _date(nlp, s, "announcement")
    assert ev.event_date == "2015-01-31"


def test_seed_year_is_historical(nlp):
    ev = _date(nlp, "In 2013, it admonished the garrison kingdom for its third nuclear test.", "admonished")
    assert (ev.event_date, ev.granularity) == ("2013-01-01", "year")
    assert is_historical(ev, ART)


def test_seed_last_summer(nlp):
    s = ("Last summer, Pyongyang oddly appealed to historical arch-enemy Japan, opening an investigation "
         "into its kidnappings of Japanese nationals in the 1970s and 1980s in exchange for a relaxation of sanctions.")
    ev = _date(nlp, s, "appealed")
    assert (ev.event_date, ev.granularity) == ("2014-06-01", "season")
    assert not is_historical(ev, ART)


def test_date_of_another_clause_is_not_taken(nlp):
    s = "Lavrov told reporters on Jan. 21 that Kim Jong Un could attend a ceremony in Moscow."
    assert _date(nlp, s, "told").event_date == "2015-01-21"
    assert _date(nlp, s, "attend").granularity == "article"
    s = "Kim will travel to Moscow in May, officials said on Monday."
    assert _date(nlp, s, "travel").event_date == "2015-05-01"  # future: next May
    assert _date(nlp, s, "said").event_date == "2015-02-09"


def test_sentence_initial_adverbial_reaches_subordinate_clauses(nlp):
    s = ('Last week, the Russian news agency ITAR-TASS reported that North Korean leader Kim Jong Un and '
         'Russian President Vladmir Putin "regularly exchange messages."')
    ev = _date(nlp, s, "exchange")
    assert ev.event_date == "2015-02-01" and ev.granularity == "month"
    assert "sentence adverbial" in ev.reason


@pytest.mark.parametrize("sentence,word,iso,gran", [
    ("During the Cold War, North Korea was well within the Soviet sphere of influence.", "was",
     "1947-01-01", "decade"),
    ("The collapse of the Soviet Union in 1991 meant an abrupt end of Soviet support.", "collapse",
     "1991-01-01", "year"),
    ("Russia annexed Crimea last year.", "annexed", "2014-01-01", "year"),
    ("The outcry over last year's Crimea annexation continues.", "annexation", "2014-01-01", "year"),
    ("China recently delivered a shipment that was canceled the year before.", "canceled", "2014-01-01", "year"),
    ("China sent troops to the border earlier this month.", "sent", "2015-02-01", "month"),
    ("Putin will meet with South Korea's president next month.", "meet", "2015-03-01", "month"),
    ("The minister arrived in Seoul on Tuesday.", "arrived", "2015-02-10", "day"),
    ("The minister arrived in Seoul yesterday.", "arrived", "2015-02-09", "day"),
    ("Russia has occupied Crimea since 2014.", "occupied", "2014-01-01", "year"),
    ("Moscow recognized Pyongyang in October 2000, and the two sides signed a treaty last spring.",
     "recognized", "2000-10-01", "month"),
    ("Moscow recognized Pyongyang in October 2000, and the two sides signed a treaty last spring.",
     "signed", "2014-03-01", "season"),
    ("In January, North Korea urged the US and South Korea to halt its two annual joint drills this spring.",
     "urged", "2015-01-01", "month"),
    ("In January, North Korea urged the US and South Korea to halt its two annual joint drills this spring.",
     "halt", "2015-03-01", "season"),
    ("Cold War allies Russia and North Korea have revived ties in recent months.", "revived",
     "2015-02-10", "article"),
    ("The minister arrived in Seoul.", "arrived", "2015-02-10", "article"),
    ("Such states insulated the Soviet Union from another World War II-style attack.", "insulated",
     "2015-02-10", "article"),
    ("The two armies clashed at the border.", "clashed", "2015-02-10", "article"),
    ("The UNSC has imposed sanctions on Lebanon in relation to the 2005 terrorist bombing in Beirut.",
     "imposed", "2015-02-10", "article"),
    ("In late March, rebels freed prisoners from a jail in Kajo Keji.", "freed", "2014-03-01", "month"),
    ("The United Nations imposed sanctions on Iraq in 1990 in response to its invasion of Kuwait.",
     "imposed", "1990-01-01", "year"),
    ("Kim met Putin at the time.", "met", None, "unknown"),
    ("The minister arrived in Seoul to meet President Park.", "meet", "2015-02-10", "article"),
])
def test_sentence_dates(nlp, sentence, word, iso, gran):
    ev = _date(nlp, sentence, word)
    assert (ev.event_date, ev.granularity) == (iso, gran), ev


def test_no_date_and_no_article_date(nlp):
    ev = _date(nlp, "The minister arrived in Seoul.", "arrived", article_date=None)
    assert ev == EventDate(None, "unknown", "no-article-date")
    ev = _date(nlp, "The minister arrived in Seoul.", "arrived")
    assert ev == EventDate("2015-02-10", "article", "article-date")
    ev = _date(nlp, "Last summer, Pyongyang appealed to Japan.", "appealed", article_date=None)
    assert ev.event_date is None and ev.granularity == "unknown"


def test_date_lexicon_schema_check():
    lex = load_date_lexicon()
    assert lex is load_date_lexicon()
    assert lex.seasons["summer"] == 6
    with pytest.raises(DetenteError) as exc:
        date_lexicon_from_dict({"months": {}})
    assert exc.value.code == "E304"


@needs_shared
def test_every_seed_verb_gets_a_valid_date(nlp):
    for path in sorted(SEEDS.glob("*.txt")):
        doc = nlp(path.read_text("utf-8"))
        for tok in doc:
            if tok.pos_ in ("VERB", "AUX"):
                ev = resolve_event_date(tok, ART)
                assert ev.granularity in ("day", "month", "season", "year", "decade", "article", "unknown")
                if ev.event_date is not None:
                    dt.date.fromisoformat(ev.event_date)
