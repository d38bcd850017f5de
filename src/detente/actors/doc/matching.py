"""Token-level matching of KB aliases and role phrases over a spaCy Doc.

One pass over the tokens with dict lookups (no regex over the KB): for each token
position the longest alias whose normalised key tuple is in the KB wins.
Hyphens inside compounds ("Kim Jong-un", "Sino-Soviet", "Russia-North Korea")
are skipped, so "Jong-un" matches "Jong Un" and each side of "Sino-Soviet" is a
separate match.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import compress, count

from ..kb.keys import ANY, CAP, SKIP_KEYS, UPPER, norm
from ..kb.model import KB, Entry
from .read import doc_cache, doc_column, doc_text


@dataclass(frozen=True, slots=True)
class Match:
    start: int  # token index (inclusive)
    end: int  # token index (exclusive)
    entries: tuple[Entry, ...]

    @property
    def kind(self) -> str:
        return self.entries[0].kind


@dataclass(frozen=True, slots=True)
class RoleMatch:
    start: int
    end: int
    sector: str
    title: bool


# word -> norm(word), for every document of the process (norm is a pure function of the
# word, and most words come back in the next document); emptied when it grows past
# _KEYS_MAX so a long run does not keep every word it has seen
_KEYS: dict[str, str] = {}
_KEYS_MAX = 200_000


def token_keys(doc) -> list[tuple[int, str, bool]]:
    """(token index, key, follows-a-hyphen) for the tokens that take part in matching."""
    # the words, spaces and following spaces read once per document (doc_column), each
    # distinct word normalised once (_KEYS)
    texts, space, ws = (doc_column(doc, a) for a in ("text", "is_space", "whitespace_"))
    if len(_KEYS) > _KEYS_MAX:
        _KEYS.clear()
    keys = _KEYS
    out = []
    after_hyphen = False
    for i, text in enumerate(texts):
        if space[i]:
            after_hyphen = False
            continue
        k = keys.get(text)
        if k is None:
            k = keys[text] = norm(text)
        if k in SKIP_KEYS and not ws[i] and i > 0 and not ws[i - 1]:
            after_hyphen = True
            continue
        out.append((i, k, after_hyphen))
        after_hyphen = False
    return out


def _case_ok(doc, idx: list[tuple[int, str, bool]], pat: tuple[int, ...]) -> bool:
    texts = doc_column(doc, "text")  # doc[i].text, read once per document
    for pos, ((i, _, after_hyphen), need) in enumerate(zip(idx, pat)):
        # Inside a hyphenated name ("Jong-un") case is free; a match that starts
        # after a hyphen ("-un" read as the UN) must still meet the case rule.
        if need == ANY or (after_hyphen and pos > 0):
            continue
        text = texts[i].replace(".", "")
        if need == CAP and not text[:1].isupper():
            return False
        if need == UPPER and not text.isupper() and not (len(text) >= 4 and text.istitle()):
            # British style writes acronyms of four letters or more as words ("Nato",
            # "Farc", "Unicef"); shorter ones stay capitals ("WHO" is not "Who")
            return False
    return True


def _longest_first(keys: list[tuple[int, str, bool]], lengths: dict[str, tuple[int, ...]], probe,
                   pairs: dict[tuple[str, str], tuple[int, ...]] | None = None) -> list:
    """Greedy longest-first scan over token keys, left to right, non-overlapping.

    ``lengths`` maps a first key to the lengths of the phrases that start with it,
    longest first (windows of other lengths cannot match); ``probe(window, key)`` returns
    a match for a window of keys (``key``: the window's words as a tuple), or None (always
    None for a key that is no phrase). ``pairs``, when given, maps the first two keys of
    each phrase of two words or more to those phrases' lengths, longest first: a window
    whose first two keys start no phrase is not probed.
    """
    out = []
    n = len(keys)
    words = [k for _, k, _ in keys]
    p = 0  # the first key not inside a match found
    # only the keys that start a phrase can start a match: the scan visits those, in order
    for q in compress(count(), map(lengths.__contains__, words)):
        if q < p:
            continue
        ls = lengths[words[q]]
        if pairs is not None:  # the same lengths, less those no phrase of this start has
            longer = pairs.get((words[q], words[q + 1]), ()) if q + 1 < n else ()
            ls = longer + (1,) if ls[-1] == 1 else longer
        for L in ls:
            if L <= n - q:
                hit = probe(keys[q:q + L], tuple(words[q:q + L]))
                if hit is not None:
                    out.append(hit)
                    p = q + L
                    break
    return out


def find_matches(doc, kb: KB, keys: list[tuple[int, str, bool]] | None = None) -> list[Match]:
    """Greedy longest-first KB alias matches, left to right, non-overlapping."""

    def probe(window, key):
        entries = kb.aliases.get(key)
        if entries and _case_ok(doc, window, kb.case[key]):
            return Match(window[0][0], window[-1][0] + 1, entries)
        return None

    return _longest_first(token_keys(doc) if keys is None else keys, kb.alias_lengths, probe,
                          kb.alias_pair_lengths)


def find_roles(doc, kb: KB, keys: list[tuple[int, str, bool]] | None = None) -> list[RoleMatch]:
    """Role phrases ("foreign minister", "armed forces", "state press"), longest first.

    A phrase must end in a noun (so "forces" the verb or "press" the verb are not
    roles) and must not be capitalised mid-sentence as part of a proper name other
    than a title."""

    def probe(window, key):
        role = kb.roles.get(key)
        if role and doc[window[-1][0]].pos_ in ("NOUN", "PROPN"):
            return RoleMatch(window[0][0], window[-1][0] + 1, role[0], role[1])
        return None

    return _longest_first(token_keys(doc) if keys is None else keys, kb.role_lengths, probe,
                          kb.role_pair_lengths)


# "SEOUL, South Korea — ", and with the agency in brackets also a plain hyphen:
# "SOCHI, Russia (Meridian Wire) - ", "MOSCOW (Reuters) - "
_DATELINE_RE = re.compile(r"(?m)^[ \t]*[A-Z][A-Z.'\- ]{1,40}(?:,[^\n—–]{1,60}?)?\s*(?:—|–|--)\s"
                          r"|^[ \t]*[A-Z][A-Z.'\- ]{1,40}(?:,[^\n—–()]{1,60}?)?\s*"
                          r"\([^)\n]{1,40}\)\s*-\s")


def dateline_ranges(text: str) -> list[tuple[int, int]]:
    """Character ranges of datelines ("SEOUL, South Korea — "): places there are not actors."""
    return [(m.start(), m.end()) for m in _DATELINE_RE.finditer(text)]


def doc_datelines(doc) -> list[tuple[int, int]]:
    """:func:`dateline_ranges` of the Doc's text, found once per Doc: the actor rules and
    the argument model both ask."""
    cache = doc_cache(doc)
    got = cache.get("datelines")
    if got is None:
        got = cache["datelines"] = dateline_ranges(doc_text(doc))
    return got
