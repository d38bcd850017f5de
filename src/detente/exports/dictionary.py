"""The data dictionary of the exports (``columns.yaml``): loader, schema check, Markdown.

One file says, for every exported table, which columns it has, in which order, of
which type, under which GDELT name, and what they mean. The exporter, the SQLite
``_columns`` table, the Parquet field metadata, the CSV ``.schema.json`` sidecar
and ``docs/columns.md`` all read it.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from ..errors import DetenteError
from ..resources import package_yaml

TYPES = ("string", "integer", "number", "boolean", "list", "spans", "records")
NAMINGS = ("snake", "gdelt")


@dataclass(frozen=True, slots=True)
class Column:
    name: str
    type: str
    description: str
    gdelt: str | None = None
    code: bool = False
    provenance: bool = False

    def label(self, names: str) -> str:
        """The column's name under ``names`` (snake, or gdelt where GDELT has one)."""
        return self.gdelt if names == "gdelt" and self.gdelt else self.name


@dataclass(frozen=True, slots=True)
class TableDoc:
    name: str
    description: str
    columns: tuple[Column, ...]
    indexes: tuple[tuple[str, ...], ...] = ()

    def names(self, names: str = "snake") -> list[str]:
        return [c.label(names) for c in self.columns]


def _check(raw) -> dict[str, TableDoc]:
    """Schema check of columns.yaml; a broken file is a bug, reported as E304."""
    def bad(msg: str):
        return DetenteError("E304", f"exports/columns.yaml: {msg}")

    if not isinstance(raw, dict) or not isinstance(raw.get("tables"), dict):
        raise bad("top level must be a mapping with `tables`")
    out = {}
    for tname, t in raw["tables"].items():
        if not isinstance(t, dict) or not t.get("description") or not isinstance(t.get("columns"), list):
            raise bad(f"table {tname}: needs description and a list of columns")
        cols = []
        for c in t["columns"]:
            if not isinstance(c, dict) or set(c) - {"name", "type", "description", "gdelt", "code", "provenance"}:
                raise bad(f"table {tname}: bad column entry {c!r}")
            if c.get("type") not in TYPES or not c.get("name") or not c.get("description"):
                raise bad(f"table {tname}: column {c.get('name')!r} needs a name, a type in {TYPES} and a description")
            cols.append(Column(c["name"], c["type"], str(c["description"]).strip(), c.get("gdelt"),
                               bool(c.get("code")), bool(c.get("provenance"))))
        names = [c.name for c in cols]
        gd = [c.label("gdelt") for c in cols]
        if len(set(names)) != len(names) or len(set(gd)) != len(gd):
            raise bad(f"table {tname}: duplicate column names")
        idx = tuple(tuple(i) for i in t.get("indexes", []))
        for i in idx:
            if not set(i) <= set(names):
                raise bad(f"table {tname}: index {i} names unknown columns")
        out[tname] = TableDoc(tname, " ".join(str(t["description"]).split()), tuple(cols), idx)
    return out


@lru_cache(maxsize=1)
def dictionary() -> dict[str, TableDoc]:
    """All documented export tables, in the order of columns.yaml."""
    return _check(package_yaml("detente.exports", "columns.yaml"))


def table_doc(table: str) -> TableDoc:
    return dictionary()[table]


def to_markdown() -> str:
    """docs/columns.md: one section per table, one row per column."""
    lines = [
        "# Columns of detente's exports",
        "",
        "Generated from `src/detente/exports/columns.yaml` by `python scripts/gen_columns_doc.py`;",
        "do not edit by hand (a test checks this file is current).",
        "",
        "Types: `string` (codes are always strings: `010`, `0312`, `RUSGOV`), `integer`, `number`",
        "(floating point), `boolean`, `list` (an array of ids in Parquet and JSON; space-separated",
        "text in CSV, TSV, SQLite, GraphML and GEXF), `spans` (an array of [start, end] pairs;",
        "JSON text in CSV, TSV and SQLite). Offsets are character (Unicode code point) offsets",
        "into `articles.text`, end exclusive, as in Python slicing. In SQLite, strings and lists are",
        "declared `TEXT`, integers and booleans (0/1) `INTEGER`, numbers `REAL`.",
        "",
        "**GDELT name** is the column's name with `--names gdelt`; columns without one keep",
        "their snake_case name. **code**: a code that must stay a string. **prov.**: a",
        "provenance column (traces the row back to its article, sentence and offsets).",
        "",
    ]
    for t in dictionary().values():
        lines += [f"## `{t.name}`", "", t.description, ""]
        lines += ["| column | type | GDELT name | code | prov. | description |", "|---|---|---|---|---|---|"]
        for c in t.columns:
            desc = c.description.replace("|", "\\|")
            lines.append(f"| `{c.name}` | {c.type} | {('`' + c.gdelt + '`') if c.gdelt else ''} | "
                         f"{'yes' if c.code else ''} | {'yes' if c.provenance else ''} | {desc} |")
        if t.indexes:
            lines += ["", "SQLite indexes: " + ", ".join("(" + ", ".join(i) + ")" for i in t.indexes) + "."]
        lines.append("")
    return "\n".join(lines)
