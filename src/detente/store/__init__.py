"""The embedded store: Parquet files as the store of record, DuckDB views on top.

Exports live in :mod:`detente.exports`.
"""

from .catalog import connect, query_df, views_sql
from .parquet import Store, new_run_id, utcnow

__all__ = ["Store", "connect", "query_df", "views_sql", "new_run_id", "utcnow"]
