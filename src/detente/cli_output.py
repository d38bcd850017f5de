"""Output of the read commands: a rich table for people, or CSV / JSON Lines / JSON for scripts.

``--format table|csv|jsonl|json`` on events, dyad, patrons, triads, outlets,
network and sql goes through :func:`emit`. The machine formats carry every
column of the DataFrame the library returned (so a script sees what the Python
API sees), write nothing but data to stdout, and put notes on stderr. Lists
(event ids) are space-separated in CSV, as in ``detente export``, and arrays
in JSON.

When stdout is not a terminal, rich would wrap at 80 columns; :func:`make_console`
gives such a console an unbounded width, so piped tables keep one row per line.
"""

from __future__ import annotations

import json
import os
import shutil
import sys
import tempfile
from collections.abc import Callable
from contextlib import contextmanager
from pathlib import Path

import typer
from rich.console import Console
from rich.markup import escape

from .errors import DetenteError
from .tabular import records, write_csv

FORMATS = ("table", "csv", "jsonl", "json")


def make_console(stderr: bool = False) -> Console:
    """A console that wraps at the terminal's width, and never when writing to a pipe or file."""
    stream = sys.stderr if stderr else sys.stdout
    if os.environ.get("COLUMNS") or _isatty(stream):
        return Console(stderr=stderr)
    return Console(stderr=stderr, width=100_000, soft_wrap=True)


def _isatty(stream) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


def format_option(default: str = "table"):
    return typer.Option(default, "--format", "-f", metavar="FORMAT",
                        help="table (for people) | csv | jsonl | json (every column, for scripts)")


def check_format(fmt: str) -> str:
    f = (fmt or "").strip().lower()
    if f not in FORMATS:
        raise DetenteError("E303", f"--format {fmt!r} is not an output format", f"use one of {', '.join(FORMATS)}")
    return f


def write(df, fmt: str, stream=None) -> None:
    """Write ``df`` in a machine format (csv, jsonl, json) to ``stream`` (default stdout)."""
    out = stream or sys.stdout
    rows = records(df)
    if fmt == "json":
        out.write(json.dumps(rows, ensure_ascii=False, indent=1) + "\n")
    elif fmt == "jsonl":
        for r in rows:
            out.write(json.dumps(r, ensure_ascii=False) + "\n")
    elif fmt == "csv":
        write_csv(df, out)
    else:  # pragma: no cover - check_format guards
        raise DetenteError("E303", f"--format {fmt!r}")
    out.flush()


def emit(df, fmt: str, table: Callable[[], None], empty: str | None = None, notes: list[str] | None = None) -> None:
    """Print ``df`` as a table (``table()`` draws it) or write it in ``fmt``; notes and the empty message to stderr
    in the machine formats (where an empty result is still a valid, empty file: a header, ``[]`` or nothing)."""
    notes = [n for n in (notes or []) if n]
    if fmt == "table":
        con = make_console()
        if df is None or len(df) == 0:
            con.print(escape(empty or "no rows"), highlight=False)
        else:
            table()
        for n in notes:
            con.print(f"[yellow]note[/yellow]: {escape(n)}", highlight=False)
        return
    write(df, fmt)
    err = make_console(stderr=True)
    if (df is None or len(df) == 0) and empty:
        err.print(empty, highlight=False)
    for n in notes:
        err.print(f"note: {n}", highlight=False, markup=False)


STDIO = "-"


def is_stdio(path) -> bool:
    return path is not None and str(path) == STDIO


@contextmanager
def output_path(path, name: str):
    """A file path to write to: ``path`` itself, or, for ``-``, a temporary file named ``name`` whose
    bytes are copied to stdout when the block ends (writers that need a real file, like SQLite, still work)."""
    if not is_stdio(path):
        yield None if path is None else Path(path)
        return
    with tempfile.TemporaryDirectory(prefix="detente-out-") as d:
        tmp = Path(d) / name
        yield tmp
        if tmp.exists():
            _copy_to_stdout(tmp)


def _copy_to_stdout(path: Path) -> None:
    sys.stdout.flush()
    out = getattr(sys.stdout, "buffer", None)
    with open(path, "rb") as fh:
        if out is None:  # a text-only stdout (test runners): decode
            sys.stdout.write(fh.read().decode("utf-8", "replace"))
        else:
            shutil.copyfileobj(fh, out)
            out.flush()


@contextmanager
def input_path(path, name: str = "stdin.jsonl"):
    """A file path to read: ``path`` itself, or, for ``-``, a temporary copy of stdin."""
    if not is_stdio(path):
        yield Path(path)
        return
    with tempfile.TemporaryDirectory(prefix="detente-in-") as d:
        tmp = Path(d) / name
        src = getattr(sys.stdin, "buffer", None)
        with open(tmp, "wb") as fh:
            if src is None:
                fh.write(sys.stdin.read().encode("utf-8"))
            else:
                shutil.copyfileobj(src, fh)
        yield tmp
