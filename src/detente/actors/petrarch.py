"""Import PETRARCH/Phoenix ``.actors`` dictionaries into the user-actors format.

Format handled: an entry line ``NAME_WITH_UNDERSCORES [CODE] # comment``, alias
lines ``+ALIAS``, and code lines ``[CODE]``, ``[CODE YYMMDD-YYMMDD]``,
``[CODE >YYMMDD]`` (from), ``[CODE <YYMMDD]`` (until); several brackets may stand
on one line. Dates have 6 digits (YY <= 30 means 20YY, else 19YY) or 8 digits.
``[---]`` (do not code) rows are dropped; ``<!-- -->`` blocks and ``#`` comments
are ignored. Phoenix's SUN (Soviet Union) becomes detente's USR.
"""

from __future__ import annotations

import re
from pathlib import Path

from .kb.userfile import slug, write_user_rows

_BRACKET = re.compile(r"\[([^\]]*)\]")
_CODE_REMAP = {"SUN": "USR"}


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


def _parse_bracket(body: str) -> tuple[str, str, str] | None:
    parts = body.split()
    if not parts:
        return None
    code = parts[0].upper()
    if not re.fullmatch(r"[A-Z0-9]{3,15}", code):
        return None  # "---" and other do-not-code markers
    for k, v in _CODE_REMAP.items():
        if code.startswith(k):
            code = v + code[len(k):]
    rng = "".join(parts[1:])
    start = end = ""
    if rng.startswith(">"):
        start = _date(rng[1:])
    elif rng.startswith("<"):
        end = _date(rng[1:])
    elif "-" in rng:
        a, _, b = rng.partition("-")
        start, end = _date(a), _date(b)
    return code, start, end


def import_petrarch(path: str) -> list[dict]:
    """Rows in the user-actors format (see :mod:`.kb.userfile`), one per code and range."""
    text = Path(path).read_text(encoding="utf-8", errors="replace")
    text = re.sub(r"<!--.*?-->", "", text, flags=re.S)
    entries: list[dict] = []
    cur: dict | None = None
    for raw in text.splitlines():
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
                found = _BRACKET.findall(stripped)
                cur["brackets"] += len(found)
                cur["codes"] += [c for c in map(_parse_bracket, found) if c]
            continue
        name = _name(_BRACKET.sub("", line))
        if not name:
            continue
        found = _BRACKET.findall(line)
        cur = {"name": name, "aliases": [], "brackets": len(found),
               "codes": [c for c in map(_parse_bracket, found) if c]}
        entries.append(cur)
    rows: list[dict] = []
    used: dict[str, int] = {}
    pending: list[dict] = []
    for e in entries:
        pending.append(e)
        if not e["codes"]:
            if e["brackets"]:
                pending = []  # only do-not-code brackets: drop the entry
            continue  # a name whose codes come with the next entry (shared block)
        names = [p["name"] for p in pending]
        aliases = [a for p in pending for a in p["aliases"]]
        pending = []
        base = "petrarch:" + slug(names[0])
        used[base] = used.get(base, 0) + 1
        kb_id = base if used[base] == 1 else f"{base}_{used[base]}"
        dated = any(s or t for _, s, t in e["codes"])
        for code, start, end in e["codes"]:
            note = f"imported from {Path(path).name}"
            if start and end and start > end:  # reversed ranges occur in the source files
                start, end = end, start
                note += "; date range was reversed in the source"
            rows.append({"kb_id": kb_id, "name": names[0].title(),
                         "aliases": ";".join(_uniq([n.title() for n in names[1:]] +
                                                   [a.title() for a in aliases])),
                         "code": code, "kind": "person" if dated else "actor",
                         "start": start, "end": end, "note": note})
    return rows


def _uniq(xs: list[str]) -> list[str]:
    seen, out = set(), []
    for x in xs:
        if x and x.lower() not in seen:
            seen.add(x.lower())
            out.append(x)
    return out


def write_user_actors(rows: list[dict], path: str) -> None:
    """Write imported rows as a user actors file (CSV, or YAML by suffix)."""
    write_user_rows(rows, path)
