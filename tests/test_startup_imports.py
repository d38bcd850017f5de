"""Start-up contract: a command imports what it uses, not every optional library of the package.

Checked in a fresh interpreter (``sys.modules`` after the import or the run), not by timing.
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

# libraries no command needs before it runs, and detente modules of other commands
HEAVY = ["spacy", "pandas", "pyarrow", "duckdb", "datasketch", "scipy", "numpy", "plotly", "ray", "sklearn",
         "matplotlib", "networkx", "dateparser", "trafilatura", "feedparser", "py3langid", "psutil",
         "detente.engines.local", "detente.store", "detente.api", "detente.web", "detente.exports",
         "detente.plots", "detente.evaluate"]
# what `detente analyze` of local files never needs: the web, plotting, Ray, exports, evaluation
NOT_FOR_ANALYZE = ["plotly", "ray", "sklearn", "matplotlib", "networkx", "trafilatura", "feedparser",
                   "detente.web", "detente.exports", "detente.plots", "detente.api", "detente.evaluate",
                   "detente.engines.ray_engine", "detente.analysis.framing", "detente.analysis.relations",
                   "detente.analysis.triads", "detente.analysis.network"]


def _loaded(code: str, names: list[str], cwd=None) -> list[str]:
    probe = textwrap.dedent(code) + f"\nimport json, sys\nprint(json.dumps([n for n in {names!r} if n in sys.modules]))\n"
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True, cwd=cwd)
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_importing_the_cli_imports_no_heavy_library():
    assert _loaded("import detente.cli", HEAVY) == []


def test_analyze_imports_nothing_of_the_other_commands(tmp_path):
    art = tmp_path / "in" / "a.md"
    art.parent.mkdir()
    art.write_text("---\ntitle: t\npublished: 2019-04-25\n---\nRussia and North Korea signed a treaty in "
                   "Vladivostok on Thursday, officials said.\n", "utf-8")
    code = f"""
    import sys
    from detente.cli import main
    sys.argv = ["detente", "analyze", {str(art.parent)!r}, "--store", {str(tmp_path / 's')!r}, "--workers", "1"]
    try:
        main()
    except SystemExit as e:
        assert not e.code, e.code
    """
    assert _loaded(code, NOT_FOR_ANALYZE) == []
    assert (tmp_path / "s" / "events").is_dir()  # it did run
