"""The actor knowledge base's data model: entries, countries and the loaded KB.

Everything the resolver knows lives in data files under ``actors/data`` and is
loaded by :mod:`.build`; the place gazetteer is in :mod:`.places`, people's
posts on a date in :mod:`.tenure`. Aliases are stored as tuples of normalised
token keys (:func:`.keys.norm`), so matching a Doc is a dict lookup per token
position.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import cached_property
from importlib import resources
from pathlib import Path

from .keys import alias_keys
from .lexicons import DatedName, EthnicLex, OrgWords

# kinds, in order of priority when one alias names entries of several kinds
KINDS = ("person", "actor", "group", "agency", "igo", "ngo", "media", "company", "bloc", "country",
         "seat", "demonym", "capital", "territory")
# Chinese, Korean and Vietnamese names put the surname first ("Xi", "Moon")
SURNAME_FIRST = frozenset({"CHN", "TWN", "PRK", "KOR", "VNM"})


def data_dir() -> Path:
    """The packaged data files of the KB (``detente/actors/data``)."""
    return Path(str(resources.files("detente.actors") / "data"))


@dataclass(frozen=True, slots=True)
class Entry:
    """One KB row: an actor with a code, optionally valid only between two dates."""

    kb_id: str
    kind: str  # one of KINDS
    code: str
    country: str | None
    sector: str | None
    name: str
    start: dt.date | None = None
    end: dt.date | None = None
    role: str | None = None  # person's post, e.g. foreign_minister
    note: str = ""

    def covers(self, date: dt.date | None) -> bool:
        """True if the entry is valid on ``date`` (undated entries always are)."""
        if date is None:
            return True
        return (self.start is None or self.start <= date) and (self.end is None or date <= self.end)


@dataclass(frozen=True, slots=True)
class Country:
    iso3: str
    name: str
    status: str  # state | disputed | historical
    start: dt.date | None = None
    end: dt.date | None = None
    cow: int | None = None  # Correlates of War state number (COW ccode)
    gw: int | None = None  # Gleditsch-Ward state number


@dataclass(frozen=True)
class KB:
    """The loaded knowledge base (immutable once built)."""

    aliases: dict[tuple[str, ...], tuple[Entry, ...]]
    case: dict[tuple[str, ...], tuple[int, ...]]
    first_keys: frozenset[str]
    max_len: int
    roles: dict[tuple[str, ...], tuple[str, bool]]  # phrase key -> (sector, usable as title)
    role_max_len: int
    role_first: frozenset[str]
    countries: dict[str, Country]
    by_id: dict[str, tuple[Entry, ...]]  # kb_id -> all rows (tenures) of that entity
    sources: tuple[str, ...] = ()
    stats: dict = field(default_factory=dict)
    # role phrases that are not agents on their own ("business", "intelligence")
    non_agents: frozenset[tuple[str, ...]] = frozenset()
    # company names that are also ordinary words or places ("Apple", "Shell", "Amazon"):
    # matched only with the guards of rules/named.py (companies.csv, column ambiguous)
    guarded: frozenset[tuple[str, ...]] = frozenset()
    # names of online platforms (Twitter, Telegram): the medium after "on"/"via", no actor
    platforms: frozenset[tuple[str, ...]] = frozenset()
    # context places (capital spellings, major cities) -> ISO3; never actors themselves
    cities: dict[tuple[str, ...], str] = field(default_factory=dict)
    # surname key -> kb_ids of the people whose name or an alias ends with it
    surnames: dict[str, tuple[str, ...]] = field(default_factory=dict)
    # one-word country names (key -> ISO3) and their one-letter deletions, for typos
    spell_keys: dict[str, str] = field(default_factory=dict)
    spell_dels: dict[str, str] = field(default_factory=dict)
    _initials: dict[str, str] = field(default_factory=dict)  # ISO3 -> first letters of its names
    # directory of the data files (the place gazetteer is read from it on first use)
    data_dir: str = ""
    # ethnic groups, organisation head words, date-dependent names (:mod:`.lexicons`)
    ethnic: EthnicLex | None = None
    org_words: OrgWords | None = None
    dated_names: dict[tuple[str, ...], tuple[DatedName, ...]] = field(default_factory=dict)
    # entities that came from user files: kb_id -> file name, and the built-in kb_ids
    # whose names a user entity took (see userfile.user_reason)
    user_sources: dict[str, str] = field(default_factory=dict)
    user_overrides: dict[str, tuple[str, ...]] = field(default_factory=dict)
    # company kb_id -> its dated home countries (company_homes.csv): rows of kind
    # "company" whose code holds between start and end; the companies.csv row is the
    # fallback outside them
    company_homes: dict[str, tuple[Entry, ...]] = field(default_factory=dict)

    # -- lookups used by the resolver and the event coder -------------------------------
    @cached_property
    def alias_lengths(self) -> dict[str, tuple[int, ...]]:
        """First key of an alias -> the lengths of the aliases that start with it, longest
        first: the matcher tries only those windows instead of every length up to
        ``max_len`` (13 tokens; a first key starts aliases of 1.3 lengths on average)."""
        return _lengths(self.aliases)

    @cached_property
    def alias_pair_lengths(self) -> dict[tuple[str, str], tuple[int, ...]]:
        """The first two keys of an alias of two words or more -> the lengths of those
        aliases, longest first: most windows :attr:`alias_lengths` offers ("the ...",
        "north ...") start no alias with their second word (three in four on a news corpus)."""
        return _pair_lengths(self.aliases)

    @cached_property
    def role_pair_lengths(self) -> dict[tuple[str, str], tuple[int, ...]]:
        """The same for role phrases."""
        return _pair_lengths(self.roles)

    @cached_property
    def de_facto(self) -> dict[str, Entry]:
        """kb_id of a de facto state's authority (a group that ``de_facto.yaml`` gives
        territory, capital or adjective names) -> one of those name entries (their
        ``start``/``end`` bound when the names stand for it)."""
        out: dict[str, Entry] = {}
        for entries in self.aliases.values():
            for e in entries:
                if e.kind == "territory":
                    out.setdefault(e.kb_id, e)
        return out

    @cached_property
    def de_facto_codes(self) -> dict[str, str]:
        """The undated code of each de facto authority -> its kb_id (a leader's mention
        tells the rule which one a document names)."""
        return {e.code: k for k, e in self.de_facto.items()}

    @cached_property
    def country_keys(self) -> frozenset[str]:
        """The ISO3 keys of ``countries``, as one set built once (the gazetteer is looked up
        by them for every place a document names)."""
        return frozenset(self.countries)

    @cached_property
    def role_lengths(self) -> dict[str, tuple[int, ...]]:
        """The same for role phrases."""
        return _lengths(self.roles)

    def match_keys(self, keys: tuple[str, ...]) -> tuple[Entry, ...]:
        return self.aliases.get(keys, ())

    def code_for_country_phrase(self, text: str) -> str | None:
        """ISO3 for a country name, short form, demonym or adjective ("Russia", "US",
        "North Korean", "Sino"), else None. Works on bare strings (for compounds like
        "Russia-North Korea" or "US-led" that the coder splits itself)."""
        for e in self.aliases.get(tuple(alias_keys(text)), ()):
            if e.kind in ("country", "demonym"):
                return e.country
        return None

    @cached_property
    def _misspelt_answers(self) -> dict[str, str | None]:
        """misspelt_country's answers by key: every capitalised word of every document is
        asked about, and the same words come back in most documents."""
        return {}

    def misspelt_country(self, key: str) -> str | None:
        """ISO3 of the one-word country name ``key`` is one typo away from ("ethopia",
        "quatar", "phillippines"), or None. A missing letter or a wrong one needs a name
        of 7+ letters, an extra letter a name of 5+; a key close to two names is None."""
        answers = self._misspelt_answers
        if key not in answers:
            if len(answers) > 100_000:  # a long run over many documents: start again
                answers.clear()
            answers[key] = self._misspelt_country(key)
        return answers[key]

    def _misspelt_country(self, key: str) -> str | None:
        if len(key) < 6 or not key.isalpha() or key in self.spell_keys:
            return None
        found = set()
        if key in self.spell_dels:  # a letter missing
            found.add(self.spell_dels[key])
        for i in range(len(key)):
            d = key[:i] + key[i + 1:]
            if d in self.spell_keys:  # a letter too many
                found.add(self.spell_keys[d])
            if len(key) >= 7 and d in self.spell_dels:  # a wrong letter
                found.add(self.spell_dels[d])
        found.discard("")
        # typos rarely hit the first letter ("Siberia" is not Liberia)
        found = {iso3 for iso3 in found if self._initials.get(iso3, "").find(key[0]) >= 0}
        return found.pop() if len(found) == 1 else None

    def country_name(self, iso3: str | None) -> str | None:
        c = self.countries.get(iso3 or "")
        return c.name if c else None


def _lengths(table: dict[tuple[str, ...], object]) -> dict[str, tuple[int, ...]]:
    out: dict[str, set[int]] = {}
    for k in table:
        out.setdefault(k[0], set()).add(len(k))
    return {k: tuple(sorted(v, reverse=True)) for k, v in out.items()}


def _pair_lengths(table: dict[tuple[str, ...], object]) -> dict[tuple[str, str], tuple[int, ...]]:
    out: dict[tuple[str, str], set[int]] = {}
    for k in table:
        if len(k) >= 2:
            out.setdefault((k[0], k[1]), set()).add(len(k))
    return {k: tuple(sorted(v, reverse=True)) for k, v in out.items()}


def split_code(code: str, countries: dict[str, Country]) -> tuple[str | None, str | None]:
    """(country, sector) of a CAMEO code: RUSGOV -> (RUS, GOV); IGOUNO -> (None, IGO)."""
    head = code[:3]
    if head in countries:
        return head, (code[3:6] or None)
    return None, head or None
