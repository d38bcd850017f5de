"""The embedded store: Parquet files as the store of record, DuckDB views on top."""

from .catalog import connect, query_df, views_sql
from .exports import FORMATS, KINDS, export_table
from .parquet import Store, new_run_id, utcnow

__all__ = ["Store", "connect", "query_df", "views_sql", "export_table", "KINDS", "FORMATS", "new_run_id", "utcnow"]
