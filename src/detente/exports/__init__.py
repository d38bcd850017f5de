"""Exports of the store in the field's formats: ``export(store, table, fmt, output)``.

Tables: articles, mentions, events, actors, stories, runs, network (edges),
network_nodes, or ``all``. Formats: csv, tsv, parquet, jsonl, sqlite (one file
that Datasette and R's RSQLite open), plover (PLOVER-style JSONL of events),
graphml and gexf (the actor network, for Gephi and networkx). Columns, their order,
types and GDELT names come from ``columns.yaml`` (documented in docs/columns.md).

Files are written to ``<output>.part`` and renamed into place, so a reader never
sees half a file. An existing output is never replaced unless ``force=True`` (E403).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import DetenteError
from .dictionary import NAMINGS, dictionary, table_doc, to_markdown

TABLES = ("articles", "mentions", "events", "actors", "stories", "runs", "network", "network_nodes")
FORMATS = ("csv", "tsv", "parquet", "jsonl", "sqlite", "plover", "graphml", "gexf", "gdelt")
EXTENSIONS = {"csv": "csv", "tsv": "tsv", "parquet": "parquet", "jsonl": "jsonl", "sqlite": "sqlite",
              "plover": "plover.jsonl", "graphml": "graphml", "gexf": "gexf",
              "gdelt": "gdelt.tsv"}
ONLY = {"plover": ("events",), "graphml": ("network",), "gexf": ("network",), "gdelt": ("events", "mentions")}  # formats for one table only
NETWORK = ("network", "network_nodes")

__all__ = ["export", "ExportResult", "TABLES", "FORMATS", "dictionary", "to_markdown"]


@dataclass(frozen=True, slots=True)
class ExportResult:
    """What an export wrote: the main path, every file, rows per table, and notes for the user."""

    table: str
    format: str
    path: str
    rows: dict[str, int]
    files: tuple[str, ...]
    notes: tuple[str, ...] = field(default=())

    @property
    def total_rows(self) -> int:
        return sum(self.rows.values())


def _validate(table: str, fmt: str, names: str, network_opts: bool) -> None:
    if table not in TABLES and table != "all":
        raise DetenteError("E401", f"unknown export table {table!r}", f"choose one of {', '.join(TABLES)}, all")
    if fmt not in FORMATS:
        raise DetenteError("E402", f"unknown export format {fmt!r}", f"choose one of {', '.join(FORMATS)}")
    if fmt in ONLY and table not in ONLY[fmt]:
        raise DetenteError("E402", f"format {fmt} is for the {' or '.join(ONLY[fmt])} table, not {table}",
                           f"e.g. detente export {ONLY[fmt][0]} --format {fmt}")
    if names not in NAMINGS:
        raise DetenteError("E303", f"unknown --names {names!r}", "use snake or gdelt")
    if network_opts and table not in (*NETWORK, "all"):
        raise DetenteError("E303", "--start, --end and --level apply to the network table only",
                           "e.g. detente export network --format graphml --start 2014-01-01 --end 2016-12-31")


def _check_date(option: str, value: str | None) -> None:
    import datetime as dt

    if value is not None:
        try:
            dt.date.fromisoformat(value)
        except ValueError as e:
            raise DetenteError("E303", f"{option} {value!r} is not a date", "use YYYY-MM-DD") from e


def _targets(table: str, fmt: str, output: Path) -> list[tuple[str, Path]]:
    """(table, path) pairs to write; ``all`` in a file format means a folder with one file per table."""
    if table != "all":
        return [(table, output)]
    if fmt == "sqlite":
        return [("all", output)]
    return [(t, output / f"{t}.{EXTENSIONS[fmt]}") for t in TABLES]


def _outputs(path: Path, fmt: str) -> list[Path]:
    return [path, path.with_name(path.name + ".schema.json")] if fmt in ("csv", "tsv") else [path]


def _check_writable(paths: list[Path], force: bool) -> None:
    for p in paths:
        if p.is_dir():
            raise DetenteError("E404", f"output {p} is a folder", "give a file name with --output")
        if p.exists() and not force:
            raise DetenteError("E403", f"{p} exists; not overwriting it", "pass --force to replace it, or choose "
                               "another --output")
    for parent in {p.parent for p in paths}:
        try:
            parent.mkdir(parents=True, exist_ok=True)
            probe = parent / f".detente-write-test-{os.getpid()}"
            probe.write_bytes(b"")
            probe.unlink()
        except OSError as e:
            raise DetenteError("E404", f"cannot write to {parent}: {e.strerror or e}",
                               "choose a writable --output path") from e


def export(store, table: str, fmt: str = "jsonl", output: str | os.PathLike | None = None, *,
           names: str = "snake", force: bool = False, start: str | None = None, end: str | None = None,
           level: str = "country", asserted_only: bool = True) -> ExportResult:
    """Write ``table`` of ``store`` (a path or a :class:`~detente.store.Store`) as ``fmt`` to ``output``.

    ``names="gdelt"`` uses GDELT 2.0 column names for the columns that have one (events,
    mentions). ``start``/``end``/``level``/``asserted_only`` select the network's period and nodes.
    """
    from ..store import Store

    st = store if isinstance(store, Store) else Store(store)
    network_opts = start is not None or end is not None or level != "country"
    _validate(table, fmt, names, network_opts)
    _check_date("--start", start)
    _check_date("--end", end)
    con = st.connect()
    try:
        return _export(con, st, table, fmt, output, names, force, start, end, level, asserted_only)
    finally:
        con.close()


def _export(con, st, table, fmt, output, names, force, start, end, level, asserted_only) -> ExportResult:
    from . import tables as T

    if T.count(con, "articles") == 0 and not (table == "runs" and T.count(con, "runs")):
        raise DetenteError("E204", f"the store at {st.path} has no articles yet: nothing to export",
                           "run `detente analyze PATH --store DIR` first")
    out = Path(output) if output else Path(f"{'detente' if table == 'all' else table}.{EXTENSIONS[fmt]}")
    targets = _targets(table, fmt, out)
    _check_writable([p for _, p in targets for p in _outputs(p, fmt)], force)

    rows: dict[str, int] = {}
    files: list[str] = []
    notes: list[str] = []
    net: tuple | None = None

    def network():
        nonlocal net
        if net is None:
            net = T.network_tables(con, start, end, level, asserted_only)
        return net

    def data(name: str):
        if name == "network":
            return network()[1]
        if name == "network_nodes":
            return network()[0]
        return T.read_table(con, name)

    for name, path in targets:
        tmp = path.with_name(path.name + ".part")
        try:
            if fmt == "sqlite":
                _write_sqlite(tmp, list(TABLES) if name == "all" else [name], data, names, rows)
            elif fmt in ("graphml", "gexf"):
                from .writers import write_graph

                nodes, edges = network()
                write_graph(nodes, edges, tmp, fmt, {"start": start, "end": end, "level": level,
                                                      "asserted_only": asserted_only, "made_by": "detente"})
                rows["network"], rows["network_nodes"] = edges.num_rows, nodes.num_rows
            elif fmt == "gdelt":  # GDELT 2.0's positional files (exports/gdelt.py)
                from . import gdelt

                rows[name] = (gdelt.write_events if name == "events" else gdelt.write_mentions)(con, tmp)
            elif fmt == "plover":
                n_out, n_left = _write_plover(tmp, con, data("events"))
                rows["events"] = n_out
                if n_left:
                    notes.append(f"{n_left} events with no PLOVER type (CAMEO 01 statements) left out, "
                                 "as PLOVER drops that category")
            else:
                rows[name] = _write_flat(tmp, path, fmt, name, data(name), names)
            os.replace(tmp, path)
        except OSError as e:
            raise DetenteError("E404", f"cannot write {path}: {e.strerror or e}", "choose a writable --output") from e
        finally:
            tmp.unlink(missing_ok=True)
        files += [str(p) for p in _outputs(path, fmt)]
    if names == "gdelt" and table not in ("events", "mentions", "all"):
        notes.append(f"the {table} table has no GDELT column names; snake_case names kept")
    return ExportResult(table, fmt, str(out), rows, tuple(files), tuple(notes))


def _write_flat(tmp: Path, path: Path, fmt: str, name: str, data, names: str) -> int:
    import json

    from . import writers as W

    doc = table_doc(name)
    if fmt in ("csv", "tsv"):
        delim = "," if fmt == "csv" else "\t"
        W.write_delimited(data, doc, names, tmp, delim)
        side = path.with_name(path.name + ".schema.json")
        side_tmp = side.with_name(side.name + ".part")
        side_tmp.write_text(json.dumps(W.table_schema(doc, names, delim), indent=1, ensure_ascii=False) + "\n",
                            "utf-8")
        os.replace(side_tmp, side)
    elif fmt == "parquet":
        W.write_parquet(data, doc, names, tmp)
    else:
        W.write_jsonl(data, doc, names, tmp)
    return data.num_rows


def _write_sqlite(tmp: Path, names_of_tables: list[str], data, names: str, rows: dict) -> None:
    from . import writers as W

    tmp.unlink(missing_ok=True)
    db = W.sqlite_open(tmp, names)
    try:
        for t in names_of_tables:
            d = data(t)
            W.sqlite_add_table(db, t, d, table_doc(t), names)
            rows[t] = d.num_rows
        db.commit()
    finally:
        db.close()


def _write_plover(tmp: Path, con, events) -> tuple[int, int]:
    from .plover import plover_record
    from .tables import rows
    from .writers import write_records

    articles = {r["article_id"]: r for r in rows(con, "SELECT article_id, title, language, stored_at FROM articles")}
    recs = [plover_record(ev, articles) for ev in events.to_pylist()]
    kept = [r for r in recs if r is not None]
    write_records(kept, tmp)
    return len(kept), len(recs) - len(kept)
