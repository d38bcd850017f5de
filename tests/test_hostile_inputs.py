"""Inputs that once stopped or swamped a run (issue 12): each is now a numbered skip naming the
file, and everything else of the run (the rest of its batch included) is stored."""

import json
import os
import subprocess
import sys

import pytest

import detente
from detente.config import Config
from detente.ingest import iter_files, read_inputs
from detente.types import Article, SkippedInput

ENGLISH = ("Russian Foreign Minister Sergei Lavrov met his Chinese counterpart in Beijing on Tuesday. "
           "The two ministers discussed sanctions and signed an agreement on energy cooperation. ")


def _read(path, **cfg):
    items = list(read_inputs([path], Config(**cfg)))
    arts = {a.article_id: a for a in items if isinstance(a, Article)}
    skips = [s for s in items if isinstance(s, SkippedInput)]
    return arts, skips


def test_deep_nesting_in_json_jsonl_and_front_matter_is_a_skip(tmp_path):
    deep = "[" * 100_000 + "]" * 100_000
    (tmp_path / "deep.json").write_text(deep, "utf-8")
    (tmp_path / "lines.jsonl").write_text(json.dumps({"id": "ok", "text": ENGLISH}) + "\n"
                                          + '{"id": "deep", "text": "x", "extra": ' + deep + "}\n"
                                          + json.dumps({"id": "ok2", "text": ENGLISH}) + "\n", "utf-8")
    (tmp_path / "front.md").write_text("---\ntags: " + "[" * 20_000 + "]" * 20_000 + "\n---\n" + ENGLISH, "utf-8")
    arts, skips = _read(tmp_path)
    assert set(arts) == {"ok", "ok2"}
    got = {s.path.split("/")[-1]: (s.code, s.reason) for s in skips}
    assert got["deep.json"][0] == "E105" and "deep" in got["deep.json"][1]
    assert got["lines.jsonl:2"][0] == "E105" and "deep" in got["lines.jsonl:2"][1]
    assert got["front.md"][0] == "E105" and "deep" in got["front.md"][1]


def test_yaml_alias_bomb_in_front_matter_is_refused_quickly(tmp_path):
    lines = ["---", 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for i, name in enumerate("bcdefghi"):
        prev = "abcdefghi"[i]
        lines.append(f"{name}: &{name} [" + ",".join([f"*{prev}"] * 9) + "]")
    lines.append("title: *i")
    lines.append("---")
    (tmp_path / "bomb.md").write_text("\n".join(lines) + "\n" + ENGLISH, "utf-8")
    assert len((tmp_path / "bomb.md").read_bytes()) < 2_000  # 9**9 strings once expanded
    arts, skips = _read(tmp_path)
    assert not arts and [(s.code, "alias" in s.reason) for s in skips] == [("E105", True)]


def test_csv_giant_field_and_unclosed_quote(tmp_path):
    big = ENGLISH * 1_000  # ~170,000 characters: over the csv module's 131,072 default
    rows = ["id,text", f'big,"{big}"', f'after,"{ENGLISH}"', 'broken,"never closed', f'good,"{ENGLISH}"',
            f'last,"{ENGLISH}"']
    (tmp_path / "rows.csv").write_text("\n".join(rows) + "\n", "utf-8")
    arts, skips = _read(tmp_path)
    assert set(arts) == {"big", "after", "good", "last"}, skips  # the row after the broken one is kept
    assert len(skips) == 1 and skips[0].code == "E105" and skips[0].path.endswith("rows.csv#3")
    assert "quote" in skips[0].reason


def test_unclosed_quote_on_the_last_row_is_reported(tmp_path):
    (tmp_path / "rows.csv").write_text(f'id,text\nok,"{ENGLISH}"\nbad,"no end\n', "utf-8")
    arts, skips = _read(tmp_path)
    assert set(arts) == {"ok"} and [s.code for s in skips] == ["E105"]


@pytest.mark.parametrize("sidecar, body", [
    ("_meta.yaml", "- file: a.txt\n  outlet: [unclosed\n"),
    ("_meta.yaml", "a: &a [1,1,1]\nb: [*a, *a]\n"),
    ("_meta.csv", 'file,outlet\na.txt,"Reuters\nb.txt,x,y\n'),
    ("_meta.jsonl", '{"file": "a.txt", "outlet": "Reuters"}\n{oops\n'),
])
def test_malformed_sidecar_warns_and_files_are_stored_without_it(tmp_path, sidecar, body):
    (tmp_path / "a.txt").write_text(ENGLISH, "utf-8")
    (tmp_path / "b.txt").write_text(ENGLISH + " Again.", "utf-8")
    (tmp_path / sidecar).write_text(body, "utf-8")
    arts, skips = _read(tmp_path)
    assert set(arts) == {"a", "b"}
    assert [(s.code, s.path.endswith(sidecar)) for s in skips] == [("E114", True)]


def test_text_over_the_limit_is_skipped_with_e112(tmp_path):
    (tmp_path / "long.txt").write_text(ENGLISH * 6_000, "utf-8")  # ~1,020,000 characters
    (tmp_path / "word.txt").write_text("a" * 1_200_000, "utf-8")
    (tmp_path / "short.txt").write_text(ENGLISH, "utf-8")
    arts, skips = _read(tmp_path)
    assert set(arts) == {"short"}
    assert sorted((s.path.split("/")[-1], s.code) for s in skips) == [("long.txt", "E112"), ("word.txt", "E112")]
    arts, skips = _read(tmp_path, max_text_chars=2_000_000)
    assert "long" in arts


def test_long_text_parsed_in_pieces_gives_the_events_of_a_whole_parse(nlp):
    """Chunked parsing (bounded memory) joins back into one Doc: same tokens, sentences, offsets."""
    from conftest import EXAMPLES
    from detente.pipeline import parse_long, split_text

    text = "\n\n".join(p.read_text("utf-8") for p in sorted(EXAMPLES.glob("*.md"))[:8])
    pieces = split_text(text, 5_000)
    assert "".join(pieces) == text and len(pieces) > 3 and all(len(p) <= 5_000 for p in pieces)
    assert all(p.endswith(("\n", ". ", " ")) for p in pieces[:-1])
    assert split_text("a" * 12_000, 5_000) == ["a" * 5_000, "a" * 5_000, "a" * 2_000]  # a hard cut only in a huge word
    whole, chunked = nlp(text), parse_long(nlp, text, size=5_000)
    assert chunked.text == text
    assert [(t.idx, t.text) for t in chunked] == [(t.idx, t.text) for t in whole]
    sents = lambda d: [(s.start_char, s.end_char) for s in d.sents]  # noqa: E731
    assert sents(chunked) == sents(whole)
    assert [(e.start_char, e.label_) for e in chunked.ents] == [(e.start_char, e.label_) for e in whole.ents]


def test_links_fifos_and_loops_are_listed_as_skips(tmp_path):
    d = tmp_path / "in"
    d.mkdir()
    (d / "ok.txt").write_text(ENGLISH, "utf-8")
    outside = tmp_path / "secret.txt"
    outside.write_text(ENGLISH + " Secret.", "utf-8")
    (d / "dangling.txt").symlink_to(tmp_path / "nowhere.txt")
    (d / "loop.txt").symlink_to(d / "loop.txt")
    (d / "out.txt").symlink_to(outside)
    (d / "inside.txt").symlink_to(d / "ok.txt")
    (d / "sub").mkdir()
    (d / "sub" / "up").symlink_to(d)
    os.mkfifo(d / "pipe.txt")
    got = {}
    for f in iter_files([d]):
        if isinstance(f, SkippedInput):
            got[os.path.relpath(f.path, d)] = f.code
        else:
            got[os.path.relpath(f, d)] = "file"
    assert got == {"ok.txt": "file", "inside.txt": "file", "dangling.txt": "E113", "loop.txt": "E113",
                   "out.txt": "E113", "pipe.txt": "E113", "sub/up": "E113"}
    followed = {os.path.relpath(f, d) for f in iter_files([d], follow_symlinks=True) if isinstance(f, os.PathLike)}
    assert "out.txt" in followed and "pipe.txt" not in followed
    assert not any(p.startswith("sub/up/sub") for p in followed)  # the loop is cut


def test_repeated_skips_are_summarised_in_the_run_record(tmp_path):
    (tmp_path / "many.json").write_text(json.dumps([1] * 50_000 + [{"id": "ok", "text": ENGLISH}]), "utf-8")
    run = detente.analyze([tmp_path], store=tmp_path / "s", workers=1)  # the store inside is not read
    assert run.articles_skipped == 50_000 and run.articles_stored == 1
    skipped = json.loads(run.skipped)
    assert len(skipped) <= 10 and any("49,995 more" in s["reason"] for s in skipped)
    assert len(run.skipped) < 5_000


def test_a_parse_error_loses_only_its_article_in_worker_processes(tmp_path):
    """A text the parser refuses inside a batch (spaCy's E088): the batch's other articles are stored,
    and a long text (over the chunk size) is parsed in pieces in the worker and stored with its events."""
    from batchfns import PARSE_FAIL_MARKER, parse_fails_on_marker

    from detente.engines.local import run_analyze

    d = tmp_path / "in"
    d.mkdir()
    for i in range(5):
        (d / f"a{i}.txt").write_text(f"Story {i}. " + ENGLISH, "utf-8")
    (d / "a2-bad.txt").write_text(ENGLISH + PARSE_FAIL_MARKER, "utf-8")
    (d / "a3-long.txt").write_text((ENGLISH + "\n\n") * 700, "utf-8")  # ~120,000 chars: parsed in pieces
    cfg = Config(store=str(tmp_path / "s"), workers=2, batch_size=4)
    run = run_analyze([str(d)], cfg, batch_fn=parse_fails_on_marker)
    skipped = json.loads(run.skipped)
    assert [(s["path"].split("/")[-1], s["code"]) for s in skipped] == [("a2-bad.txt", "E112")]
    db = detente.open(tmp_path / "s")
    assert sorted(db.articles.article_id) == sorted([f"a{i}" for i in range(5)] + ["a3-long"])
    long_events = db.mentions[db.mentions.article_id == "a3-long"]
    assert len(long_events) >= 700 and long_events.end.max() > 100_000


def test_cli_follow_symlinks_option_reads_links_out_of_the_tree(tmp_path):
    d = tmp_path / "in"
    d.mkdir()
    (tmp_path / "elsewhere.txt").write_text(ENGLISH, "utf-8")
    (d / "link.txt").symlink_to(tmp_path / "elsewhere.txt")
    env = {**os.environ, "COLUMNS": "200"}
    base = [sys.executable, "-m", "detente", "analyze", str(d), "--quiet", "--workers", "1"]
    r = subprocess.run(base + ["--store", str(tmp_path / "s1")], capture_output=True, text=True, env=env)
    assert r.returncode == 0 and "E113" in r.stdout and "--follow-symlinks" in r.stdout, r.stdout
    r = subprocess.run(base + ["--store", str(tmp_path / "s2"), "--follow-symlinks"], capture_output=True,
                       text=True, env=env)
    assert r.returncode == 0, r.stderr
    assert list(detente.open(tmp_path / "s2").articles.article_id) == ["link"]
