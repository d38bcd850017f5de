"""Writers: one function per file format, each over a typed Arrow table.

Codes stay strings everywhere: Arrow ``string`` in Parquet, JSON strings in JSONL,
quoted strings in CSV/TSV (plus a Frictionless Table Schema sidecar that says so,
for readers that guess types, like R's ``read.csv``), and ``TEXT`` columns in SQLite.
CSV/TSV quoting is pyarrow's writer (RFC 4180: every string quoted, quotes doubled,
so tabs and newlines inside sentences survive); nulls are empty and unquoted,
empty strings are ``""``.
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from ..version import __version__
from .dictionary import Column, TableDoc, dictionary

SQLITE_TYPES = {"string": "TEXT", "integer": "INTEGER", "number": "REAL", "boolean": "INTEGER", "list": "TEXT",
                "spans": "TEXT", "records": "TEXT"}
# Frictionless Table Schema types (https://specs.frictionlessdata.io/table-schema/) of the flat files
FRICTIONLESS = {"string": "string", "integer": "integer", "number": "number", "boolean": "boolean",
                "list": "string", "spans": "string", "records": "string"}


def flatten(data: pa.Table, doc: TableDoc) -> pa.Table:
    """Lists of ids become space-separated text, spans and records JSON text: for CSV, TSV and SQLite."""
    cols = {c.name: c for c in doc.columns}
    arrays, fields = [], []
    for f in data.schema:
        arr = data.column(f.name)
        c = cols[f.name]
        if c.type == "list":
            arr = pa.array([None if v is None else " ".join(v) for v in arr.to_pylist()], pa.string())
        elif c.type in ("spans", "records"):
            arr = pa.array([None if v is None else json.dumps(v) for v in arr.to_pylist()], pa.string())
        arrays.append(arr)
        fields.append(pa.field(f.name, arr.type, metadata=f.metadata))
    return pa.Table.from_arrays(arrays, schema=pa.schema(fields, metadata=data.schema.metadata))


def rename(data: pa.Table, doc: TableDoc, names: str) -> pa.Table:
    return data.rename_columns(doc.names(names))


def table_schema(doc: TableDoc, names: str, delimiter: str) -> dict:
    """A Frictionless Table Schema of a CSV/TSV export: names, types, descriptions, how nulls look."""
    return {
        "$comment": f"Table Schema of detente's {doc.name} export ({__version__}); "
                    "codes are strings: read them as character/str, never as numbers",
        "fields": [{"name": c.label(names), "type": FRICTIONLESS[c.type], "description": c.description}
                   for c in doc.columns],
        "missingValues": [""],
        "dialect": {"delimiter": delimiter, "quoteChar": '"', "doubleQuote": True, "header": True},
    }


def write_delimited(data: pa.Table, doc: TableDoc, names: str, path: Path, delimiter: str) -> None:
    flat = rename(flatten(data, doc), doc, names)
    pacsv.write_csv(flat, path, pacsv.WriteOptions(delimiter=delimiter, include_header=True))


def write_parquet(data: pa.Table, doc: TableDoc, names: str, path: Path) -> None:
    meta = {"detente_table": doc.name, "detente_version": __version__, "detente_names": names,
            "description": doc.description}
    t = rename(data, doc, names)
    t = t.replace_schema_metadata({k: str(v) for k, v in meta.items()})
    pq.write_table(t, path, compression="zstd")


def write_jsonl(data: pa.Table, doc: TableDoc, names: str, path: Path) -> None:
    t = rename(data, doc, names)
    with open(path, "w", encoding="utf-8", newline="\n") as fh:
        for batch in t.to_batches(max_chunksize=4096):
            for row in batch.to_pylist():
                fh.write(json.dumps(row, ensure_ascii=False) + "\n")


def write_records(rows, path: Path) -> None:
    """JSONL of already-shaped records (PLOVER)."""
    with open(path, "w", encoding="utf-8", newline="\n") as fh:
        for row in rows:
            fh.write(json.dumps(row, ensure_ascii=False) + "\n")


def _qi(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def sqlite_add_table(con: sqlite3.Connection, name: str, data: pa.Table, doc: TableDoc, names: str) -> None:
    """CREATE TABLE with declared types (so RSQLite and Datasette read codes as text), rows, indexes."""
    flat = rename(flatten(data, doc), doc, names)
    cols: list[Column] = list(doc.columns)
    decl = ", ".join(f"{_qi(c.label(names))} {SQLITE_TYPES[c.type]}" for c in cols)
    con.execute(f"CREATE TABLE {_qi(name)} ({decl})")
    marks = ", ".join("?" * len(cols))
    bools = [i for i, c in enumerate(cols) if c.type == "boolean"]
    for batch in flat.to_batches(max_chunksize=4096):
        rows = [tuple(r.values()) for r in batch.to_pylist()]
        if bools:
            rows = [tuple((None if v is None else int(v)) if i in bools else v for i, v in enumerate(r)) for r in rows]
        con.executemany(f"INSERT INTO {_qi(name)} VALUES ({marks})", rows)
    label = {c.name: c.label(names) for c in cols}
    for idx in doc.indexes:
        iname = f"idx_{name}_" + "_".join(idx)
        con.execute(f"CREATE INDEX {_qi(iname)} ON {_qi(name)} ({', '.join(_qi(label[c]) for c in idx)})")
    con.executemany("INSERT INTO _columns VALUES (?, ?, ?, ?, ?, ?, ?, ?)", [
        (name, i, c.label(names), c.name, c.gdelt, c.type, SQLITE_TYPES[c.type], c.description)
        for i, c in enumerate(cols)])
    con.execute("INSERT INTO _tables VALUES (?, ?, ?)", (name, doc.description, flat.num_rows))


def sqlite_open(path: Path, names: str) -> sqlite3.Connection:
    con = sqlite3.connect(path)
    con.execute("CREATE TABLE _columns (table_name TEXT, position INTEGER, column_name TEXT, snake_name TEXT, "
                "gdelt_name TEXT, detente_type TEXT, sqlite_type TEXT, description TEXT)")
    con.execute("CREATE TABLE _tables (table_name TEXT, description TEXT, rows INTEGER)")
    con.execute("CREATE TABLE _export (key TEXT, value TEXT)")
    con.executemany("INSERT INTO _export VALUES (?, ?)", [("detente_version", __version__), ("names", names)])
    return con


def write_graph(nodes: pa.Table, edges: pa.Table, path: Path, fmt: str, meta: dict) -> None:
    """GraphML or GEXF through networkx; ``weight`` = events, ``event_ids`` space-separated."""
    import networkx as nx

    from ..analysis.network import to_networkx

    g = to_networkx(nodes.to_pandas(), edges.to_pandas())
    for _, _, d in g.edges(data=True):
        d["weight"] = float(d["events"])
    g.graph.update({k: ("" if v is None else str(v)) for k, v in meta.items()})
    if fmt == "graphml":
        nx.write_graphml(g, path)
    else:
        nx.write_gexf(g, path)


def documented_tables() -> list[str]:
    return list(dictionary())
