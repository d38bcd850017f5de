"""User actors files: add states, roles, people and organisations, or override KB entries.

A user file is YAML, CSV, or a PETRARCH/TABARI dictionary (``.actors``/``.agents``/
``.txt``: read through :mod:`.petrarch_read`). Rows in the detente format, one per
(entity, code, date range); rows sharing a ``kb_id`` are one entity (e.g. the tenures
of one person). Columns / keys:

    name      required  the canonical name ("Sergei Lavrov", "Valdoria", "harbour master")
    code      required  CAMEO-style code, 3-15 capital letters/digits ("RUSGOV", "VAL", "GOV")
    aliases   optional  more names, ';'-separated (a YAML list is fine too)
    kind      optional  person | actor | group | agency | igo | ngo | media | bloc | country |
                        seat | capital | role | title | ignore (a name never to code, like
                        PETRARCH's [---]: "China Garden" is not China; code may be "---")
    demonyms  optional  country rows: adjectives and nouns ("Valdorian"), ';'-separated
    capital   optional  country rows: the capital ("Valdor"), a metonym for the government
    role      optional  person rows: post, e.g. head_of_state, head_of_government,
                        foreign_minister (see tenure.ROLE_RANK); titles then name them
    start     optional  YYYY-MM-DD, first day the code applies
    end       optional  YYYY-MM-DD, last day the code applies
    kb_id     optional  stable id (default "user:" + name slug; "C:" + code for a state);
                        a built-in kb_id (e.g. "P:lavrov") replaces the built-in entity
    country   optional  ISO3 or a state of a user file (default: first three letters of
                        code when they are a state)
    sector    optional  (default: letters 4-6 of code)
    note      optional  free text

Meaning of a row (``kind`` left empty): a 3-letter code that is a state in the KB or
in a user file, or that is no CAMEO sector or organisation code, is a **state**: its
name and aliases become country names, ``demonyms`` its adjectives, ``capital`` its
seat of government, so "Valdoria's government", "the Valdorian foreign minister" and
"Valdor" resolve through the same rules as "Russia's government". A longer code whose
first three letters are a state is **state + role** (``VALMIL`` -> country VAL, sector
MIL). Kind ``role`` (or ``title``, which also stands before names) adds a role phrase:
``name`` is the phrase, ``code`` its sector. Dated rows of a person are tenures; an
undated row of an entity that also has dated rows is its fallback outside those dates
(like PETRARCH's trailing ``[RUSELI]``); dated rows of a state are names whose state
depends on the date (like ``data/dated_names.csv``).

Where a user name and the KB disagree the user file wins (the KB's readings of that
name are dropped) and the mention's ``reason`` says so. Several files may be given;
a later file wins over an earlier one. Any malformed row raises
``DetenteError("E304", "<file>: line N: <reason>")``.
"""

from __future__ import annotations

import csv
import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from ...errors import DetenteError
from .keys import ANY, CAP, alias_keys, alias_tokens, case_pattern, norm, parse_date, plural
from .lexicons import DatedName
from .model import Country, Entry, split_code

COLUMNS = ("kb_id", "name", "aliases", "code", "kind", "demonyms", "capital", "role", "start",
           "end", "country", "sector", "note")
_KINDS = {"person", "actor", "group", "agency", "igo", "ngo", "media", "company", "bloc", "country", "seat",
          "capital", "role", "title", "ignore"}
_CODE_RE = re.compile(r"^[A-Z0-9]{3,15}$")
_DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
DETENTE_SUFFIXES = (".csv", ".yaml", ".yml")
# CAMEO actor-type codes (sectors, religions, ethnic and NGO/IGO types): a 3-letter code
# among them names a kind of actor, not a state
CAMEO_TYPES = frozenset(
    "GOV MIL REB OPP PTY COP JUD SPY MED EDU BUS CRM CVL LAB LEG HLH HRI REF MNC NGO NGM IGO "
    "IMG UAF ELI SEP INS AGR ENV DEV RAD MOD CON REL CHR MUS JEW HIN BUD JAN SHN SIK TAO ATH "
    "CTH ORT PRO SUN SHI SFI ALE DRZ PPL UIS AMN HRW ICG ICO IRC MSF XFM".split())
# the 3-letter international codes of older CAMEO dictionaries (UN, IMF, World Bank,
# EEC, NATO, WTO, Red Cross, ...): organisations, not states
_ORG_HEADS = frozenset({"IGO", "NGO", "NGM", "IMG", "MNC"})
CAMEO_INTERNATIONAL = frozenset("UNO IMF IBR EEC NAT WTO OPC WBK ICJ IAE UNH UNR WFP WHO".split())


@dataclass
class UserKB:
    """What the user files added, for :func:`.build.build_kb` and the reason hook."""

    rows: int = 0
    roles: dict = field(default_factory=dict)  # phrase key -> (sector, title?)
    dated_names: dict = field(default_factory=dict)  # key -> [DatedName]
    sources: dict = field(default_factory=dict)  # kb_id -> file name it came from
    overrides: dict = field(default_factory=dict)  # user kb_id -> built-in kb_ids it displaced
    states: list = field(default_factory=list)  # codes of the states user files created
    displaced: dict = field(default_factory=dict)  # alias key -> built-in kb_ids it had
    keys: dict = field(default_factory=dict)  # name -> (token keys, case pattern)


def slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", name.lower()).strip("_")


def is_detente_format(path: Path) -> bool:
    return path.suffix.lower() in DETENTE_SUFFIXES


def file_record(path: str | Path) -> dict:
    """``{"path", "sha256"}`` of a user file, for the store's run record."""
    p = Path(path)
    return {"path": str(p.resolve()), "sha256": hashlib.sha256(p.read_bytes()).hexdigest()}


def read_user_rows(path: Path, read_other=None) -> list[tuple[int, dict]]:
    """(line number, row dict) pairs from a YAML, CSV or PETRARCH user actors file.

    ``read_other(path)`` reads a file of another format (a PETRARCH dictionary) into
    rows; the KB builder passes :func:`.petrarch_read.read_dictionary`, which needs the
    built-in KB (this module is below the builder and does not import it)."""
    if not is_detente_format(path):
        if read_other is None:
            raise DetenteError("E304", f"{path}: line 1: not a .csv/.yaml/.yml user actors file")
        return [(r.pop("_line", 0), r) for r in read_other(path)]
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise DetenteError("E304", f"{path}: line 1: not UTF-8 text ({exc.reason})") from None
    if path.suffix.lower() in (".yaml", ".yml"):
        try:
            data = yaml.safe_load(text) or []
        except yaml.YAMLError as exc:
            line = getattr(getattr(exc, "problem_mark", None), "line", -1) + 1
            raise DetenteError("E304", f"{path}: line {line}: not valid YAML") from None
        if isinstance(data, dict) and "actors" in data:
            data = data["actors"]
        if not isinstance(data, list):
            raise DetenteError("E304", f"{path}: line 1: expected a list of actors")
        lines = _yaml_item_lines(text)
        out = []
        for i, item in enumerate(data):
            line = lines[i] if i < len(lines) else 0
            if not isinstance(item, dict):
                raise DetenteError("E304", f"{path}: line {line}: each actor must be a mapping")
            row = {k: ("" if v is None else v) for k, v in item.items()}
            for k in ("aliases", "demonyms"):
                if isinstance(row.get(k), list):
                    row[k] = ";".join(str(a) for a in row[k])
            out.append((line, {k: str(v) for k, v in row.items()}))
        return out
    reader = csv.DictReader(text.splitlines())
    fields = reader.fieldnames or []
    for req in ("name", "code"):
        if req not in fields:
            raise DetenteError("E304", f"{path}: line 1: missing column {req!r}")
    unknown = [f for f in fields if f not in COLUMNS]
    if unknown:
        raise DetenteError("E304", f"{path}: line 1: unknown column(s) {', '.join(unknown)}")
    return [(n, {k: (v or "") for k, v in r.items()}) for n, r in enumerate(reader, start=2)]


def _yaml_item_lines(text: str) -> list[int]:
    return [n for n, ln in enumerate(text.splitlines(), start=1) if re.match(r"^\s*-\s", ln)
            and not re.match(r"^\s{4,}-", ln)]


def validate_row(row: dict, where: str) -> dict:
    """Check one row; return it with defaults filled. Raises E304 on a problem."""
    unknown = [k for k in row if k not in COLUMNS]
    if unknown:
        raise DetenteError("E304", f"{where}: unknown field(s) {', '.join(unknown)}")
    name = row.get("name", "").strip()
    code = row.get("code", "").strip()
    if not name:
        raise DetenteError("E304", f"{where}: name is required")
    if row.get("kind", "").strip() == "ignore":
        code = row["code"] = "---"  # a name never to code (PETRARCH's [---])
    elif not _CODE_RE.match(code):
        raise DetenteError("E304", f"{where}: code {code!r} must be 3-15 capital letters/digits")
    for k in ("start", "end"):
        v = row.get(k, "").strip()
        if v and not _DATE_RE.match(v):
            raise DetenteError("E304", f"{where}: {k} {v!r} is not a YYYY-MM-DD date")
    if row.get("start") and row.get("end") and row["start"].strip() > row["end"].strip():
        raise DetenteError("E304", f"{where}: start is after end")
    kind = row.get("kind", "").strip()
    if kind and kind not in _KINDS:
        raise DetenteError("E304", f"{where}: kind {kind!r} is not one of {sorted(_KINDS)}")
    if kind == "country" and not re.fullmatch(r"[A-Z]{3}", code):
        raise DetenteError("E304", f"{where}: a country's code must be 3 capital letters, not {code!r}")
    out = {k: str(row.get(k, "") or "").strip() for k in COLUMNS}
    out["kb_id"] = out["kb_id"] or "user:" + slug(name)
    return out


def code_meaning(code: str, states, org_codes) -> str:
    """What a code names: "state", "state+role", "organisation" or "type".

    ``states``: codes known as states (KB and user files); ``org_codes``: codes of the
    KB's organisations and regions."""
    if len(code) == 3:
        if code in states:
            return "state"
        if code in CAMEO_TYPES:
            return "type"
        if code in org_codes or code in CAMEO_INTERNATIONAL or not code.isalpha():
            return "organisation"
        return "state"
    if code[:3] in states:
        return "state+role"
    if code[:3] in _ORG_HEADS or code[:3] in org_codes or code[:3] in CAMEO_INTERNATIONAL:
        return "organisation"
    return "type" if code[:3] in CAMEO_TYPES else "organisation"


def load_user_files(builder, paths, countries: dict, roles: dict, read_other=None) -> UserKB:
    """Validate the user files and add their rows to a KB builder (``countries`` and
    ``roles`` are updated in place). Later files win over earlier ones. ``read_other``:
    see :func:`read_user_rows`."""
    out = UserKB()
    rows: list[tuple[str, dict, str]] = []  # (where, row, file name)
    for path in map(Path, paths):
        for n, r in read_user_rows(path, read_other):
            where = f"{path}: line {n}"
            rows.append((where, validate_row(r, where), path.name))
    # an entity a later file defines again is that file's (states only gain names)
    last = {r["kb_id"]: (src, r["kind"]) for _, r, src in rows}
    rows = [x for x in rows if last[x[1]["kb_id"]][0] == x[2] or x[1]["kind"] == "country" or
            last[x[1]["kb_id"]][1] == "country"]
    org_codes = {e.code for es in builder.by_id.values() for e in es
                 if e.kind in ("igo", "ngo", "bloc", "media", "group", "agency")}
    # states first: a role code of a file ("VALMIL") may name a state defined below it
    states = set(countries)
    dated_ids = {r["kb_id"] for _, r, _ in rows if r["start"] or r["end"]}
    for where, r, _ in rows:
        if r["kind"] == "country" or (not r["kind"] and not r["country"] and
                                      r["kb_id"] not in dated_ids and  # dated: a person
                                      code_meaning(r["code"], states, org_codes) == "state"):
            r["kind"] = "country"
            states.add(r["code"])
    dated_state = {}  # names of states whose code depends on the date
    for where, r, src in rows:
        if r["kind"] == "country" and (r["start"] or r["end"]):
            dated_state.setdefault(r["name"].lower(), []).append(r)
    for where, r, src in rows:
        if r["kind"] == "country":
            _add_state(builder, r, where, src, countries, out, dated_state)
    for key, readings in out.dated_names.items():
        readings.sort(key=lambda d: d.start is None and d.end is None)
    _recode_states(builder, countries, out, {r["code"] for _, r, _ in rows if r["kind"] == "country"})
    dated = {r["kb_id"] for _, r, _ in rows if (r["start"] or r["end"]) and r["kind"] != "country"}
    for kb_id in {r["kb_id"] for _, r, _ in rows if r["kind"] not in ("country", "role", "title")}:
        builder.drop_ids(kb_id)
    for where, r, src in rows:
        out.rows += 1
        if r["kind"] == "country":
            continue
        if r["kind"] in ("role", "title"):
            for phrase in [r["name"]] + _split(r["aliases"]):
                key = tuple(alias_keys(phrase))
                if key:
                    old = roles.get(key)
                    roles[key] = (r["code"], r["kind"] == "title" or bool(old and old[1]))
                    out.roles[key] = roles[key]
            continue
        if r["kind"] == "ignore":
            _add(builder, Entry(r["kb_id"], "ignore", "---", None, None, r["name"], note=r["note"]),
                 [r["name"]] + _split(r["aliases"]), src, out, _imported(r))
            continue
        country, sector = split_code(r["code"], countries)
        country = r["country"] or country
        if country and country not in countries:
            raise DetenteError("E304", f"{where}: country {country!r} is not an ISO3 code in "
                               "the KB nor a state of a user file")
        kind = r["kind"] or ("person" if r["kb_id"] in dated else "actor")
        e = Entry(r["kb_id"], kind, r["code"], country, r["sector"] or sector, r["name"],
                  parse_date(r["start"], where), parse_date(r["end"], where),
                  role=r["role"] or None, note=r["note"])
        _add(builder, e, [r["name"]] + _split(r["aliases"]), src, out, _imported(r))
    return out


def _recode_states(builder, countries: dict, out: UserKB, user_state_codes: set) -> None:
    """A new user state that took a KB state's own name (PETR.Validate's ``JAPAN [JAP]``)
    is the user's code for that state: the KB's entries of it (demonyms, capital,
    office holders) take the user's code too, so "Japanese" and "Tokyo" agree with
    "Japan". A KB code the user files also use as a state is left alone."""
    from dataclasses import replace

    recode: dict[str, str] = {}
    for new in out.states:
        # the KB states whose name is the user state's own name ("Ivory Coast": CIV)
        key = _key(countries[new].name, out)[0]
        for old_id in out.displaced.get(key, ()):
            old = old_id[2:] if old_id.startswith("C:") else ""
            c = countries.get(old)
            if c and c.status != "user" and old not in user_state_codes:
                recode[old] = new
    if not recode:
        return
    changed: dict = {}
    for kb_id, entries in builder.by_id.items():
        for i, e in enumerate(entries):
            if e.country in recode and kb_id not in out.sources:
                new = recode[e.country]
                changed[e] = entries[i] = replace(e, code=new + e.code[3:], country=new)
    for lst in builder.aliases.values():
        if any(e in changed for e in lst):
            lst[:] = [changed.get(e, e) for e in lst]
    for e in changed:
        out.sources[e.kb_id] = out.sources.get(f"C:{recode[e.country]}", "")
        out.overrides.setdefault(e.kb_id, set()).add(f"{e.country}->{recode[e.country]}")


def _split(s: str) -> list[str]:
    return [a.strip() for a in (s or "").split(";") if a.strip()]


def _add_state(builder, r: dict, where: str, src: str, countries: dict, out: UserKB,
               dated_state: dict) -> None:
    """A state row: country names, demonyms and capital, as the KB's own countries."""
    code = r["code"]
    start, end = parse_date(r["start"], where), parse_date(r["end"], where)
    if code not in countries:
        countries[code] = Country(code, r["name"], "user", start, end)
        out.states.append(code)
        for kb_id in (f"C:{code}", f"D:{code}"):
            out.sources[kb_id] = src
    names = [r["name"]] + _split(r["aliases"])
    if r["name"].lower() in dated_state:
        # a name whose state depends on the date (ZIMBABWE [RHO <790606] [ZBW]); the
        # undated row is the reading outside the dated ones (sorted last in load_user_files)
        for n in names:
            key = tuple(alias_keys(n))
            out.dated_names.setdefault(key, []).append(DatedName(key, code, start, end))
    c_entry = next(iter(builder.by_id.get(f"C:{code}", ())), None) or \
        Entry(f"C:{code}", "country", code, code, None, r["name"], start, end)
    _add(builder, c_entry, names, src, out, _imported(r))
    demonyms = _split(r["demonyms"])
    if demonyms:
        d_entry = next(iter(builder.by_id.get(f"D:{code}", ())), None) or \
            Entry(f"D:{code}", "demonym", code, code, None, r["name"], start, end)
        plurals = [plural(d) for d in demonyms if " " not in d and not d.endswith("s")]
        _add(builder, d_entry, demonyms + plurals, src, out, _imported(r))
    if r["capital"]:
        cap = r["capital"]
        e = Entry(f"M:{code}:{cap}", "capital", code + "GOV", code, "GOV", cap, start, end,
                  note="capital")
        out.sources.setdefault(e.kb_id, src)
        _add(builder, e, [cap], src, out, _imported(r))


_PLACE_KINDS = ("country", "demonym", "capital", "seat")


def _imported(r: dict) -> bool:
    """Rows converted from a PETRARCH dictionary (whose names carry no letter case)."""
    return r["note"].startswith(("imported from", "implied by"))


def _add(builder, entry, names: list[str], src: str, out: UserKB, caseless: bool = False) -> None:
    """Add ``entry`` under ``names``; a name the KB reads otherwise is taken over (the
    displaced kb_ids are kept for the mention's reason). A name the KB already reads as
    the same state (a capital listed among a country's synonyms) keeps the KB reading."""
    if entry not in builder.by_id.setdefault(entry.kb_id, []):
        builder.by_id[entry.kb_id].append(entry)
    for name in names:
        key, pattern = _key(name, out)
        if not key:
            continue
        have = builder.aliases.setdefault(key, [])
        if entry in have:
            continue  # already a name of this entity (a KB state's own name)
        # the KB's readings, and those of an earlier user file (a later file wins)
        builtin = [e for e in have if e.kb_id != entry.kb_id and out.sources.get(e.kb_id) != src]
        if builtin and all(e.country == entry.country and (
                (e.code == entry.code and "person" not in (e.kind, entry.kind)) or
                (e.kind in _PLACE_KINDS and entry.kind in _PLACE_KINDS)) for e in builtin):
            continue  # the KB already reads this name the same way ("Washington" USAGOV)
        if builtin:
            have[:] = [e for e in have if e not in builtin]
            out.displaced.setdefault(key, set()).update(e.kb_id for e in builtin)
        if key in out.displaced:  # this name was the KB's: say so on every user entity of it
            out.overrides.setdefault(entry.kb_id, set()).update(out.displaced[key])
        out.sources.setdefault(entry.kb_id, src)
        have.append(entry)  # what _Builder.add does, with the keys of names cached
        # the user's spelling decides the case a match needs ("Valdor" vs "valdor"); a
        # PETRARCH name is upper case: only its first word must be capitalised in text
        # ("Ithilen television" is ITHILEN TELEVISION)
        builder.case[key] = (min(pattern[0], CAP),) + (ANY,) * (len(pattern) - 1) if caseless \
            else pattern


def _key(name: str, out: UserKB) -> tuple[tuple, tuple]:
    """(token keys, case pattern) of a name, as :meth:`.kb._Builder.add` computes them
    (cached: the tenure rows of one person repeat all its names)."""
    hit = out.keys.get(name)
    if hit is None:
        n = name.strip()
        if n.lower().startswith("the ") and len(n) > 4:
            n = n[4:]
        toks = alias_tokens(n)
        hit = out.keys[name] = (tuple(norm(t) for t in toks), case_pattern(toks))
    return hit


def user_reason(kb, kb_id: str | None, reason: str) -> str:
    """The reason of a mention whose entity came from a user file: "...;user:FILE",
    plus the KB entities it took the name from ("...;user:FILE over KB C:EGY")."""
    src = kb.user_sources.get(kb_id or "") if kb_id else None
    if not src:
        return reason
    over = kb.user_overrides.get(kb_id, ())
    return f"{reason};user:{src}" + (f" over KB {','.join(sorted(over))}" if over else "")


def write_user_rows(rows: list[dict], path: str | Path) -> None:
    """Write rows in the user-actors format (CSV, or YAML if the suffix says so)."""
    path = Path(path)
    clean = [{k: r.get(k, "") or "" for k in COLUMNS} for r in rows]
    if path.suffix.lower() in (".yaml", ".yml"):
        items = [{k: v for k, v in r.items() if v} for r in clean]
        path.write_text(yaml.safe_dump(items, sort_keys=False, allow_unicode=True), encoding="utf-8")
        return
    with open(path, "w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, fieldnames=list(COLUMNS), lineterminator="\n")
        w.writeheader()
        w.writerows(clean)
