"""The export tables, read from the store's DuckDB views as Arrow tables.

Each query returns a superset of the columns; :func:`read_table` then selects,
orders and types them as ``columns.yaml`` says, so the dictionary is the single
source of truth (a column missing from a query fails loudly, and a test checks
every table). Names are snake_case here; GDELT names are applied by the writers.
"""

from __future__ import annotations

import pyarrow as pa

from ..store import query_df
from .dictionary import TableDoc, table_doc

ARROW = {"string": pa.string(), "integer": pa.int64(), "number": pa.float64(), "boolean": pa.bool_(),
         "list": pa.list_(pa.string()), "spans": pa.list_(pa.list_(pa.int64())),
         "records": None}  # a list of structs, typed by the query (e.g. an event's mentions)

_CAMEO_BASE = "CASE WHEN length({c}) >= 3 THEN {c}[1:3] ELSE {c} || '0' END"
# The role after the country in a stacked actor code: RUSGOV -> GOV; IGOUNO (no country) -> null.
_ROLE = ("CASE WHEN {cc} IS NOT NULL AND starts_with({a}, {cc}) AND length({a}) >= length({cc}) + 3 "
         "THEN substr({a}, length({cc}) + 1, 3) END")

QUERIES: dict[str, str] = {
    "articles": "SELECT * FROM articles ORDER BY article_id",
    "mentions": f"""
        WITH em AS (SELECT event_id, unnest(mention_ids) AS mention_id FROM events),
        ev AS (SELECT mention_id, min(event_id) AS event_id FROM em GROUP BY mention_id)
        SELECT m.*, ev.event_id, a.url, a.outlet, a.published, {_CAMEO_BASE.format(c='m.cameo')} AS cameo_base
        FROM event_mentions m LEFT JOIN ev USING (mention_id) JOIN articles a USING (article_id)
        ORDER BY m.article_id, m.start, m.trigger_start, m.mention_id""",
    "events": f"""
        WITH em AS (SELECT event_id, unnest(mention_ids) AS mention_id FROM events),
        best AS (
          SELECT em.event_id, m.mention_id AS evidence_mention_id, m.article_id, m.sentence, m.start, m."end",
                 m.trigger, m.trigger_start, m.trigger_end, m.source_text, m.source_start, m.source_end,
                 m.target_text, m.target_start, m.target_end, m.plover_mode,
                 m.plover_context, m.confidence, a.url, a.outlet, a.published,
                 row_number() OVER (PARTITION BY em.event_id ORDER BY m.confidence DESC, m.mention_id) AS rn
          FROM em JOIN event_mentions m USING (mention_id) JOIN articles a USING (article_id)),
        evidence AS (
          SELECT em.event_id,
                 list({{'mention_id': m.mention_id, 'article_id': m.article_id, 'outlet': a.outlet,
                       'url': a.url, 'published': a.published, 'sentence': m.sentence, 'start': m.start,
                       'end': m."end", 'trigger': m.trigger, 'trigger_start': m.trigger_start,
                       'source_text': m.source_text, 'source_start': m.source_start,
                       'source_end': m.source_end, 'target_text': m.target_text,
                       'target_start': m.target_start, 'target_end': m.target_end,
                       'modality': m.modality, 'hedged': m.hedged,
                       'attributed_to': m.attributed_to}}
                      ORDER BY a.published NULLS LAST, m.article_id, m.start, m.mention_id) AS mentions
          FROM em JOIN event_mentions m USING (mention_id) JOIN articles a USING (article_id)
          GROUP BY em.event_id)
        SELECT e.*, b.* EXCLUDE (event_id, rn), ev.mentions,
               CAST(strftime(TRY_CAST(left(e.event_date, 10) AS DATE), '%Y%m%d') AS BIGINT) AS sqldate,
               {_ROLE.format(a='e.source_actor', cc='e.source_country')} AS source_role,
               {_ROLE.format(a='e.target_actor', cc='e.target_country')} AS target_role,
               {_CAMEO_BASE.format(c='e.cameo')} AS cameo_base
        FROM events e LEFT JOIN best b ON b.event_id = e.event_id AND b.rn = 1
        LEFT JOIN evidence ev ON ev.event_id = e.event_id
        ORDER BY e.event_date NULLS LAST, e.event_id""",
    "actors": """
        SELECT m.*, a.url, a.outlet, a.published,
               substr(a.text, m.sentence_start + 1, m.sentence_end - m.sentence_start) AS sentence
        FROM actor_mentions m JOIN articles a USING (article_id)
        ORDER BY m.article_id, m.start, m.code""",
    "stories": """
        SELECT s.*, a.title, a.url, a.outlet, a.published
        FROM stories s LEFT JOIN articles a USING (article_id) ORDER BY s.story_id, s.article_id""",
    "runs": "SELECT * FROM runs ORDER BY started_at",
}


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def conform(data: pa.Table, doc: TableDoc) -> pa.Table:
    """``data``'s documented columns, in the dictionary's order and types, with descriptions as metadata."""
    fields, arrays = [], []
    for c in doc.columns:
        arr = data.column(c.name)
        typ = ARROW[c.type] or arr.type
        if arr.type != typ:
            arr = arr.cast(typ)
        arrays.append(arr)
        fields.append(pa.field(c.name, typ, metadata={"description": c.description}))
    return pa.Table.from_arrays(arrays, schema=pa.schema(fields, metadata={"detente_table": doc.name}))


def read_table(con, table: str) -> pa.Table:
    """One store table (not the network) as a typed Arrow table with snake_case names."""
    doc = table_doc(table)
    cols = ", ".join(_quote(c.name) for c in doc.columns)
    return conform(_arrow(con, f"SELECT {cols} FROM ({QUERIES[table]})"), doc)


def _arrow(con, sql: str) -> pa.Table:
    rel = con.sql(sql)
    fetch = getattr(rel, "to_arrow_table", None) or rel.arrow  # DuckDB 2 / DuckDB 1.x
    return fetch()


def rows(con, sql: str) -> list[dict]:
    """Query rows as plain dicts (None for nulls, never NaN)."""
    return _arrow(con, sql).to_pylist()


def network_tables(con, start: str | None, end: str | None, level: str,
                   asserted_only: bool = True) -> tuple[pa.Table, pa.Table]:
    """``(nodes, edges)`` of the period's actor network, typed like the dictionary says."""
    from ..analysis.network import network

    events = query_df(con, "SELECT * EXCLUDE (batch_id) FROM events ORDER BY event_id")
    nodes, edges = network(events, start, end, level, asserted_only)
    return (conform(pa.Table.from_pandas(nodes, preserve_index=False), table_doc("network_nodes")),
            conform(pa.Table.from_pandas(edges, preserve_index=False), table_doc("network")))


def count(con, view: str) -> int:
    return int(con.sql(f"SELECT count(*) FROM {view}").fetchall()[0][0])
