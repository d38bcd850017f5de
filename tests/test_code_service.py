"""`detente code` is a service boundary: every line answered, one bad line never ends the stream."""

import codecs
import json
import subprocess
import sys

import pytest

XI = "Chinese President Xi Jinping met North Korean leader Kim Jong Un in Beijing on Tuesday."


def _cli(*args):
    return subprocess.run([sys.executable, "-m", "detente", *map(str, args)], capture_output=True, text=True,
                          timeout=600)


@pytest.fixture(scope="module")
def answered(tmp_path_factory):
    d = tmp_path_factory.mktemp("code")
    deep = '{"id": "deep", "text": "x", "meta": ' + "[" * 100_000 + "]" * 100_000 + "}"
    lines = [
        json.dumps({"id": "first", "text": XI, "date": "2018-03-27"}),
        deep,
        '{"id": "broken", "text": "no closing brace"',
        json.dumps({"id": "year", "text": XI, "date": "2015"}),
        json.dumps({"id": "month", "text": XI, "date": "2015-06"}),
        json.dumps({"id": "dmy", "text": XI, "date": "21/01/2015"}),
        json.dumps({"id": "rel", "text": XI, "date": "yesterday"}),
        json.dumps({"id": "junk", "text": XI, "date": "not a date"}),
        json.dumps({"id": "last", "text": XI}),
    ]
    inp = d / "in.jsonl"
    inp.write_bytes(codecs.BOM_UTF8 + ("\n".join(lines) + "\n").encode("utf-8"))
    out = d / "out.jsonl"
    r = _cli("code", "--input", inp, "--output", out)
    assert r.returncode == 0, r.stderr
    rows = [json.loads(x) for x in out.read_text("utf-8").splitlines()]
    assert not (d / "out.jsonl.part").exists()
    return {row["id"]: row for row in rows}, [row["id"] for row in rows]


def test_every_line_answered_in_order_with_its_id(answered):
    rows, order = answered
    assert order == ["first", "deep", "broken", "year", "month", "dmy", "rel", "junk", "last"]


def test_bom_does_not_break_line_one(answered):
    rows, _ = answered
    assert "error" not in rows["first"] and rows["first"]["events"]


def test_deep_nesting_is_an_error_on_that_line_only(answered):
    rows, _ = answered
    assert rows["deep"]["error"].startswith("E105") and "deep" in rows["deep"]["error"]
    assert rows["broken"]["error"].startswith("E105")
    assert rows["last"]["events"] and "error" not in rows["last"]


def test_dates_as_analyze_accepts_them_bad_dates_warn_and_keep_the_coding(answered):
    rows, _ = answered
    for rid in ("year", "month", "dmy"):
        assert "error" not in rows[rid] and "warnings" not in rows[rid] and rows[rid]["events"], rows[rid]
    for rid in ("rel", "junk"):
        assert "error" not in rows[rid] and rows[rid]["events"]
        assert rows[rid]["warnings"][0].startswith("W101")


@pytest.mark.parametrize("where", ["missing-folder/out.jsonl", "."])
def test_bad_output_path_is_e404(tmp_path, where):
    inp = tmp_path / "in.jsonl"
    inp.write_text(json.dumps({"id": "a", "text": XI}) + "\n", "utf-8")
    out = tmp_path / where
    r = _cli("code", "--input", inp, "--output", out)
    assert r.returncode == 2 and "E404" in r.stderr and "Traceback" not in r.stderr, r.stderr
    assert not list(tmp_path.rglob("*.part"))
