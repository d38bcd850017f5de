"""CLI for exports: ``detente export TABLE --format FMT [--output PATH] [--names gdelt] [--force]``.

A thin layer over :func:`detente.exports.export`; registered on the main app by
``register(app)`` at the end of :mod:`detente.cli`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer
from rich.console import Console

from .config import DEFAULT_STORE

console = Console()


def register(app: typer.Typer) -> None:
    @app.command()
    def export(
        table: str = typer.Argument(..., metavar="TABLE",
                                    help="articles | mentions | events | actors | stories | runs | network | "
                                         "network_nodes | all"),
        format: str = typer.Option("jsonl", "--format", "-f",
                                   help="csv | tsv | parquet | jsonl | sqlite | plover (events) | "
                                        "graphml | gexf (network)"),
        output: Optional[Path] = typer.Option(None, "--output", "-o",
                                              help="File to write (default: TABLE.FORMAT; a folder for `all` "
                                                   "except sqlite)."),
        names: str = typer.Option("snake", "--names", help="snake | gdelt (GDELT 2.0 column names for events "
                                                           "and mentions)"),
        force: bool = typer.Option(False, "--force", help="Replace an existing output file."),
        start: Optional[str] = typer.Option(None, "--start", help="Network: first event date, YYYY-MM-DD."),
        end: Optional[str] = typer.Option(None, "--end", help="Network: last event date, YYYY-MM-DD."),
        level: str = typer.Option("country", "--level", help="Network nodes: country | actor."),
        all_modalities: bool = typer.Option(False, "--all-modalities",
                                            help="Network: count intent/hypothetical/negated events too."),
        store: str = typer.Option(DEFAULT_STORE, "--store", "-s", help="Store directory.", envvar="DETENTE_STORE"),
    ):
        """Export a table of the store (CSV, TSV, Parquet, JSONL, SQLite, PLOVER JSONL, GraphML, GEXF)."""
        from .exports import export as run_export

        r = run_export(store, table, format, output, names=names, force=force, start=start, end=end,
                       level=level, asserted_only=not all_modalities)
        counts = ", ".join(f"{n} {t}" for t, n in r.rows.items())
        console.print(f"wrote {counts} rows → {r.path}")
        for f in r.files:
            if f != r.path:
                console.print(f"  [dim]{f}[/dim]")
        for note in r.notes:
            console.print(f"  [yellow]note[/yellow]: {note}")
