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
        """Consolidated events (one row per interaction, with mention counts)."""
        return self.sql("SELECT * EXCLUDE (batch_id) FROM events ORDER BY event_id")

    @cached_property
    def runs(self) -> pd.DataFrame:
        return self.sql("SELECT * EXCLUDE (batch_id) FROM runs ORDER BY started_at")

    def close(self) -> None:
        self.con.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def __repr__(self) -> str:
        return f"<detente store {self.store.path}>"
