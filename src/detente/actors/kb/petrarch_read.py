"""Read PETRARCH/TABARI ``.actors`` and ``.agents`` dictionaries by their meaning.

Actors format: an entry line ``NAME_WITH_UNDERSCORES [CODE] # comment``, alias lines
``+ALIAS``, and code lines ``[CODE]``, ``[CODE YYMMDD-YYMMDD]``, ``[CODE >YYMMDD]``
(from), ``[CODE <YYMMDD]`` (until); several brackets may stand on one line, and names
without a code share the codes of the next entry. Dates have 6 digits (YY <= 30 means
20YY, else 19YY) or 8 digits. ``<!-- -->`` blocks and ``#`` comments are ignored.
Phoenix's SUN (Soviet Union) becomes detente's USR.

What an entry means (see :func:`.userfile.code_meaning`):

* only 3-letter state codes -> a **state** (``kind=country``): the entry name and its
  synonyms become the state's names, adjectival synonyms ("+ERIADORIAN", "+FRENCH")
  its demonyms; a 3-letter code not in the KB creates the state;
* a longer code that starts with a state -> **state + role** with country and sector
  set (``PSEREBHMS``: country PSE, sector REB); dated codes make tenures;
* other codes -> organisations (``IGO...``, ``NGO...``, old ``UNO``/``IMF``) or actor
  types (``[ELI]``).

Agents format (``PHRASE {PLURALS} [~SECTOR]``, ``!SET! = A, B`` substitution sets) adds
role phrases ("harbour master" -> GOV) that compose with states like the KB's own.

:func:`read_dictionary` returns the rows (the :mod:`.userfile` format) and a report of
what each entry was understood as, or why it was not (``detente actors import
--dry-run``).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from ...errors import DetenteError
from .keys import alias_keys, plural
from .model import KB
from .places import place_country
from .userfile import CAMEO_INTERNATIONAL, CAMEO_TYPES, code_meaning, slug

_BRACKET = re.compile(r"\[([^\]]*)\]")
_CODE_REMAP = {"SUN": "USR"}
_DO_NOT_CODE = {"---": "do-not-code marker [---]", "+++": "[+++] is a marker, not a CAMEO code",
                "###": "TABARI discard marker [###] (not a PETRARCH code)"}
_SMALL = frozenset("of the and de al el la du von van bin for in on to".split())
# adjectival endings of English demonyms ("Valdorian", "Danish", "Pakistani", "French")
_ADJ_END = ("ian", "ean", "an", "ese", "ish", "ic", "i", "ch")
# a leading title in a person's entry name -> the post (tenure.ROLE_RANK)
_TITLE_POSTS = (("prime minister", "head_of_government"), ("premier", "head_of_government"),
                ("president", "head_of_state"), ("king", "head_of_state"),
                ("queen", "head_of_state"), ("emperor", "head_of_state"),
                ("foreign minister", "foreign_minister"), ("defense minister", "defense_minister"),
                ("defence minister", "defense_minister"))
_ARMED = frozenset({"REB", "INS", "SEP", "UAF"})


@dataclass
class Dictionary:
    """Rows read from one dictionary and the report of what was understood."""

    path: str
    kind: str  # actors | agents
    rows: list = field(default_factory=list)
    entries: int = 0
    understood: Counter = field(default_factory=Counter)  # meaning -> entries
    problems: list = field(default_factory=list)  # (line, name, reason): not understood
    notes: list = field(default_factory=list)  # (line, name, note): understood, with a caveat

    @property
    def not_understood(self) -> int:
        return len(self.problems)


def _date(s: str) -> str:
    s = s.strip()
    if len(s) == 8 and s.isdigit():
        y, m, d = s[:4], s[4:6], s[6:8]
    elif len(s) == 6 and s.isdigit():
        yy = int(s[:2])
        y = str(2000 + yy if yy <= 30 else 1900 + yy)
        m, d = s[2:4], s[4:6]
    elif len(s) == 7 and s.isdigit():  # a typo'd 8-digit date: read as YYYYMDD
        y, m, d = s[:4], "0" + s[4], s[5:7]
    else:
        return ""
    m = m if "01" <= m <= "12" else "01"
    d = d if "01" <= d <= "31" else "01"
    return f"{y}-{m}-{d}"


def _name(raw: str) -> str:
    return re.sub(r"\s+", " ", raw.replace("_", " ")).strip()


def _title(name: str) -> str:
    """Dictionary names are upper case; write them as a name is written in text."""
    words = name.title().split(" ")
    return " ".join(w.lower() if i and w.lower() in _SMALL else w for i, w in enumerate(words))


def _parse_bracket(body: str) -> tuple[tuple[str, str, str] | None, str]:
    """((code, start, end) or None, problem)."""
    parts = body.split()
    if not parts:
        return None, "empty code bracket []"
    code = parts[0].upper()
    rng = "".join(parts[1:])
    if code[:3] in _DO_NOT_CODE:
        return None, _DO_NOT_CODE[code[:3]]
    if "/" in code:
        return None, f"[{parts[0]}] gives several codes at once; detente gives a mention one code"
    if not re.fullmatch(r"[A-Z0-9]{3,15}", code):
        if re.fullmatch(r"[<>]?\d{6,8}(-\d{6,8})?", code + rng):
            return None, f"[{body.strip()}] is a date range without a code"
        return None, f"[{body.strip()}] is not a CAMEO code (3-15 letters/digits)"
    for k, v in _CODE_REMAP.items():
        if code.startswith(k):
            code = v + code[len(k):]
    start = end = ""
    if rng.startswith(">"):
        start = _date(rng[1:])
    elif rng.startswith("<"):
        end = _date(rng[1:])
    elif "-" in rng:
        a, _, b = rng.partition("-")
        start, end = _date(a), _date(b)
    elif rng:
        return None, f"[{body.strip()}]: {rng!r} is not a date range"
    if rng and not (start or end):
        return None, f"[{body.strip()}]: date range {rng!r} is not YYMMDD or YYYYMMDD"
    return (code, start, end), ""


def _read_text(path: Path) -> str:
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError as exc:
        raise DetenteError("E302", f"{path}: cannot read ({exc.strerror})") from None
    # comments may span lines; keep the line numbers
    return re.sub(r"<!\s*--.*?-->", lambda m: "\n" * m.group(0).count("\n"), text, flags=re.S)


def is_agents(text: str) -> bool:
    """An agents dictionary: most codes are ``[~SECTOR]`` (or ``[IGO~]``)."""
    n = len(re.findall(r"\[~|~\]", text))
    return n > 0 and 2 * n >= len(_BRACKET.findall(text))


def read_dictionary(path: str | Path, kb: KB) -> Dictionary:
    """Read an actors or agents dictionary (detected from its codes) against the
    built-in ``kb`` (which names are already its states, cities, organisations)."""
    path = Path(path)
    text = _read_text(path)
    if is_agents(text):
        return _read_agents(path, text, kb)
    return _read_actors(path, text, kb)


def _entries(text: str) -> list[dict]:
    entries: list[dict] = []
    cur: dict | None = None
    for n, raw in enumerate(text.splitlines(), start=1):
        line = raw.split("#", 1)[0].rstrip()
        if not line.strip():
            continue
        stripped = line.strip()
        if stripped.startswith("+"):
            if cur is not None:
                cur["aliases"] += [_name(a) for a in re.split(r"\s+\+", stripped[1:])
                                   if _name(_BRACKET.sub("", a))]
            continue
        if stripped.startswith("["):
            if cur is not None:
                cur["brackets"] += _BRACKET.findall(stripped)
            continue
        name = _name(_BRACKET.sub("", line))
        if not name:
            continue
        cur = {"name": name, "aliases": [], "brackets": _BRACKET.findall(line), "line": n}
        entries.append(cur)
    return entries


def _read_actors(path: Path, text: str, kb) -> Dictionary:
    out = Dictionary(str(path), "actors")
    org_codes = {e.code for es in kb.by_id.values() for e in es
                 if e.kind in ("igo", "ngo", "bloc", "media", "group", "agency")}
    raw = _entries(text)
    # merge names without codes into the next entry that has some (shared blocks)
    merged, pending = [], []
    for e in raw:
        pending.append(e)
        if e["brackets"]:
            merged.append(pending)
            pending = []
    for e in pending:
        out.entries += 1
        out.problems.append((e["line"], e["name"], "no code follows the name"))
    # the states this dictionary defines: entries whose codes are all 3-letter states
    states = set(kb.countries)
    parsed = []
    for group in merged:
        codes, problems = [], []
        for b in group[-1]["brackets"]:
            c, why = _parse_bracket(b)
            (codes.append(c) if c else problems.append(why))
        parsed.append((group, codes, problems))
        if codes and all(len(c) == 3 and c.isalpha() for c, _, _ in codes) and (
                all(code_meaning(c, states, org_codes) == "state" for c, _, _ in codes) or
                _kb_state(group[0]["name"], kb)):
            states.update(c for c, _, _ in codes)  # INDONESIA [INS]: a state, not insurgents
    # a role code of a state the dictionary never lists (HGWGOVMED): the state is implied
    implied = sorted({c[:3] for _, codes, _ in parsed for c, _, _ in codes
                      if len(c) >= 6 and c[3:6] in CAMEO_TYPES and c[:3].isalpha() and
                      c[:3] not in states and c[:3] not in CAMEO_TYPES and
                      c[:3] not in org_codes and c[:3] not in CAMEO_INTERNATIONAL})
    for code in implied:
        states.add(code)
        out.rows.append({"kb_id": f"C:{code}", "name": code, "code": code, "kind": "country",
                         "note": f"implied by role codes in {path.name}", "_line": 0})
    used: dict[str, int] = {}
    for group, codes, problems in parsed:
        head = group[0]
        out.entries += 1
        if not codes and problems and all(p == _DO_NOT_CODE["---"] for p in problems) and \
                not any(re.search(r"[<>\d]", b) for b in group[-1]["brackets"]):
            # BOROMIR [---]: a name never to code (it also hides the KB's reading of it)
            out.understood["do not code"] += 1
            out.rows.append({"kb_id": "user:" + slug(head["name"]), "name": _title(head["name"]),
                             "aliases": ";".join(_uniq([_title(a) for p in group
                                                        for a in [p["name"]] + p["aliases"]][1:])),
                             "code": "---", "kind": "ignore",
                             "note": f"imported from {path.name}", "_line": head["line"]})
            continue
        if not codes:
            out.problems.append((head["line"], head["name"], "; ".join(problems)))
            continue
        for why in problems:
            out.notes.append((head["line"], head["name"], f"{why}: that bracket is skipped"))
        names = [_title(p["name"]) for p in group]
        aliases = [_title(a) for p in group for a in p["aliases"]]
        meanings = [code_meaning(c, states, org_codes) for c, _, _ in codes]
        if all(m == "state" for m in meanings):
            out.rows += _state_rows(names, aliases, codes, kb, head["line"], path)
            out.understood["state"] += 1
            continue
        base = "user:" + slug(names[0])
        used[base] = used.get(base, 0) + 1
        kb_id = base if used[base] == 1 else f"{base}_{used[base]}"
        dated = any(s or t for _, s, t in codes)
        name, role, extra = _person_name(names[0])
        label = "person (dated codes)" if dated else _label(meanings, codes)
        if _seat(names, aliases, codes, meanings):
            # VARESK_ [VLDGOV]: the PETRARCH way to code a capital as the government
            out.understood["capital (state+GOV)"] += 1
            out.rows.append({"kb_id": kb_id, "name": name, "code": codes[0][0], "kind": "capital",
                             "country": codes[0][0][:3], "note": f"imported from {path.name}",
                             "_line": head["line"]})
            continue
        out.understood[label] += 1
        for (code, start, end), meaning in zip(codes, meanings):
            note = f"imported from {path.name}"
            if start and end and start > end:  # reversed ranges occur in the source files
                start, end = end, start
                note += "; date range was reversed in the source"
            kind = "person" if dated else _kind(code, meaning)
            rows_country = code[:3] if meaning in ("state", "state+role") else ""
            out.rows.append({"kb_id": kb_id, "name": name,
                             "aliases": ";".join(_uniq(extra + names[1:] + aliases)),
                             "code": code, "kind": kind, "start": start, "end": end,
                             "country": rows_country, "role": role if kind == "person" else "",
                             "note": note, "_line": head["line"]})
    return out


def _seat(names: list[str], aliases: list[str], codes, meanings: list[str]) -> bool:
    """A one-word, undated entry coded STATE+GOV and nothing else: a seat of government
    ("WASHINGTON [USAGOV]"); a person's entry has a first name or dated codes."""
    return len(codes) == 1 and meanings == ["state+role"] and codes[0][0][3:] == "GOV" and \
        not (codes[0][1] or codes[0][2]) and len(names) == 1 and not aliases and \
        " " not in names[0] and names[0].isalpha()


def _kb_place_of(name: str, iso3: str, kb) -> bool:
    """True if the KB reads ``name`` as a city or region of ``iso3`` (not as the state)."""
    key = tuple(alias_keys(name))
    if any(e.kind in ("country", "demonym") for e in kb.aliases.get(key, ())):
        return False
    hit = place_country(kb, key)
    return bool(hit) and hit[0] == iso3


def _kb_state(name: str, kb) -> bool:
    return any(e.kind == "country" for e in kb.aliases.get(tuple(alias_keys(_name(name))), ()))


def _label(meanings: list[str], codes) -> str:
    m = meanings[0]
    if m == "state+role":
        return "state+role"
    return {"organisation": "organisation", "type": "actor type", "state": "state"}[m]


def _kind(code: str, meaning: str) -> str:
    if meaning == "state+role":
        return "group" if code[3:6] in _ARMED else "actor"
    if meaning == "organisation":
        if code.startswith(("NGO", "NGM")):
            return "ngo"
        if code.startswith("IMG"):
            return "group"
        if code.startswith("IGO") or len(code) == 3:
            return "igo"
    return "actor"


def _person_name(name: str) -> tuple[str, str, list[str]]:
    """(name without a leading title, post, [the titled name]) of an entry name."""
    low = name.lower()
    for title, post in _TITLE_POSTS:
        if low.startswith(title + " ") and len(low) > len(title) + 3:
            return name[len(title) + 1:], post, [name]
    return name, "", []


def _demonym(word: str, names: list[str], kb) -> bool:
    """True if a synonym of a state is an adjectival or demonym form of its name."""
    known = kb.aliases.get(tuple(alias_keys(word)), ())
    if known:
        return all(e.kind == "demonym" for e in known)
    if " " in word or not word.isalpha() or word == names[0]:
        return False
    low = word.lower()
    stems = [n.lower() for n in names if n.lower() != low and " " not in n]
    if any(low == b + "s" for b in stems):  # "the Rohans"
        return True
    # an invented demonym derives from a name of its state (Valdoria -> Valdorian)
    return low.endswith(_ADJ_END) and any(low[:3] == b[:3] and low != b[:len(low)] for b in stems)


def _state_rows(names: list[str], aliases: list[str], codes, kb, line: int, path: Path) -> list[dict]:
    all_names = _uniq(names + aliases)
    known = {c for c, _, _ in codes if c in kb.countries}
    if len(known) == 1:  # cities a country entry lists ("+CHRISTCHURCH_"): the KB's places
        iso3 = known.pop()
        all_names = [n for n in all_names if not _kb_place_of(n, iso3, kb)] or all_names
    dem = [n for n in all_names if _demonym(n, all_names, kb)]
    plain = [n for n in all_names if n not in dem]
    canonical = plain[0] if plain else all_names[0]
    rows = []
    for code, start, end in codes:
        if start and end and start > end:
            start, end = end, start
        rows.append({"kb_id": f"C:{code}", "name": canonical,
                     "aliases": ";".join(n for n in plain if n != canonical),
                     "demonyms": ";".join(dem), "code": code, "kind": "country",
                     "start": start, "end": end, "note": f"imported from {path.name}",
                     "_line": line})
    return rows


def _read_agents(path: Path, text: str, kb) -> Dictionary:
    """``PHRASE {PLURALS} [~SECTOR]`` lines -> role rows."""
    out = Dictionary(str(path), "agents")
    sets: dict[str, list[str]] = {}
    for n, raw in enumerate(text.splitlines(), start=1):
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        m = re.fullmatch(r"(![A-Z]+!)\s*=\s*(.+)", line)
        if m:
            sets[m.group(1)] = [w.strip() for w in m.group(2).split(",") if w.strip()]
            continue
        out.entries += 1
        m = re.fullmatch(r"(.+?)\s*(?:\{([^}]*)\})?\s*\[~?([A-Za-z]*)[\]}]\s*", line)
        if not m:
            pre = re.search(r"\[([A-Z]+)~\]", line)
            out.problems.append((n, _name(line.split("[")[0].split("{")[0]), (
                f"[{pre.group(1)}~] puts the code before the state's (IGO+state); detente "
                "composes state+role only") if pre else (
                "no [~CODE] on the line" if "[" not in line else "not PHRASE {PLURALS} [~CODE]")))
            continue
        phrase, plurals, code = m.group(1), m.group(2), m.group(3).upper()
        if not re.fullmatch(r"[A-Z]{3}([A-Z]{3}){0,2}", code):
            out.problems.append((n, phrase, f"[~{code}] is not a sector code (3, 6 or 9 letters)"))
            continue
        if "[" in phrase or "{" in phrase:
            out.problems.append((n, phrase, "stray bracket in the phrase"))
            continue
        forms = _expand(phrase, sets)
        unknown = [f for f in forms if "!" in f]
        if unknown:
            out.problems.append((n, phrase, f"substitution set {unknown[0]} is not defined"))
            continue
        words = [_name(f).lower() for f in forms]
        if plurals is None:
            extra = [_plural_words(w) for w in words]
        else:
            extra = [_name(p).lower() for p in re.split(r"\s{2,}|,", plurals) if _name(p)]
        agree = all(kb.roles.get(tuple(alias_keys(w)), ("",))[0] == code for w in words)
        out.understood["role phrase (already in KB)" if agree else "role phrase"] += 1
        if agree:
            continue
        old = [w for w in words if kb.roles.get(tuple(alias_keys(w)), (code,))[0] != code]
        if old:
            was = kb.roles[tuple(alias_keys(old[0]))][0]
            out.notes.append((n, phrase, f"the KB reads {old[0]!r} as {was}: the file's {code} wins"))
        title = any(kb.roles.get(tuple(alias_keys(w)), ("", False))[1] for w in words)
        out.rows.append({"kb_id": "role:" + slug(words[0]), "name": words[0],
                         "aliases": ";".join(_uniq(words[1:] + extra)), "code": code,
                         "kind": "title" if title else "role",
                         "note": f"imported from {path.name}", "_line": n})
    return out


def _expand(phrase: str, sets: dict[str, list[str]]) -> list[str]:
    m = re.search(r"![A-Z]+!", phrase)
    if not m or m.group(0) not in sets:
        return [phrase]
    return [f for w in sets[m.group(0)] for f in _expand(phrase.replace(m.group(0), w, 1), sets)]


def _plural_words(phrase: str) -> str:
    """Regular plural of the last word ("harbour master" -> "harbour masters")."""
    head, _, last = phrase.rpartition(" ")
    if last.endswith("y") and last[-2:-1] not in "aeiou":
        last = last[:-1] + "ies"
    elif last.endswith(("s", "x", "z")):
        last += "es"
    else:
        last = plural(last)
    return f"{head} {last}".strip()


def _uniq(xs: list[str]) -> list[str]:
    seen, out = set(), []
    for x in xs:
        if x and x.lower() not in seen:
            seen.add(x.lower())
            out.append(x)
    return out
