"""CAMEO code tables: codebook, Goldstein scale and CAMEO->PLOVER mapping.

The three public tables ship verbatim in ``coding/data/cameo/``; this module parses
them, repairs two known glitches of the public codebook file, checks the schema
(every code zero-padded, 2-4 digits, in roots 01-20, with a Goldstein value) and
answers :func:`cameo_info`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import yaml

from ..errors import DetenteError
from ..resources import package_text

_CODE_RE = re.compile(r"^\d{2,4}$")
# The public codebook merges one line: "1056<TAB>Demand de-escalation ...106:[-5.0] Demand withdrawal".
_MERGED_RE = re.compile(r"(\d{3,4}):\[(-?\d+(?:\.\d+)?)\]\s*(.*)$")
_NAME_FIXES = {"044": "Meet at a 'third' location"}  # mis-encoded quotes in the public file


@dataclass(frozen=True, slots=True)
class CameoInfo:
    """Everything the coder needs to know about one CAMEO code."""

    code: str
    name: str
    root: str
    quad_class: int
    goldstein: float
    plover: str | None
    plover_mode: str | None
    plover_context: str | None


def quad_class(root: str) -> int:
    """QuadClass of a CAMEO root: 01-05 -> 1, 06-08 -> 2, 09-13 -> 3, 14-20 -> 4."""
    r = int(root)
    if not 1 <= r <= 20:
        raise ValueError(f"not a CAMEO root: {root!r}")
    return 1 if r <= 5 else 2 if r <= 8 else 3 if r <= 13 else 4


def _read(name: str) -> str:
    return package_text("detente.coding", f"data/cameo/{name}")


def parse_codebook(text: str) -> dict[str, str]:
    """CAMEO code -> description, from the tab-separated public codebook."""
    out: dict[str, str] = {}
    for line in text.splitlines()[1:]:
        if "\t" not in line:
            continue
        code, name = (x.strip() for x in line.split("\t", 1))
        if len(code) < 2:  # the "1 Verbal Cooperation" quad headings
            continue
        m = _MERGED_RE.search(name)
        if m:
            out[m.group(1)] = m.group(3).strip()
            name = name[: m.start()].strip()
        out[code] = _NAME_FIXES.get(code, name)
    return out


def parse_goldstein(text: str) -> dict[str, float]:
    """CAMEO code -> Goldstein score."""
    out: dict[str, float] = {}
    for line in text.splitlines()[1:]:
        parts = line.split()
        if len(parts) == 2:
            out[parts[0]] = float(parts[1])
    return out


def parse_plover(text: str) -> dict[str, tuple[str, str | None, str | None]]:
    """CAMEO code -> (PLOVER type, mode, context) from the 2021 conversion table.

    Lines read ``CODE: TYPE, mode, context # comment``; the first entry for a code wins.
    """
    out: dict[str, tuple[str, str | None, str | None]] = {}
    for line in text.splitlines():
        line = line.split("#", 1)[0].strip()
        if not line or ":" not in line:
            continue
        code, rest = (x.strip() for x in line.split(":", 1))
        if not _CODE_RE.match(code) or code in out:
            continue
        parts = [p.strip() for p in rest.split(",")]
        parts += [""] * (3 - len(parts))
        ptype = parts[0].upper()
        mode = parts[1] or None
        ctx = ", ".join(p for p in parts[2:] if p) or None
        out[code] = (ptype, mode, ctx)
    return out


@dataclass(frozen=True, slots=True)
class CameoTables:
    names: dict[str, str]
    goldstein: dict[str, float]
    plover: dict[str, tuple[str, str | None, str | None]]
    fill: dict[str, str | None]
    legacy: dict[str, str]

    def info(self, code: str) -> CameoInfo:
        if code not in self.names:
            raise KeyError(f"unknown CAMEO code {code!r}")
        root = code[:2]
        gs = self.goldstein.get(code, self.goldstein.get(code[:3], self.goldstein.get(root)))
        ptype = mode = ctx = None
        for k in range(len(code), 1, -1):  # nearest listed ancestor
            pre = code[:k]
            if pre in self.plover:
                ptype, mode, ctx = self.plover[pre]
                break
            if pre in self.fill:
                ptype = self.fill[pre]
                break
        return CameoInfo(code, self.names[code], root, quad_class(root), float(gs), ptype, mode, ctx)

    def legacy_plover(self, code: str) -> str | None:
        """The pre-2021 PLOVER type name (as the GSR gold uses) for a CAMEO code."""
        for k in range(len(code), 1, -1):
            if code[:k] in self.legacy:
                return self.legacy[code[:k]]
        return self.info(code).plover


def check_tables(t: CameoTables) -> None:
    """Schema check: codes zero-padded 2-4 digits in roots 01-20, each with a Goldstein value."""
    roots = {c for c in t.names if len(c) == 2}
    if roots != {f"{i:02d}" for i in range(1, 21)}:
        raise DetenteError("E304", "CAMEO codebook does not list all 20 roots")
    for code in t.names:
        if not _CODE_RE.match(code) or not 1 <= int(code[:2]) <= 20:
            raise DetenteError("E304", f"bad CAMEO code in codebook: {code!r}")
        if code[:2] not in t.goldstein and code not in t.goldstein:
            raise DetenteError("E304", f"no Goldstein score for CAMEO code {code}")
        gs = t.goldstein.get(code)
        if gs is not None and not -10.0 <= gs <= 10.0:
            raise DetenteError("E304", f"Goldstein score out of range for {code}: {gs}")


@lru_cache(maxsize=1)
def load_tables() -> CameoTables:
    """Parse and check the shipped tables (once per process)."""
    sup = yaml.safe_load(_read("plover_supplement.yaml"))
    t = CameoTables(
        names=parse_codebook(_read("CAMEO.eventcodes.txt")),
        goldstein=parse_goldstein(_read("CAMEO.goldsteinscale.txt")),
        plover=parse_plover(_read("CAMEO2PLOVER-2021.txt")),
        fill={str(k): v for k, v in (sup.get("fill") or {}).items()},
        legacy={str(k): v for k, v in (sup.get("legacy") or {}).items()},
    )
    check_tables(t)
    return t


def cameo_info(code: str) -> CameoInfo:
    """Name, root, QuadClass, Goldstein and PLOVER type/mode/context of a CAMEO code."""
    return load_tables().info(code)


@lru_cache(maxsize=1)
def plover_types() -> frozenset[str]:
    """The PLOVER event types the shipped CAMEO-to-PLOVER table uses."""
    return frozenset(t for t, _, _ in load_tables().plover.values() if t)


def is_code(code: str) -> bool:
    """True if ``code`` is a CAMEO code of the shipped codebook."""
    return code in load_tables().names
