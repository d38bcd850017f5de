"""The CLI end to end: code (stateless contract), analyze + events, info, doctor, errors."""

import json
import subprocess
import sys

EVENT_FIELDS = ["source_actor", "source_country", "target_actor", "target_country", "cameo", "cameo_root",
                "quad_class", "goldstein", "plover", "modality", "hedged", "attributed_to", "historical",
                "event_date", "date_granularity", "confidence", "sentence", "start", "end", "trigger"]
ACTOR_FIELDS = ["text", "start", "end", "code", "country", "sector", "kb_id", "reason"]


def _cli(*args, **kw):
    return subprocess.run([sys.executable, "-m", "detente", *map(str, args)], capture_output=True, text=True, **kw)


def test_code_contract(tmp_path):
    lines = [
        {"id": "a", "text": "Chinese President Xi Jinping met North Korean leader Kim Jong Un in Beijing on Tuesday.",
         "date": "2018-03-28"},
        "{broken json",
        {"id": "b", "text": "The weather was pleasant."},
    ]
    inp = tmp_path / "in.jsonl"
    inp.write_text("\n".join(x if isinstance(x, str) else json.dumps(x) for x in lines) + "\n", "utf-8")
    out = tmp_path / "out.jsonl"
    r = _cli("code", "--input", inp, "--output", out)
    assert r.returncode == 0, r.stderr
    rows = [json.loads(line) for line in out.read_text("utf-8").splitlines()]
    assert [row.get("id") for row in rows] == ["a", None, "b"]
    assert "error" in rows[1] and rows[2]["events"] == []
    a = rows[0]
    assert a["actors"] and all(list(x) == ACTOR_FIELDS for x in a["actors"])
    assert a["events"], "a meeting between two leaders must be coded"
    for ev in a["events"]:
        assert list(ev)[:len(EVENT_FIELDS)] == EVENT_FIELDS or set(EVENT_FIELDS) <= set(ev)
        assert isinstance(ev["cameo"], str) and ev["cameo"].startswith(ev["cameo_root"])
        assert lines[0]["text"][ev["start"]:ev["end"]] == ev["sentence"]
    confs = [ev["confidence"] for ev in a["events"]]
    assert confs == sorted(confs, reverse=True)
    assert {(ev["source_country"], ev["target_country"]) for ev in a["events"]} & {("CHN", "PRK"), ("PRK", "CHN")}


def test_missing_store_and_bad_option_give_numbered_errors(tmp_path):
    r = _cli("export", "mentions", "--format", "xml", "--store", tmp_path / "none")
    assert r.returncode == 2 and "E20" in r.stderr and "Traceback" not in r.stderr
    r = _cli("analyze", tmp_path / "does-not-exist", "--store", tmp_path / "s", "--quiet")
    assert r.returncode == 2 and "E302" in r.stderr and "does-not-exist" in r.stderr, (r.stdout, r.stderr)
    assert "Traceback" not in r.stderr and not (tmp_path / "s").exists()  # a typo creates no store


def test_doctor_and_info(tmp_path):
    r = _cli("doctor")
    assert r.returncode == 0, r.stdout
    assert "spaCy model" in r.stdout
    r = _cli("info", "--store", tmp_path / "none")
    assert r.returncode == 0 and "E204" in r.stdout
