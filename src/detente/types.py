"""The data model: one frozen dataclass per stage output.

Stages talk to each other only through these types. The storage schema
(:mod:`detente.schema`), the exports and the ``detente code`` JSON are all
derived from the field lists below, so a field added here shows up everywhere.

Offsets (``start``/``end``) are always character offsets into ``Article.text``,
which is the original text of the input (for .txt/.md the file text itself;
for HTML the text trafilatura extracted; for JSON/CSV the record's ``text``).
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from enum import StrEnum
from typing import Literal

Modality = Literal["asserted", "intent", "hypothetical", "negated"]
Granularity = Literal["day", "month", "season", "year", "decade", "article", "unknown"]

MODALITIES: tuple[str, ...] = ("asserted", "intent", "hypothetical", "negated")
GRANULARITIES: tuple[str, ...] = ("day", "month", "season", "year", "decade", "article", "unknown")


class Basis(StrEnum):
    """What an actor mention's code rests on. Code tests this typed field; ``reason``
    is the free-text explanation for people and is never parsed by code."""

    KB_ENTITY = "kb_entity"  # a KB organisation, agency, medium or actor by name
    INTERNATIONAL = "international"  # a KB IGO or bloc (no country)
    ARMED_GROUP = "armed_group"  # a KB non-state armed group (or its members)
    PERSON = "person"  # a KB person, coded by their post on the article date
    FORMER_TITLE = "former_title"  # "former President X" with no date: <country>ELI
    TITLE = "title"  # a person by a title and a country ("South Korean President Park")
    ORG_NAME = "org_name"  # an organisation missing from the KB, by its name
    ETHNIC = "ethnic"  # an ethnic or national group by its country of residence
    COUNTRY = "country"  # a country name
    COUNTRY_LOCATIVE = "country_locative"  # a country name as a place ("in Russia")
    MISSPELT_COUNTRY = "misspelt_country"  # a country name one typo away
    DEMONYM = "demonym"  # "Russian", "North Koreans"
    CAPITAL = "capital"  # a capital standing for its government ("Beijing said")
    SEAT = "seat"  # a seat of power ("the Kremlin")
    PREDECESSOR_SEAT = "predecessor_seat"  # a capital or seat before its state ("Moscow" in 1985)
    # a role noun taking an actor's country: "Russia's navy", "the Kim regime", "Air
    # Force and Navy" after "Russia's", "state media" repeating "China's state press"
    ROLE_NOUN = "role_noun"
    ROLE_OF_COUNTRY = "role_of_country"  # "the Government of Turkey"
    COREFERENCE = "coreference"  # a short reference to an earlier mention (surname, pronoun, ...)
    PLACE = "place"  # the country of a place: "a missionary from Calgary", "Baghdad University"
    AGENT = "agent"  # a generic agent with a country from its context ("police in Kiev")
    AGENT_NO_COUNTRY = "agent_no_country"  # a generic agent whose country is not known
    # a name missing from the KB, coded by the words that describe it: an appositive ("X, a
    # spokesman for the Egyptian army"), a descriptor ("Chinese telecommunications giant ZTE")
    DESCRIBED = "described"
    NAME_ONLY = "name_only"  # a person's name and nothing known about them: the bare sector CVL


@dataclass(frozen=True, slots=True)
class Article:
    """One input document after ingest (before any NLP)."""

    article_id: str  # stable: file stem or the record's id
    text: str  # original text; offsets point into it
    content_hash: str  # sha256 of text + metadata; detects changed inputs
    source_path: str  # file the article came from
    format: str  # txt, md, html, json, jsonl, csv
    title: str | None = None
    url: str | None = None
    outlet: str | None = None
    published: str | None = None  # article date, ISO YYYY-MM-DD, or None if unknown
    author: str | None = None
    language: str | None = None  # ISO 639-1 code from the language check
    originally_published_by: str | None = None  # from "This article originally appeared at X"
    # Character spans of text left out of the analysis (boilerplate, front matter).
    # They are masked with spaces before parsing, never cut, so offsets stay true.
    masked: tuple[tuple[int, int], ...] = ()
    extra: str = "{}"  # unknown input fields, as a JSON object string
    # For an article without ``published``: a lower bound estimated from the dates its text mentions
    # (detente.ingest.published). Never used to date events; shown so a user knows what to supply.
    published_estimate: str | None = None  # ISO date, the first day of the latest date mentioned
    published_estimate_granularity: str | None = None  # day | month | year | decade
    published_estimate_reason: str | None = None


@dataclass(frozen=True, slots=True)
class ActorMention:
    """One resolved mention of an actor in one article."""

    article_id: str
    text: str  # the span as it stands in the article
    start: int  # character offsets into Article.text
    end: int
    code: str  # CAMEO-style actor code, e.g. RUSGOV, PRKMIL, USA, NATO
    country: str | None  # ISO 3166 alpha-3, or None for IGOs/blocs/unknown
    sector: str | None  # role, e.g. GOV, MIL, MED, ELI; None for a plain country
    kb_id: str | None  # knowledge-base entry behind the resolution
    reason: str  # why: "capital-metonym", "title+demonym", "leader@2015-01-31", ...
    sentence_start: int = 0  # the sentence the mention stands in
    sentence_end: int = 0
    confidence: float = 1.0
    basis: str = ""  # a Basis value: what the code rests on ("" when built outside the resolver)


@dataclass(frozen=True, slots=True)
class EventMention:
    """One coded interaction reported in one sentence of one article."""

    article_id: str
    source_actor: str | None  # actor code, e.g. CHNGOV
    source_country: str | None
    target_actor: str | None  # None when the event has no identifiable target
    target_country: str | None
    cameo: str  # zero-padded string, e.g. "0312"
    cameo_root: str  # first two characters, e.g. "03"
    quad_class: int  # 1 verbal coop, 2 material coop, 3 verbal conflict, 4 material conflict
    goldstein: float
    plover: str | None  # PLOVER event type, e.g. AGREE
    modality: str  # asserted | intent | hypothetical | negated
    hedged: bool
    attributed_to: str | None  # whose claim: actor code or outlet/agency name
    historical: bool  # event date well before the article date
    event_date: str | None  # ISO date (first day of the period for coarser granularity)
    date_granularity: str  # day, month, season, year, decade, article, unknown
    date_reason: str
    confidence: float
    sentence: str  # the evidence sentence, verbatim
    start: int  # sentence offsets into Article.text
    end: int
    trigger: str  # the predicate that triggered the code
    trigger_start: int = 0
    trigger_end: int = 0
    source_text: str | None = None  # actor spans as they stand in the text
    source_start: int | None = None
    source_end: int | None = None
    target_text: str | None = None
    target_start: int | None = None
    target_end: int | None = None
    plover_mode: str | None = None
    plover_context: str | None = None
    mention_id: str = ""  # stable id: derived from article, offsets and codes


@dataclass(frozen=True, slots=True)
class Event:
    """An interaction consolidated across the mentions that report it."""

    event_id: str
    source_actor: str | None
    source_country: str | None
    target_actor: str | None
    target_country: str | None
    cameo: str
    cameo_root: str
    quad_class: int
    goldstein: float
    plover: str | None
    modality: str  # the strongest modality among the mentions
    event_date: str | None
    date_granularity: str
    num_mentions: int
    num_articles: int
    num_sources: int
    first_seen: str | None
    last_seen: str | None
    mention_ids: tuple[str, ...] = ()
    hedged_any: bool = False
    asserted_any: bool = False


@dataclass(frozen=True, slots=True)
class Story:
    """Which story an article belongs to: reprints and near-duplicates share one."""

    article_id: str
    story_id: str  # the article id of the story's original
    is_copy: bool  # a reprint or near-duplicate of the original
    similarity: float  # estimated Jaccard similarity to its closest group member
    reason: str  # original | reprint:originally-appeared | near-duplicate


@dataclass(frozen=True, slots=True)
class SkippedInput:
    """A file or record that was not stored, with a numbered reason."""

    path: str
    code: str  # e.g. "E101"
    reason: str


@dataclass(frozen=True, slots=True)
class RunRecord:
    """What one ``detente analyze`` run did; stored in the ``runs`` table."""

    run_id: str
    started_at: str
    finished_at: str
    detente_version: str
    model: str
    schema_version: int
    inputs: str  # JSON list of the paths given
    articles_read: int
    articles_stored: int
    articles_unchanged: int
    articles_skipped: int
    actor_mentions: int
    event_mentions: int
    seconds: float
    status: str  # ok | partial | failed
    skipped: str = "[]"  # JSON list of SkippedInput records
    events: int = 0  # consolidated events in the store after the run
    articles_undated: int = 0  # stored articles with no publication date (metadata or --published)
    articles_estimated: int = 0  # of those, how many have a lower-bound estimate from their text
    repaired: str = ""  # why events/stories were stale before this run and recomputed ("" = they were not)
    user_actors: str = "[]"  # JSON list of {path, sha256}: the user actors files of the run


def field_names(cls: type) -> list[str]:
    """The field names of one of the dataclasses above, in order."""
    return [f.name for f in fields(cls)]


def as_dict(obj) -> dict:
    """A plain dict of a dataclass instance (tuples become lists)."""
    out = {}
    for f in fields(obj):
        v = getattr(obj, f.name)
        if isinstance(v, tuple):
            v = [list(x) if isinstance(x, tuple) else x for x in v]
        out[f.name] = v
    return out


__all__ = [
    "Article",
    "ActorMention",
    "EventMention",
    "Event",
    "Story",
    "SkippedInput",
    "RunRecord",
    "MODALITIES",
    "GRANULARITIES",
    "field_names",
    "as_dict",
]
