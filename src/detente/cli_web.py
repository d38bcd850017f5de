"""``detente report`` and ``detente serve``: the HTML report and the local dashboard (the ``web`` extra)."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Optional

import typer

from .config import DEFAULT_STORE
from .errors import DetenteError

StoreOpt = typer.Option(DEFAULT_STORE, "--store", "-s", metavar="DIR|URI", help="Store folder, or s3://BUCKET/PREFIX or gs://BUCKET/PREFIX (the s3 or gcs extra).", envvar="DETENTE_STORE")


def _need_web() -> None:
    try:
        import jinja2  # noqa: F401
        import plotly  # noqa: F401
    except ImportError as e:
        raise DetenteError("E305", f"the report and dashboard need {e.name}",
                           "pip install 'detente[web]'") from e


def register(app: typer.Typer) -> None:
    @app.command()
    def report(output: Path = typer.Option(Path("report.html"), "--output", "-o", metavar="FILE", help="HTML file to write (- for stdout)."),
               store: str = StoreOpt,
               actors: Optional[str] = typer.Option(None, "--actors", metavar="CODES", help="Actor codes, e.g. RUS,PRK (default: the busiest dyads)."),
               freq: str = typer.Option("Y", "--freq", metavar="W|M|Q|Y", help="Period length."),
               period: Optional[str] = typer.Option(None, "--period", metavar="PERIOD", help="Network period, e.g. 2015, 2015-02, 2015Q1 (default: the busiest)."),
               start: Optional[str] = typer.Option(None, "--start", metavar="YYYY-MM-DD", help="Only events dated on or after YYYY-MM-DD."),
               end: Optional[str] = typer.Option(None, "--end", metavar="YYYY-MM-DD", help="Only events dated on or before YYYY-MM-DD."),
               limit: int = typer.Option(2000, "--limit", metavar="N", help="At most this many events in the table (1-2000)."),
               force: bool = typer.Option(False, "--force", help="Replace an existing --output file.")):
        """Write one self-contained HTML report (works offline; can be emailed)."""
        from rich.console import Console

        _need_web()
        from .web import BadRequest, parse_filters, render_report

        try:
            f = parse_filters({"actors": actors or "", "freq": freq, "period": period or "", "start": start or "",
                               "end": end or "", "limit": str(limit)})
        except BadRequest as e:
            raise DetenteError("E303", str(e)) from e
        from . import cli_output

        to_stdout = cli_output.is_stdio(output)
        if not to_stdout and output.exists() and not force:
            raise DetenteError("E403", f"{output} exists", "add --force to replace it, or choose another --output")
        if not to_stdout and output.is_dir():
            raise DetenteError("E404", f"output {output} is a folder", "give a file name with --output")
        html = render_report(store, f)
        if to_stdout:
            sys.stdout.write(html)
            sys.stdout.flush()
            Console(stderr=True).print(f"wrote the report to stdout ({len(html) / 1e6:.1f} MB)")
            return
        tmp = output.with_name(output.name + ".part")  # a reader never sees half a report
        try:
            tmp.write_text(html, "utf-8")
            os.replace(tmp, output)
        except OSError as e:
            tmp.unlink(missing_ok=True)
            raise DetenteError("E404", f"cannot write {output}: {e.strerror or e}", "choose a writable --output") from e
        Console().print(f"wrote {output} ({len(html) / 1e6:.1f} MB, self-contained; open it in a browser)")

    @app.command()
    def serve(store: str = StoreOpt,
              port: int = typer.Option(8000, "--port", min=1, max=65535, metavar="PORT", help="TCP port."),
              host: str = typer.Option("127.0.0.1", "--host", metavar="HOST", help="Interface to bind (default loopback only)."),
              allow_host: list[str] = typer.Option([], "--allow-host", metavar="NAME",
                                                   help="Also answer requests for this host name (repeatable); "
                                                        "others than loopback get a 400.")):
        """A local, read-only dashboard over the store (http://127.0.0.1:8000)."""
        from rich.console import Console

        _need_web()
        try:
            import uvicorn
        except ImportError as e:
            raise DetenteError("E305", "the dashboard needs uvicorn", "pip install 'detente[web]'") from e
        from .store import Store
        from .web import create_app

        st = Store(store)  # E204 now, not on the first request
        if st.remote is not None:  # an object store: serve its mirror, synced again every minute
            import threading

            every = float(os.environ.get("DETENTE_SYNC_SECONDS", 60))
            threading.Thread(target=st.remote.follow, args=(every, threading.Event()), name="detente-sync",
                             daemon=True).start()
            store = str(st.path)
        allowed = list(allow_host)
        if host not in ("127.0.0.1", "localhost", "::1"):
            Console(stderr=True).print(f"[yellow]warning[/yellow]: serving on {host}: anyone who can reach "
                                       "this address can read the store (there is no login)")
            if host not in ("0.0.0.0", "::"):
                allowed.append(host)
            if not allow_host:
                Console(stderr=True).print("only requests for loopback names are answered; add --allow-host NAME "
                                           "for each name or address clients use")
        Console(stderr=True).print(f"detente dashboard on http://{host}:{port}/ (read-only; Ctrl-C stops)")
        uvicorn.run(create_app(store, allowed_hosts=allowed), host=host, port=port, log_level="warning", server_header=False)
