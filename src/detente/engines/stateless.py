"""``detente code``: JSONL in, JSONL out, one line per input line, no store.

A service boundary, so every line is answered: a line that cannot be coded gets an ``error``
field (numbered, with its ``id`` when it could be read) and the lines after it are coded as usual.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

from ..config import Config
from ..errors import DetenteError
from ..ingest.dates import normalize_date
from ..pipeline import parse_long, resources_for

_ID = re.compile(r'"id"\s*:\s*("(?:[^"\\]|\\.)*"|-?\d+)')  # the id of a line json cannot read


def check_output(output: Path) -> None:
    """E404 before any work: the output must be a file path in an existing, writable folder."""
    output = Path(output)
    parent = output.parent if str(output.parent) else Path(".")
    if output.is_dir():
        raise DetenteError("E404", f"{output} is a folder", "give a file name for --output")
    if not parent.is_dir():
        raise DetenteError("E404", f"{parent}: no such folder", "create it first, or choose another --output")
    if not os.access(parent, os.W_OK):
        raise DetenteError("E404", f"{parent}: folder not writable", "choose another --output")


def code_jsonl(input: Path, output: Path, config: Config) -> tuple[int, int]:
    """Code every line of ``input`` into ``output``; returns (lines, lines answered with an error).

    The output appears whole or not at all (written to ``OUTPUT.part``, renamed at the end; the
    ``.part`` file is removed on any failure).
    """
    if not Path(input).is_file():
        raise DetenteError("E302", f"{input}: no such file")
    check_output(output)
    res = resources_for(config)
    n = bad = 0
    tmp = Path(str(output) + ".part")
    try:
        # utf-8-sig: a byte-order mark before line 1 is not part of the JSON
        with open(input, encoding="utf-8-sig", errors="replace") as fin, open(tmp, "w", encoding="utf-8") as fout:
            for lineno, line in enumerate(fin, 1):
                if not line.strip():
                    continue
                n += 1
                out = code_line(line, lineno, res, config)
                bad += "error" in out
                fout.write(json.dumps(out, ensure_ascii=False) + "\n")
        tmp.replace(output)
    except OSError as e:
        raise DetenteError("E404", f"{output}: cannot write ({e.strerror or e})",
                           "check free space and permissions, or choose another --output") from e
    finally:
        tmp.unlink(missing_ok=True)
    return n, bad


def code_line(line: str, lineno: int, res, config: Config) -> dict:
    """The answer for one input line: ``{id, actors, events[, warnings]}`` or ``{id, ..., error}``."""
    from ..coding import code_text

    rid = None
    try:
        rec = json.loads(line)
        if isinstance(rec, dict):
            rid = rec.get("id")
        if not isinstance(rec, dict) or not isinstance(rec.get("text"), str):
            raise ValueError("each line needs an object with a string 'text'")
    except RecursionError:
        return _error(_id_of(line), "E105", f"line {lineno}: nested too deeply")
    except ValueError as e:
        return _error(rid if rid is not None else _id_of(line), "E105", f"line {lineno}: {str(e)[:200]}")
    rid = rid if rid is not None else lineno
    text = rec["text"]
    if len(text) > config.max_text_chars:
        return _error(rid, "E112", f"line {lineno}: {len(text):,} characters > limit {config.max_text_chars:,}")
    warnings = []
    date = None
    if rec.get("date") not in (None, ""):
        date = normalize_date(rec["date"])
        if date is None:  # the record is still coded, without an article date
            warnings.append(f"W101: date {str(rec['date'])[:50]!r} not understood; coded without a date")
    try:
        out = {"id": rid, **code_text(text, date, nlp=_Chunked(res.nlp), kb=res.kb, lexicon=res.lexicon)}
    except Exception as e:  # noqa: BLE001 - one line must not end the stream
        code = "E112" if "[E088]" in str(e) else "E199"
        return _error(rid, code, f"line {lineno}: {type(e).__name__}: {str(e)[:200]}")
    if warnings:
        out["warnings"] = warnings
    return out


class _Chunked:
    """The pipeline, parsing long texts in pieces as ``analyze`` does (bounded parse memory)."""

    def __init__(self, nlp):
        self.nlp = nlp

    def __call__(self, text: str):
        return parse_long(self.nlp, text)


def _id_of(line: str):
    m = _ID.search(line[:10_000])
    if not m:
        return None
    try:
        return json.loads(m.group(1))
    except ValueError:
        return None


def _error(rid, code: str, message: str) -> dict:
    return {"id": rid, "actors": [], "events": [], "error": f"{code}: {message}"}
