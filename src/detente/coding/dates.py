"""When did the event happen? Dates attached to an event predicate.

``resolve_event_date(trigger, article_date)`` looks for a time expression
attached to the trigger's own clause: DATE entities and time adverbials that
depend on the trigger, on the verbs governing it through infinitival
complements ("decided to *visit* on Monday") or, for a noun trigger, on the
noun itself ("last year's *annexation*"). Dates in other clauses of the same
sentence are ignored. When nothing attaches, a sentence-initial adverbial is
used ("In 2013, it admonished ..."); failing that the article date stands in
(granularity ``article``); without an article date the result is ``unknown``.
A date is never invented: relative expressions need the article date.

Resolution, relative to the article date:

* explicit dates ("On Jan. 31", "March 2014") go to dateparser, with
  ``PREFER_DATES_FROM='past'`` (``'future'`` when the trigger is governed by
  "will"/"going to") and the article date plus ``SLACK_DAYS`` as the base, so
  "Jan. 31" in an article of 2015-02-10 is 2015-01-31 and "Feb. 12" is
  2015-02-12, not 2014. Calls are cached on (text, base, preference).
* hand-written (data in ``coding/data/dates.yaml``), because dateparser does
  not cover them or gets them wrong: bare years, decades ("the 1970s" ->
  1970-01-01, decade), seasons ("last summer" -> the most recent summer that
  has ended -> YYYY-06-01, season), "last/this/next week|month|year|<weekday>",
  "the year before" (article year - 1), "N years ago", "yesterday", weekdays
  (the most recent such day on or before the article date), named periods
  ("during the Cold War" -> 1947-01-01, decade; the table gives each period's
  start, end and granularity), and ranges ("since 2014", "from 1950 to 1953"
  -> the start).
* "last week" / "this week" / "next week": the week is resolved (article date
  -/+ 7 days) but reported with granularity ``month`` (first day of that
  week's month; the reason names the day), because the data model has no
  week granularity and ``day`` would claim too much.
* vague present-time expressions ("in recent months", "recently", "now")
  give the article date with granularity ``article``; anaphoric ones ("at the
  time", "around then") give ``unknown``: the time is stated elsewhere.
"""

from __future__ import annotations

import datetime as dt
import re
import threading
from dataclasses import dataclass
from functools import lru_cache

from spacy.tokens import Token

from .. import periods
from ..actors import children_of, sent_of
from ..errors import DetenteError
from ..resources import package_yaml
from .modality import governing_chain

SLACK_DAYS = 3  # an explicit day may lie a few days after the article date


@dataclass(frozen=True, slots=True)
class EventDate:
    """When an event happened, how precisely, and why we think so."""

    event_date: str | None  # ISO YYYY-MM-DD (first day of the period for coarser granularity)
    granularity: str  # day | month | season | year | decade | article | unknown
    reason: str  # e.g. "explicit:On Jan. 31", "relative:last summer", "article-date"


@dataclass(frozen=True, slots=True)
class NamedPeriod:
    name: str
    patterns: tuple[str, ...]
    start: int
    end: int
    granularity: str


@dataclass(frozen=True, slots=True)
class DateLexicon:
    """The tables of dates.yaml."""

    temporal_prepositions: frozenset[str]
    temporal_nouns: frozenset[str]
    months: dict
    weekdays: dict
    seasons: dict
    relative_words: dict
    year_before_phrases: tuple[str, ...]
    number_words: dict
    qualifiers: tuple[str, ...]
    vague_expressions: tuple[str, ...]
    anaphoric_expressions: tuple[str, ...]
    named_periods: tuple[NamedPeriod, ...]


_LISTS = ("temporal_prepositions", "temporal_nouns", "year_before_phrases", "qualifiers",
          "vague_expressions", "anaphoric_expressions")
_MAPS = ("months", "weekdays", "seasons", "relative_words", "number_words")


def date_lexicon_from_dict(data: dict, origin: str = "<dict>") -> DateLexicon:
    """Build a DateLexicon from parsed YAML, checking the schema."""
    if not isinstance(data, dict):
        raise DetenteError("E304", f"{origin}: dates lexicon is not a mapping")
    for key in (*_LISTS, *_MAPS, "named_periods"):
        if key not in data:
            raise DetenteError("E304", f"{origin}: dates lexicon lacks {key!r}")
    for key in _LISTS:
        if not isinstance(data[key], list) or not all(isinstance(w, str) for w in data[key]):
            raise DetenteError("E304", f"{origin}: {key!r} must be a list of strings")
    for key in _MAPS:
        m = data[key]
        if not isinstance(m, dict) or not all(isinstance(k, str) and isinstance(v, int) for k, v in m.items()):
            raise DetenteError("E304", f"{origin}: {key!r} must map strings to integers")
    periods = []
    for p in data["named_periods"]:
        try:
            gran = str(p["granularity"])
            if gran not in ("day", "month", "season", "year", "decade"):
                raise ValueError(gran)
            periods.append(NamedPeriod(str(p["name"]), tuple(s.lower() for s in p["patterns"]),
                                       int(p["start"]), int(p["end"]), gran))
        except (KeyError, TypeError, ValueError) as exc:
            raise DetenteError("E304", f"{origin}: bad named period {p!r} ({exc})") from exc
    # longest pattern first, so "end of the cold war" wins over "cold war"
    periods.sort(key=lambda p: -max(len(s) for s in p.patterns))
    by_len = lambda xs: tuple(sorted((x.lower() for x in xs), key=len, reverse=True))  # noqa: E731
    return DateLexicon(
        temporal_prepositions=frozenset(w.lower() for w in data["temporal_prepositions"]),
        temporal_nouns=frozenset(w.lower() for w in data["temporal_nouns"]),
        months={k.lower(): v for k, v in data["months"].items()},
        weekdays={k.lower(): v for k, v in data["weekdays"].items()},
        seasons={k.lower(): v for k, v in data["seasons"].items()},
        relative_words={k.lower(): v for k, v in data["relative_words"].items()},
        year_before_phrases=by_len(data["year_before_phrases"]),
        number_words={k.lower(): v for k, v in data["number_words"].items()},
        qualifiers=by_len(data["qualifiers"]),
        vague_expressions=by_len(data["vague_expressions"]),
        anaphoric_expressions=by_len(data["anaphoric_expressions"]),
        named_periods=tuple(periods),
    )


@lru_cache(maxsize=1)
def load_date_lexicon() -> DateLexicon:
    """The packaged dates.yaml, loaded once."""
    return date_lexicon_from_dict(package_yaml("detente.coding", "data/dates.yaml"), "coding/data/dates.yaml")


# ------------------------------------------------------------ calendar helpers

def _add_months(d: dt.date, n: int) -> dt.date:
    m = d.month - 1 + n
    return dt.date(d.year + m // 12, m % 12 + 1, 1)


def period_end(ev: EventDate) -> dt.date | None:
    """Last day of the period an EventDate stands for (None if unknown); see
    :mod:`detente.periods`."""
    span = periods.interval(ev.event_date, ev.granularity)
    return span[1] if span else None


def is_historical(ev: EventDate, article_date: dt.date | None, days: int = 365) -> bool:
    """True when the event's period ended more than ``days`` before the article."""
    if article_date is None or ev.granularity in ("article", "unknown"):
        return False
    end = period_end(ev)
    if end is None:
        return False
    return (article_date - end).days > days


# --------------------------------------------------------- finding expressions

_ADVERB_TIMES = frozenset({"yesterday", "today", "tonight", "tomorrow", "recently", "lately",
                           "now", "currently", "nowadays", "then"})


def _is_temporal_phrase(tok: Token, lex: DateLexicon) -> bool:
    """Does the phrase headed by ``tok`` name a time (DATE entity, time noun, period)?"""
    # the head of the phrase must itself be (part of) a date, not merely
    # contain one: "on Jan. 31" yes, "in relation to the 2005 bombing" no
    if tok.ent_type_ == "DATE" or tok.lower_ in lex.temporal_nouns:
        return True
    if any(c.ent_type_ == "DATE" and c.dep_ in ("nummod", "compound", "amod", "quantmod", "npadvmod")
           for c in children_of(tok)):
        return True
    # a named period must be what the phrase is about: "during the Cold War",
    # not "from a World War II-style attack"
    text = tok.doc[tok.left_edge.i: tok.right_edge.i + 1].text.lower()
    head = tok.lower_
    return any(pat in text and head in pat.split() for p in lex.named_periods for pat in p.patterns)


def _phrase_text(tok: Token) -> tuple[str, int, int]:
    span = tok.doc[tok.left_edge.i: tok.right_edge.i + 1]
    return span.text, span.start_char, span.end_char


def _attached_expressions(tok: Token, lex: DateLexicon, noun_mode: bool) -> list[Token]:
    """Children of ``tok`` that are time adverbials (heads of the phrases)."""
    out = []
    for c in children_of(tok):
        dep = c.dep_
        if dep == "prep" and (c.lower_ in lex.temporal_prepositions):
            if c.lower_ == "of" and not noun_mode:
                continue
            if any(p.dep_ in ("pobj", "pcomp") and _is_temporal_phrase(p, lex) for p in children_of(c)):
                out.append(c)
        elif dep in ("npadvmod", "tmod", "obl:tmod") and _is_temporal_phrase(c, lex):
            out.append(c)
        elif dep == "advmod" and c.lower_ in _ADVERB_TIMES:
            out.append(c)
        elif dep == "advmod" and c.ent_type_ == "DATE":
            out.append(c)
        elif noun_mode and dep in ("poss", "compound", "nummod", "amod") and c.ent_type_ == "DATE":
            out.append(c)
    return out


_SENT_INITIAL = threading.local()  # the last document's answers, by sentence start, per thread


def _sentence_initial(trigger: Token, lex: DateLexicon) -> Token | None:
    """The time adverbial opening the trigger's sentence, if any: one answer per sentence,
    kept for the sentence's other triggers (the scan reads the whole sentence and its
    root's phrases). The entry holds the document, so ``is`` never matches a new one at
    a freed one's address."""
    doc, sent = trigger.doc, sent_of(trigger)  # trigger.sent, read once per document
    memo = getattr(_SENT_INITIAL, "memo", None)
    if memo is None or memo[0] is not doc or memo[1] != len(doc) or memo[2] is not lex:
        memo = _SENT_INITIAL.memo = (doc, len(doc), lex, {})
    known = memo[3]
    if sent.start not in known:
        known[sent.start] = _sentence_initial_of(sent, lex)
    return known[sent.start]


def _sentence_initial_of(sent, lex: DateLexicon) -> Token | None:
    first = next((t for t in sent if not (t.is_punct or t.is_space)), None)
    if first is None:
        return None
    root = sent.root
    for c in children_of(root):
        if c.left_edge.i == first.i and c.i < root.i:
            found = _attached_expressions(root, lex, noun_mode=False)
            if c in found:
                return c
    return None


def _prefers_future(trigger: Token) -> bool:
    for tok, _arc in governing_chain(trigger):
        for c in children_of(tok):
            if c.dep_ == "aux" and c.lemma_.lower() in ("will", "shall"):
                return True
        if tok.lemma_.lower() == "go" and tok.tag_ == "VBG" and any(c.dep_ == "xcomp" for c in children_of(tok)):
            return True
    return False


# ------------------------------------------------------------ resolving text

@lru_cache(maxsize=4096)
def _dateparser(text: str, base: dt.date, prefer: str) -> tuple[dt.date, str] | None:
    """dateparser on one explicit date string; cached because it is slow."""
    from dateparser.date import DateDataParser

    parser = DateDataParser(
        languages=["en"],
        settings={
            "RELATIVE_BASE": dt.datetime(base.year, base.month, base.day),
            "PREFER_DATES_FROM": prefer,
            "PREFER_DAY_OF_MONTH": "first",
            "REQUIRE_PARTS": [],
        },
    )
    data = parser.get_date_data(text)
    if data is None or data.date_obj is None:
        return None
    period = data.period or "day"
    return data.date_obj.date(), period


_RE_YEAR = re.compile(r"^(?:the\s+)?(?:year\s+(?:of\s+)?)?((?:1[5-9]|20)\d\d)$")
_RE_ANY_YEAR = re.compile(r"\b((?:1[5-9]|20)\d\d)\b")
_RE_DECADE = re.compile(r"\b(?:the\s+)?((?:1[5-9]|20)\d)0'?s\b|\b(?:the\s+)?'(\d)0s\b")
_RE_AGO = re.compile(r"^(\w+(?:\s+\w+)?|\d+)\s+(day|week|month|year|decade)s?\s+ago$")
_RE_RANGE_SPLIT = re.compile(r"\s+(?:to|and|until|till|through|or)\s+|\s*[-–—]\s*(?=\d)")
_RE_NUMERIC = re.compile(r"\b\d{1,4}[/.-]\d{1,2}[/.-]\d{1,4}\b")


def _strip(text: str) -> str:
    t = text.lower().strip().strip("\"'“”‘’,.;:()")
    return re.sub(r"\s+", " ", t)


def _season_start(season_month: int, year: int) -> dt.date:
    return dt.date(year, season_month, 1)


def _resolve_season(rel: int | None, sm: int, year: int | None, art: dt.date | None) -> dt.date | None:
    if year is not None:
        return _season_start(sm, year)
    if art is None:
        return None
    # occurrences around the article date
    occ = [_season_start(sm, y) for y in range(art.year - 2, art.year + 2)]
    ends = [periods.period_end(o, "season") for o in occ]
    if rel == -1:  # most recent occurrence that has ended
        return max(o for o, e in zip(occ, ends) if e < art)
    if rel == 1:
        return min(o for o in occ if o > art)
    for o, e in zip(occ, ends):  # "this summer": the one containing the article date...
        if o <= art <= e:
            return o
    if rel == 0:  # ...or the one starting in the article's year
        return next(o for o in occ if o.year == art.year)
    return max(o for o in occ if o <= art)  # bare "in summer": the most recent one


def _resolve_text(text: str, art: dt.date | None, prefer: str, lex: DateLexicon) -> tuple[str | None, str, str] | None:
    """(iso, granularity, kind) for one expression, or None if it is not a time."""
    t = _strip(text)
    prep = ""
    for p in sorted(lex.temporal_prepositions, key=len, reverse=True):
        if t.startswith(p + " "):
            prep, t = p, t[len(p) + 1:]
            break
    if t.startswith("the ") and not t.startswith("the year before"):
        t2 = t[4:]
    else:
        t2 = t
    for q in lex.qualifiers:
        for cand in (t2, t):
            if cand.startswith(q + " ") or cand.startswith(q + "-"):
                t2 = cand[len(q) + 1:].lstrip("- ")
                t2 = t2[3:] if t2.startswith("of ") else t2
                t2 = t2[4:] if t2.startswith("the ") else t2
                break
    full = f"{prep} {t}".strip()

    def need_art(kind: str):
        return (None, "unknown", kind + "-no-article-date")

    # vague and anaphoric expressions
    for v in lex.vague_expressions:
        if full == v or t == v or t.endswith(v) and len(v) > 6:
            return (art.isoformat() if art else None, "article" if art else "unknown", "vague")
    for a in lex.anaphoric_expressions:
        if full == a or t == a:
            return (None, "unknown", "anaphoric")
    # named periods
    for per in lex.named_periods:
        if any(pat in t for pat in per.patterns):
            return (dt.date(per.start, 1, 1).isoformat(), per.granularity, "period")
    # decades, first of a list ("the 1970s and 1980s")
    m = _RE_DECADE.search(t)
    if m:
        y = int(m.group(1) + "0") if m.group(1) else 1900 + int(m.group(2)) * 10
        return (dt.date(y, 1, 1).isoformat(), "decade", "decade")
    # ranges: take the start ("from 1950 to 1953", "between March and May")
    parts = _RE_RANGE_SPLIT.split(t2)
    if len(parts) > 1 and parts[0]:
        head = parts[0]
        end_year = _RE_ANY_YEAR.search(parts[-1])
        if end_year and not _RE_ANY_YEAR.search(head):
            # "in February and August 2000", "January to March 2015": the year
            # at the end of the range belongs to its start too
            head = f"{head} {end_year.group(1)}"
        first = _resolve_text(head, art, prefer, lex)
        if first is not None:
            return first
    # bare year
    m = _RE_YEAR.match(t2)
    if m:
        return (dt.date(int(m.group(1)), 1, 1).isoformat(), "year", "explicit")
    # "the year before"
    if any(t == p or full == p or t.endswith(p) for p in lex.year_before_phrases):
        if art is None:
            return need_art("relative")
        return (dt.date(art.year - 1, 1, 1).isoformat(), "year", "relative")
    words = t2.split()
    # yesterday / today / tomorrow
    if t2 in ("yesterday", "today", "tonight", "tomorrow", "this morning", "this afternoon",
              "this evening", "last night", "yesterday morning", "yesterday afternoon"):
        if art is None:
            return need_art("relative")
        off = -1 if t2.startswith("yesterday") or t2 == "last night" else (1 if t2 == "tomorrow" else 0)
        return ((art + dt.timedelta(days=off)).isoformat(), "day", "relative")
    # N units ago
    m = _RE_AGO.match(t2)
    if m:
        n_txt, unit = m.group(1), m.group(2)
        n = int(n_txt) if n_txt.isdigit() else lex.number_words.get(n_txt)
        if n is not None:
            if art is None:
                return need_art("relative")
            if unit == "day":
                return ((art - dt.timedelta(days=n)).isoformat(), "day", "relative")
            if unit == "week":
                d = art - dt.timedelta(days=7 * n)
                return (d.replace(day=1).isoformat(), "month", "relative")
            if unit == "month":
                return (_add_months(art.replace(day=1), -n).isoformat(), "month", "relative")
            if unit == "year":
                return (dt.date(art.year - n, 1, 1).isoformat(), "year", "relative")
            return (dt.date((art.year - 10 * n) // 10 * 10, 1, 1).isoformat(), "decade", "relative")
    # relative word + unit/season/weekday/month: "last summer", "next week", "this spring"
    rel = None
    rest = t2
    for rw in sorted(lex.relative_words, key=len, reverse=True):
        if t2.startswith(rw + " "):
            rel, rest = lex.relative_words[rw], t2[len(rw) + 1:]
            break
    if rest.endswith("'s") or rest.endswith("’s"):
        rest = rest[:-2].strip()
    # seasons ("summer", "summer of 2014", "the summer 2014")
    sw = rest.split()
    if sw and sw[0] in lex.seasons:
        ym = _RE_ANY_YEAR.search(rest)
        d = _resolve_season(rel, lex.seasons[sw[0]], int(ym.group(1)) if ym else None, art)
        if d is None:
            return need_art("relative")
        return (d.isoformat(), "season", "relative" if not ym else "explicit")
    if rel is not None and rest in ("week", "month", "year", "decade"):
        if art is None:
            return need_art("relative")
        if rest == "week":
            d = art + dt.timedelta(days=7 * rel)
            return (d.replace(day=1).isoformat(), "month", "relative")
        if rest == "month":
            return (_add_months(art.replace(day=1), rel).isoformat(), "month", "relative")
        if rest == "year":
            return (dt.date(art.year + rel, 1, 1).isoformat(), "year", "relative")
        return (dt.date((art.year + 10 * rel) // 10 * 10, 1, 1).isoformat(), "decade", "relative")
    # weekdays: "Tuesday", "last Tuesday", "next Friday"
    if rest in lex.weekdays or (rest.endswith("s") and rest[:-1] in lex.weekdays and rel is None):
        if art is None:
            return need_art("relative")
        wd = lex.weekdays[rest if rest in lex.weekdays else rest[:-1]]
        back = (art.weekday() - wd) % 7
        if rel == 1 or (rel is None and prefer == "future"):
            fwd = (wd - art.weekday()) % 7 or 7
            return ((art + dt.timedelta(days=fwd)).isoformat(), "day", "relative")
        if rel == -1 and back == 0:
            back = 7
        return ((art - dt.timedelta(days=back)).isoformat(), "day", "relative")
    if rel is not None and rest in lex.months:
        if art is None:
            return need_art("relative")
        mo = lex.months[rest]
        y = art.year + (rel if rel else 0)
        if rel == -1 and mo < art.month:
            y = art.year
        return (dt.date(y, mo, 1).isoformat(), "month", "relative")
    # explicit calendar strings: dateparser, only when a month name, a year or a
    # numeric date is present (it returns "now" for many things it half-reads)
    has_year = _RE_ANY_YEAR.search(t2)
    has_month = any(w.strip(".,") in lex.months for w in words)
    if not (has_year or has_month or _RE_NUMERIC.search(t2)):
        return None
    if art is None:
        if not has_year:
            return need_art("explicit")
        base = dt.date(int(has_year.group(1)), 12, 31)
    else:
        base = art + dt.timedelta(days=SLACK_DAYS) if prefer == "past" else art
    got = _dateparser(t2, base, prefer)
    if got is None:
        if has_year:
            return (dt.date(int(has_year.group(1)), 1, 1).isoformat(), "year", "explicit")
        return None
    d, period = got
    if period == "year":
        return (dt.date(d.year, 1, 1).isoformat(), "year", "explicit")
    if period in ("month", "week"):
        return (d.replace(day=1).isoformat(), "month", "explicit")
    return (d.isoformat(), "day", "explicit")


@lru_cache(maxsize=8192)
def resolve_expression(text: str, article_date: dt.date | None, prefer: str = "past") -> EventDate | None:
    """Resolve one time expression ("On Jan. 31", "last summer") against an
    article date. None when ``text`` is not a time expression we understand."""
    got = _resolve_text(text, article_date, prefer, load_date_lexicon())
    if got is None:
        return None
    iso, gran, kind = got
    return EventDate(iso, gran, f"{kind}:{text.strip()}")


def resolve_event_date(trigger: Token, article_date: dt.date | None) -> EventDate:
    """The date of the event triggered by ``trigger`` (see module docstring)."""
    lex = load_date_lexicon()
    prefer = "future" if _prefers_future(trigger) else "past"
    candidates: list[tuple[Token, str]] = []
    noun = trigger.pos_ in ("NOUN", "PROPN")
    if noun:
        candidates += [(c, "") for c in _attached_expressions(trigger, lex, noun_mode=True)]
    for tok, arc in governing_chain(trigger):
        if tok.i == trigger.i and noun:
            continue
        candidates += [(c, "") for c in _attached_expressions(tok, lex, noun_mode=tok.pos_ in ("NOUN", "PROPN"))]
    initial = _sentence_initial(trigger, lex)
    if initial is not None and all(initial.i != c.i for c, _ in candidates):
        candidates.append((initial, " (sentence adverbial)"))
    for head, note in candidates:
        text, _s, _e = _phrase_text(head)
        ev = resolve_expression(text, article_date, prefer)
        if ev is not None:
            return EventDate(ev.event_date, ev.granularity, ev.reason + note) if note else ev
    if article_date is None:
        return EventDate(None, "unknown", "no-article-date")
    return EventDate(article_date.isoformat(), "article", "article-date")


__all__ = [
    "EventDate",
    "DateLexicon",
    "NamedPeriod",
    "resolve_event_date",
    "resolve_expression",
    "is_historical",
    "period_end",
    "load_date_lexicon",
    "date_lexicon_from_dict",
    "SLACK_DAYS",
]
