"""User actors files (YAML or CSV): add or override KB entries, with date ranges.

Format, one row per (entity, code, date range); rows sharing a ``kb_id`` are one
entity (e.g. the tenures of one person). Columns / keys:

    name     required  the canonical name ("Sergei Lavrov")
    code     required  CAMEO-style code, 3-15 capital letters ("RUSGOV", "IGOUNO")
    aliases  optional  more names, ';'-separated (a YAML list is fine too)
    kind     optional  person | actor | group | agency | igo | ngo | media | bloc | country | seat |
                       capital
                       (default: person when any row of the entity has dates, else actor)
    start    optional  YYYY-MM-DD, first day the code applies
    end      optional  YYYY-MM-DD, last day the code applies
    kb_id    optional  stable id (default "user:" + name slug); a built-in kb_id
                       (e.g. "P:lavrov") replaces the built-in entity
    country  optional  ISO3 (default: first three letters of code when they are a country)
    sector   optional  (default: letters 4-6 of code)
    note     optional  free text

An undated row of an entity that also has dated rows is its fallback outside
those dates (like PETRARCH's trailing ``[RUSELI]``). Any malformed row raises
``DetenteError("E304", "<file>: line N: <reason>")``.
"""

from __future__ import annotations

import csv
import re
from pathlib import Path

import yaml

from ...errors import DetenteError
from .keys import parse_date
from .model import Entry, split_code

COLUMNS = ("kb_id", "name", "aliases", "code", "kind", "start", "end", "country", "sector", "note")
_KINDS = {"person", "actor", "group", "agency", "igo", "ngo", "media", "bloc", "country", "seat", "capital"}
_CODE_RE = re.compile(r"^[A-Z0-9]{3,15}$")
_DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", name.lower()).strip("_")


def read_user_rows(path: Path) -> list[tuple[int, dict]]:
    """(line number, row dict) pairs from a YAML or CSV user actors file."""
    text = path.read_text(encoding="utf-8")
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
            if isinstance(row.get("aliases"), list):
                row["aliases"] = ";".join(str(a) for a in row["aliases"])
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
    if not _CODE_RE.match(code):
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
    out = {k: str(row.get(k, "") or "").strip() for k in COLUMNS}
    out["kb_id"] = out["kb_id"] or "user:" + slug(name)
    return out


def add_user_entries(builder, path: Path, countries: dict) -> int:
    """Validate the user file and add its rows to a KB builder. Returns rows added."""
    rows = [(n, validate_row(r, f"{path}: line {n}")) for n, r in read_user_rows(path)]
    dated = {r["kb_id"] for _, r in rows if r["start"] or r["end"]}
    for kb_id in {r["kb_id"] for _, r in rows}:
        builder.drop_ids(kb_id)
    for n, r in rows:
        where = f"{path}: line {n}"
        country, sector = split_code(r["code"], countries)
        country = r["country"] or country
        if country and country not in countries:
            raise DetenteError("E304", f"{where}: country {country!r} is not an ISO3 code in the KB")
        kind = r["kind"] or ("person" if r["kb_id"] in dated else "actor")
        e = Entry(r["kb_id"], kind, r["code"], country, r["sector"] or sector, r["name"],
                  parse_date(r["start"], where), parse_date(r["end"], where), note=r["note"])
        names = [r["name"]] + [a for a in r["aliases"].split(";") if a.strip()]
        builder.add(e, names, replace=True)
    return len(rows)


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
