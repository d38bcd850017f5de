"""Import PETRARCH/TABARI ``.actors`` and ``.agents`` dictionaries (``detente actors
import``, :func:`detente.actors.import_petrarch`).

The reading itself (what each entry means: a state, a state + role, an organisation,
a person with tenures, a role phrase) is :mod:`.kb.petrarch_read`, in the KB layer so
that a user file in PETRARCH format can be loaded straight into the KB; this module
supplies the built-in KB it is read against and writes the rows out.
"""

from __future__ import annotations

from pathlib import Path

from .kb import load_kb
from .kb.petrarch_read import Dictionary, is_agents
from .kb.petrarch_read import read_dictionary as read_with_kb
from .kb.userfile import COLUMNS, write_user_rows

__all__ = ["Dictionary", "import_petrarch", "is_agents", "read_dictionary", "write_user_actors"]


def read_dictionary(path: str | Path, kb=None) -> Dictionary:
    """Read an actors or agents dictionary (detected from its codes); ``kb`` defaults
    to the built-in KB."""
    return read_with_kb(path, kb if kb is not None else load_kb())


def import_petrarch(path: str, kb=None) -> list[dict]:
    """Rows in the user-actors format (see :mod:`.kb.userfile`), one per code and range."""
    return [{k: r.get(k, "") or "" for k in COLUMNS} for r in read_dictionary(path, kb).rows]


def write_user_actors(rows: list[dict], path: str) -> None:
    """Write imported rows as a user actors file (CSV, or YAML by suffix)."""
    write_user_rows([{k: v for k, v in r.items() if k != "_line"} for r in rows], path)
