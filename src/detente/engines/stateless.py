"""``detente code``: JSONL in, JSONL out, one line per input line, no store."""

from __future__ import annotations

import json
from pathlib import Path

from ..config import Config
from ..errors import DetenteError
from ..pipeline import resources_for


def code_jsonl(input: Path, output: Path, config: Config) -> tuple[int, int]:
    """Code every line of ``input`` into ``output``; returns (lines, malformed lines).

    A malformed line still yields one output line (same order), with an
    ``error`` field instead of silently shifting every later line.
    """
    from ..coding import code_text

    if not Path(input).is_file():
        raise DetenteError("E302", f"{input}: no such file")
    res = resources_for(config)
    n = bad = 0
    tmp = Path(str(output) + ".part")
    with open(input, encoding="utf-8", errors="replace") as fin, open(tmp, "w", encoding="utf-8") as fout:
        for lineno, line in enumerate(fin, 1):
            if not line.strip():
                continue
            n += 1
            try:
                rec = json.loads(line)
                if not isinstance(rec, dict) or not isinstance(rec.get("text"), str):
                    raise ValueError("each line needs an object with a string 'text'")
                out = code_text(rec["text"], rec.get("date"), nlp=res.nlp, kb=res.kb, lexicon=res.lexicon)
                out = {"id": rec.get("id", lineno), **out}
            except ValueError as e:
                bad += 1
                out = {"id": None, "actors": [], "events": [], "error": f"E105: line {lineno}: {e}"}
            fout.write(json.dumps(out, ensure_ascii=False) + "\n")
    tmp.replace(output)
    return n, bad
