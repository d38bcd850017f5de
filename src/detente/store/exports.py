"""Exports of the store's tables to JSONL, CSV and Parquet (through DuckDB's COPY).

Codes stay strings in every format: the columns are VARCHAR in the store, and
DuckDB's CSV writer quotes nothing away, so ``010`` stays ``010``.
"""

from __future__ import annotations

from pathlib import Path

from ..errors import DetenteError

KINDS = {
    "articles": "articles",
    "mentions": "event_mentions",
    "events": "events",
    "actors": "actor_mentions",
    "runs": "runs",
}
FORMATS = {"jsonl": "(FORMAT json)", "csv": "(FORMAT csv, HEADER true)", "tsv": "(FORMAT csv, HEADER true, DELIMITER '\t')",
           "parquet": "(FORMAT parquet, COMPRESSION zstd)"}
ORDER = {
    "articles": "article_id",
    "event_mentions": "article_id, start, trigger_start, mention_id",
    "actor_mentions": "article_id, start",
    "events": "event_id",
    "runs": "started_at",
}


def export_table(con, kind: str, fmt: str, output: str | Path) -> int:
    """Write table ``kind`` to ``output`` as ``fmt``; returns the number of rows written."""
    if kind not in KINDS:
        raise DetenteError("E303", f"unknown export kind {kind!r}", f"choose one of {', '.join(KINDS)}")
    if fmt not in FORMATS:
        raise DetenteError("E303", f"unknown format {fmt!r}", f"choose one of {', '.join(FORMATS)}")
    view = KINDS[kind]
    out = Path(output)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(out.name + ".part")
    cols = "*"
    path = str(tmp).replace("'", "''")
    con.execute(f"COPY (SELECT {cols} FROM {view} ORDER BY {ORDER[view]}) TO '{path}' {FORMATS[fmt]}")
    tmp.replace(out)
    return con.execute(f"SELECT count(*) FROM {view}").fetchone()[0]
