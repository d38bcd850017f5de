"""Metamorphic test: a user's dictionary codes as well as the built-in KB.

Each sentence of ``fixtures/metamorphic/sentences.yaml`` is coded twice: once about
real states the packaged KB knows (names, adjectives, capitals, office holders with
their tenures) and once about invented states that exist only in a user dictionary
(``invented.yaml`` in detente's format, ``invented.actors.txt`` in PETRARCH's). The
events (source, target, CAMEO code, modality) must be the same up to the renaming of
the states. Run ``python tests/test_metamorphic_dicts.py`` for the pass rates.
"""

from __future__ import annotations

import re
import sys
from functools import lru_cache
from pathlib import Path

import pytest
import yaml

FIX = Path(__file__).parent / "fixtures" / "metamorphic"
# the detente format, the PETRARCH format read directly, and the PETRARCH file converted
# by ``detente actors import`` (the CSV is written next to the other build outputs)
USER_FILES = ("invented.yaml", "invented.actors.txt", "imported:invented.actors.txt")


def _worlds() -> dict:
    return yaml.safe_load((FIX / "worlds.yaml").read_text(encoding="utf-8"))


def _sentences() -> list[dict]:
    return yaml.safe_load((FIX / "sentences.yaml").read_text(encoding="utf-8"))


@lru_cache(maxsize=8)
def _resources(user_file: str | None):
    from detente.actors import load_kb
    from detente.coding import load_lexicon
    from detente.nlp import load_pipeline

    path = str(FIX / user_file) if user_file else None
    if user_file and user_file.startswith("imported:"):
        import atexit
        import shutil
        import tempfile

        from detente.actors import import_petrarch, write_user_actors

        tmp = tempfile.mkdtemp()
        atexit.register(shutil.rmtree, tmp, True)
        path = str(Path(tmp) / "imported.csv")
        write_user_actors(import_petrarch(str(FIX / user_file.split(":", 1)[1])), path)
    return load_pipeline(), load_kb(path), load_lexicon()


def _rename(code: str | None, codes: dict[str, str]) -> str | None:
    if code and code[:3] in codes:
        return codes[code[:3]] + code[3:]
    return code


def events(text: str, user_file: str | None, codes: dict[str, str] | None = None) -> list[tuple]:
    """Sorted (source, target, cameo, modality) of a text, real codes renamed by ``codes``."""
    from detente.coding import code_text

    nlp, kb, lex = _resources(user_file)
    out = code_text(text, _worlds()["date"], nlp=nlp, kb=kb, lexicon=lex)
    codes = codes or {}
    return sorted((_rename(e["source_actor"], codes) or "", _rename(e["target_actor"], codes) or "",
                   e["cameo"], e["modality"]) for e in out["events"])


def actors(text: str, user_file: str | None, codes: dict[str, str] | None = None) -> list[tuple]:
    """(code, reason) of the actor mentions, in text order, renamed; the reason without
    the ";user:FILE" note a user entry adds."""
    from detente.coding import code_text

    nlp, kb, lex = _resources(user_file)
    out = code_text(text, _worlds()["date"], nlp=nlp, kb=kb, lexicon=lex)
    return [(_rename(a["code"], codes or {}), _rule(a["reason"])) for a in out["actors"]]


def _rule(reason: str) -> str:
    """The rule of a reason, without what names the entity or the date: a person's post
    ("head_of_state@2016-06-15", "tenure@...", a PETRARCH entry has no post names) and
    how a known person was found (full name, listed alias, unique surname, title) are one rule, "person"."""
    from detente.actors.kb.tenure import ROLE_RANK

    r = re.sub(r"→.*|@.*", "", reason.split(";user:")[0])
    return "person" if r in ROLE_RANK or r in ("tenure", "surname-only", "title+surname", "kb") else r


def compare(user_file: str) -> list[dict]:
    w = _worlds()
    rows = []
    for s in _sentences():
        real_text = s["text"].format(**w["real"])
        inv_text = s["text"].format(**w["invented"])
        real = events(real_text, None, w["codes"])
        inv = events(inv_text, user_file)
        real_a, inv_a = actors(real_text, None, w["codes"]), actors(inv_text, user_file)
        rows.append({"covers": s["covers"], "real_text": real_text, "text": inv_text,
                     "real": real, "invented": inv, "ok": real == inv,
                     "real_actors": real_a, "invented_actors": inv_a, "actors_ok": real_a == inv_a})
    return rows


def test_invented_codes_are_not_kb_states():
    _, kb, _ = _resources(None)
    assert not set(_worlds()["codes"].values()) & set(kb.countries)


@pytest.mark.parametrize("user_file", USER_FILES)
def test_user_dictionary_codes_like_the_kb(user_file):
    rows = compare(user_file)
    informative = [r for r in rows if r["real"]]
    assert len(informative) >= 40, "too few sentences code an event with real states"
    bad = [r for r in informative if not r["ok"]]
    assert not bad, "\n".join(f"{r['covers']}: {r['text']}\n  real (renamed) {r['real']}\n"
                              f"  invented        {r['invented']}" for r in bad)
    # the actor mentions too (codes and the rule that resolved them), in every sentence
    bad = [r for r in rows if not r["actors_ok"]]
    assert not bad, "\n".join(f"{r['covers']}: {r['text']}\n  real (renamed) {r['real_actors']}\n"
                              f"  invented        {r['invented_actors']}" for r in bad)


def test_user_entries_say_so_in_the_reason():
    from detente.coding import code_text

    nlp, kb, lex = _resources("invented.yaml")
    out = code_text("Valdoria's government accused Ostrania.", "2016-06-15", nlp=nlp, kb=kb,
                    lexicon=lex)
    first = out["actors"][0]
    assert first["code"] == "VLDGOV" and first["reason"].endswith(";user:invented.yaml")


if __name__ == "__main__":  # pass rates for the README
    for uf in USER_FILES:
        rows = compare(uf)
        inf = [r for r in rows if r["real"]]
        ok = sum(r["ok"] for r in inf)
        aok = sum(r["actors_ok"] for r in rows)
        print(f"{uf}: {ok}/{len(inf)} sentences code the same events "
              f"({len(rows) - len(inf)} code no event with real states); "
              f"{aok}/{len(rows)} resolve the same actor mentions by the same rules")
        if "-v" in sys.argv:
            for r in rows:
                if not (r["ok"] and r["actors_ok"]):
                    print(f"  {r['covers']}: {r['text']}\n    real {r['real']} {r['real_actors']}\n"
                          f"    inv  {r['invented']} {r['invented_actors']}")
