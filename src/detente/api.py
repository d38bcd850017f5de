"""The pandas-first reading API: ``detente.open(store)``."""

from __future__ import annotations

from functools import cached_property

import pandas as pd

from .store import Store, query_df


class Detente:
    """A read-only view of a store. Tables are pandas DataFrames; codes stay strings."""

    def __init__(self, store: str):
        self.store = Store(store)
        self.con = self.store.connect()

    def sql(self, query: str, params: list | None = None) -> pd.DataFrame:
        """Run SQL over the store's views (articles, actor_mentions, event_mentions, events, runs)."""
        return query_df(self.con, query, params)

    @cached_property
    def articles(self) -> pd.DataFrame:
        return self.sql("SELECT * EXCLUDE (batch_id) FROM articles ORDER BY article_id")

    @cached_property
    def mentions(self) -> pd.DataFrame:
        """Event mentions: one coded event in one sentence, with its evidence."""
        return self.sql("SELECT * EXCLUDE (batch_id) FROM event_mentions ORDER BY article_id, start, trigger_start")

    @cached_property
    def actors(self) -> pd.DataFrame:
        """Actor mentions: one resolved actor span in one article."""
        return self.sql("SELECT * EXCLUDE (batch_id) FROM actor_mentions ORDER BY article_id, start")

    @cached_property
    def events(self) -> pd.DataFrame:
        """Consolidated events (one row per interaction, with mention counts) and their evidence, as in
        ``detente export events``: the strongest mention (``evidence_mention_id``, ``article_id``, ``sentence``,
        ``start``/``end`` offsets, ``trigger``, ``url``, ``outlet``, ``published``) and ``mentions``, every
        mention behind the event as a list of dicts."""
        from .exports.tables import QUERIES

        return self.sql(f"SELECT * EXCLUDE (batch_id) FROM ({QUERIES['events']}) ORDER BY event_id")

    @cached_property
    def actor_mentions(self) -> pd.DataFrame:
        """Actor mentions with their sentence and article (url, outlet, published), as ``export actors``."""
        from .exports.tables import QUERIES

        return self.sql(f"SELECT * EXCLUDE (batch_id) FROM ({QUERIES['actors']})")

    @cached_property
    def stories(self) -> pd.DataFrame:
        """Which story each article belongs to (reprints and near-duplicates share one), with the article."""
        from .exports.tables import QUERIES

        return self.sql(f"SELECT * EXCLUDE (batch_id) FROM ({QUERIES['stories']})")

    @cached_property
    def runs(self) -> pd.DataFrame:
        return self.sql("SELECT * EXCLUDE (batch_id) FROM runs ORDER BY started_at")

    def dyad(self, a: str, b: str, freq: str = "M", both: bool = False, asserted_only: bool = True) -> pd.DataFrame:
        """Relations a→b per period: QuadClass counts, Goldstein, index, label, event ids."""
        from .analysis.relations import dyad_series

        return dyad_series(self.events, a, b, freq, both=both, asserted_only=asserted_only)

    def patrons(self, client: str, freq: str = "Y", asserted_only: bool = True) -> pd.DataFrame:
        """Who gives ``client`` material cooperation, per period, ranked."""
        from .analysis.relations import patrons

        return patrons(self.events, client, freq, asserted_only=asserted_only)

    def network(self, start: str | None = None, end: str | None = None, level: str = "country",
                asserted_only: bool = True):
        """The actor network over ``[start, end]`` (ISO dates, both optional) as a ``networkx.DiGraph``:
        node attributes as in ``export network_nodes``, edge attributes as in ``export network``
        (``events``, QuadClass counts, ``goldstein_mean``, ``label``, ``sign``, space-separated ``event_ids``)."""
        from .analysis.network import to_networkx

        g = to_networkx(*self.network_tables(start, end, level, asserted_only))
        g.graph.update({"start": start, "end": end, "level": level, "asserted_only": asserted_only})
        return g

    def network_tables(self, start: str | None = None, end: str | None = None, level: str = "country",
                       asserted_only: bool = True) -> tuple[pd.DataFrame, pd.DataFrame]:
        """``(nodes, edges)`` DataFrames of the actor network over ``[start, end]``."""
        from .analysis.network import network

        return network(self.events, start, end, level, asserted_only)

    def undated_events(self, asserted_only: bool = True, a: str | None = None, b: str | None = None,
                       both: bool = False, any_of: list[str] | None = None) -> pd.DataFrame:
        """Undated events a dated view (dyad, patrons, triads, network) leaves out, with ``article_undated``."""
        from .analysis.coverage import undated_events

        undated = set(self.sql("SELECT article_id FROM articles WHERE published IS NULL").article_id)
        ma = dict(self.con.execute("SELECT mention_id, article_id FROM event_mentions").fetchall())
        return undated_events(self.events, undated, ma, asserted_only, a, b, both, any_of)

    # --- outlet framing and triads (detente.analysis.framing, detente.analysis.triads) ---

    @cached_property
    def _evaluations(self) -> tuple[pd.DataFrame, pd.DataFrame]:
        from .analysis.framing import evaluations

        return evaluations(self.articles, self.actors, self.mentions)

    def evaluations(self, by: str = "actor") -> pd.DataFrame:
        """Every evaluative term with the actor (``by="actor"``) or dyad (``"dyad"``) it is attributed to."""
        return self._evaluations[_by(by)]

    def outlet_stance(self, by: str = "actor") -> pd.DataFrame:
        """Stance per outlet toward each actor (``by="actor"``) or dyad (``by="dyad"``), with its evidence ids."""
        from .analysis.framing import stance_table

        k = _by(by)
        return stance_table(self._evaluations[k], "actor" if k == 0 else "dyad")

    def hedging(self, by: str = "dyad") -> pd.DataFrame:
        """Hedged / speculative shares of each outlet's event mentions (per dyad, or ``by="outlet"``)."""
        from .analysis.framing import hedging

        return hedging(self.mentions, self.articles, by=by)

    def genres(self) -> pd.DataFrame:
        """Opinion vs news per article, with the score and the cues behind it."""
        from .analysis.framing import genres

        return genres(self.articles)

    def blindspots(self, asserted_only: bool = False, by: str = "event", freq: str = "Y") -> pd.DataFrame:
        """Events some outlets report and others do not (outlets_reporting / outlets_missing); with
        ``by="dyad"``, per dyad and period, the outlets publishing then that report none of its events."""
        from .analysis.framing import blindspots, dyad_blindspots

        if by == "dyad":
            return dyad_blindspots(self.events, self.mentions, self.articles, freq, asserted_only=asserted_only)
        if by != "event":
            from .errors import DetenteError

            raise DetenteError("E303", f"unknown blindspot grouping {by!r}", "use event or dyad")
        return blindspots(self.events, self.mentions, self.articles, asserted_only=asserted_only)

    def outlets(self, asserted_only: bool = False) -> pd.DataFrame:
        """One row per outlet: articles, opinion share, mentions, events, hedging, stance, exclusive events."""
        from .analysis.framing import outlet_table

        return outlet_table(self.articles, self.mentions, self.events, self._evaluations[0], self.genres(),
                            asserted_only=asserted_only)

    def triads(self, freq: str = "Y", actors: list[str] | None = None, level: str = "country",
               asserted_only: bool = True, sign_rule: str = "label") -> pd.DataFrame:
        """Triads of the signed network per period, balanced or not, with the event ids of their ties."""
        from .analysis.triads import triads

        return triads(self.events, freq, actors, level, asserted_only, sign_rule)

    def triad_changes(self, freq: str = "Y", actors: list[str] | None = None, level: str = "country",
                      asserted_only: bool = True, sign_rule: str = "label") -> pd.DataFrame:
        """Where a triad turned balanced or unbalanced between periods, with a sentence each."""
        from .analysis.triads import triad_changes

        return triad_changes(self.triads(freq, actors, level, asserted_only, sign_rule))

    def export(self, table: str, fmt: str = "jsonl", output: str | None = None, **options):
        """Write a table as csv, tsv, parquet, jsonl, sqlite, plover, graphml or gexf: see :func:`detente.exports.export`."""
        from .exports import export

        return export(self.store, table, fmt, output, **options)

    def story(self, event_id: str) -> pd.DataFrame:
        """The mentions (sentences, offsets, articles, outlets) behind one event."""
        return self.sql("""
            SELECT m.*, a.outlet, a.published, a.url, a.title
            FROM (SELECT unnest(mention_ids) AS mention_id FROM events WHERE event_id = ?) e
            JOIN event_mentions m USING (mention_id) JOIN articles a USING (article_id)
            ORDER BY a.published, m.article_id, m.start""", [event_id])

    def close(self) -> None:
        self.con.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def __repr__(self) -> str:
        return f"<detente store {self.store.path}>"


def _by(by: str) -> int:
    if by not in ("actor", "dyad"):
        from .errors import DetenteError

        raise DetenteError("E303", f"unknown stance grouping {by!r}", "use actor or dyad")
    return 0 if by == "actor" else 1
