"""DataFrames as plain records and CSV text: shared by the CLI's ``--format`` and the dashboard's downloads.

JSON needs Python values: numpy scalars and arrays become numbers and lists,
NaN/NaT/NA become None (``null``), dates ISO strings. CSV cells hold lists as
space-separated text (as ``detente export`` does) and dicts as JSON.
"""

from __future__ import annotations

import csv
import io
import json
import math


def plain(v):
    """A JSON-ready value: numpy scalars and arrays to Python, NaN/NaT to None."""
    if v is None:
        return None
    if hasattr(v, "tolist") and not isinstance(v, (str, bytes)):
        v = v.tolist()
    if isinstance(v, (list, tuple)):
        return [plain(x) for x in v]
    if isinstance(v, dict):
        return {str(k): plain(x) for k, x in v.items()}
    if isinstance(v, float) and math.isnan(v):
        return None
    if type(v).__name__ in ("NaTType", "NAType"):
        return None
    if hasattr(v, "isoformat"):
        return v.isoformat()
    return v


def records(df) -> list[dict]:
    """The rows of ``df`` as JSON-ready dicts."""
    return [{str(k): plain(v) for k, v in row.items()} for row in df.to_dict("records")]


def csv_cell(v):
    if v is None:
        return ""
    if isinstance(v, list):
        return " ".join(map(str, v))
    if isinstance(v, dict):
        return json.dumps(v, ensure_ascii=False)
    return v


def write_csv(df, out) -> None:
    """``df`` as CSV (header row, RFC 4180 quoting) to the text stream ``out``."""
    w = csv.writer(out, lineterminator="\n")
    w.writerow([str(c) for c in df.columns])
    for r in records(df):
        w.writerow([csv_cell(v) for v in r.values()])


def csv_text(df) -> str:
    buf = io.StringIO()
    write_csv(df, buf)
    return buf.getvalue()
