"""Token keys: how the KB and the resolver normalise names so that matching a Doc is
a dict lookup per token position (lower case, no diacritics, straight apostrophes,
no periods), and the date format of the data files."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from functools import lru_cache

from ...errors import DetenteError

SKIP_KEYS = frozenset({"-", "–", "‐"})  # hyphens inside compounds are ignored when matching
ANY, CAP, UPPER = 0, 1, 2  # per-token case requirements of an alias


@lru_cache(maxsize=65536)
def norm(text: str) -> str:
    """Token key: lower case, no diacritics, straight apostrophes, no periods."""
    t = text.replace("’", "'").replace("‘", "'")
    if not t.isascii():
        t = "".join(c for c in unicodedata.normalize("NFKD", t) if not unicodedata.combining(c))
    t = t.lower()
    if "." in t and len(t) > 1:
        t = t.replace(".", "")
    return t


# (a "+" right after a word stays on it, as spaCy keeps "OPEC+" and "En+" one token)
_TOKEN_RE = re.compile(r"[\w.'’]+\+?|[^\w\s]", re.UNICODE)


def alias_tokens(alias: str) -> list[str]:
    """Split an alias roughly the way spaCy's English tokenizer splits running text."""
    out: list[str] = []
    for tok in _TOKEN_RE.findall(alias):
        low = tok.replace("’", "'")
        if len(low) > 2 and low.lower().endswith("'s"):
            out += [tok[:-2], "'s"]
        elif len(low) > 1 and low.endswith("'") and not low.startswith("'"):
            out += [tok[:-1], "'"]
        elif tok.endswith(".") and tok.count(".") == 1 and len(tok) > 2:
            out += [tok[:-1]]  # "Co." at the end of a name
        else:
            out.append(tok)
    return [t for t in out if norm(t) not in SKIP_KEYS]


def alias_keys(alias: str) -> list[str]:
    return [norm(t) for t in alias_tokens(alias)]


def parse_date(value: str | None, where: str = "") -> dt.date | None:
    value = (value or "").strip()
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise DetenteError("E304", f"{where}: bad date {value!r} (want YYYY-MM-DD)") from None


def case_pattern(tokens: list[str]) -> tuple[int, ...]:
    """Per-token case requirement of an alias (ANY, CAP or UPPER)."""
    pat = []
    for t in tokens:
        bare = t.replace(".", "")
        if len(bare) >= 2 and bare.isupper() and bare.isalpha():
            pat.append(UPPER)
        elif t[:1].isupper():
            pat.append(CAP)
        else:
            pat.append(ANY)
    return tuple(pat)


def plural(noun: str) -> str:
    """English plural of a demonym noun ("Briton" -> "Britons", "Englishman" -> "Englishmen")."""
    if noun.endswith(("ese", "ch", "sh", "ss", "i-Kiribati")) or noun in ("Swiss", "Lao", "Thai"):
        return noun if noun != "Thai" else "Thais"
    if noun.endswith("man"):
        return noun[:-3] + "men"
    return noun + "s"
