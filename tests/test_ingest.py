"""Ingest: readers, masking, metadata, ids, bad input (no spaCy needed)."""

import json

from detente.config import Config
from detente.ingest import read_inputs
from detente.ingest.clean import mask
from detente.types import Article, SkippedInput

BODY = ("Russian Foreign Minister Sergei Lavrov met his Chinese counterpart Wang Yi in Moscow on Tuesday. "
        "The two ministers discussed the situation on the Korean Peninsula and agreed to coordinate their positions. ")


def _read(tmp_path, *names):
    items = list(read_inputs([tmp_path / n for n in names] if names else [tmp_path]))
    return [i for i in items if isinstance(i, Article)], [i for i in items if isinstance(i, SkippedInput)]


def test_txt_title_is_first_line_and_offsets_are_original(tmp_path):
    (tmp_path / "a1.txt").write_text("Lavrov meets Wang\n\n" + BODY * 2, "utf-8")
    (arts, skips) = _read(tmp_path)
    assert not skips
    a = arts[0]
    assert a.article_id == "a1" and a.title == "Lavrov meets Wang" and a.format == "txt"
    assert a.text == (tmp_path / "a1.txt").read_text("utf-8")
    assert a.language == "en"


def test_markdown_front_matter_is_metadata_and_masked(tmp_path):
    fm = "---\ntitle: Summit\noutlet: Meridian Wire\npublished: 2019-04-25\nurl: https://x.example/a\ngenre: news\n---\n"
    (tmp_path / "s.md").write_text(fm + BODY * 2, "utf-8")
    a = _read(tmp_path)[0][0]
    assert (a.title, a.outlet, a.published, a.url) == ("Summit", "Meridian Wire", "2019-04-25", "https://x.example/a")
    assert json.loads(a.extra) == {"genre": "news"}
    assert a.masked[0] == (0, len(fm))
    clean = mask(a.text, a.masked)
    assert len(clean) == len(a.text) and "Meridian" not in clean and clean.strip().startswith("Russian")


def test_boilerplate_masked_and_origin_kept(tmp_path):
    text = ("Support Daily Planet - Go Ad-Free!\n\nHeadline here\n\n" + BODY * 2 +
            "\nThis article originally appeared at Global Times\n\nSign up for our daily newsletter\n"
            "Our commenting rules: be civil.\nAdd new comment\n")
    (tmp_path / "b.txt").write_text(text, "utf-8")
    a = _read(tmp_path)[0][0]
    clean = mask(a.text, a.masked)
    for gone in ("Ad-Free", "originally appeared", "newsletter", "commenting rules", "Add new comment"):
        assert gone not in clean
    assert a.originally_published_by == "Global Times"
    assert a.outlet == "Daily Planet"
    assert a.title == "Headline here"
    # offsets still point into the original text
    i = clean.index("Russian Foreign")
    assert a.text[i:i + 15] == "Russian Foreign"


def test_records_jsonl_csv_json_and_broken_line(tmp_path):
    good = {"id": "r1", "title": "T", "text": BODY * 2, "outlet": "Wire", "published": "March 3, 2016", "lang_hint": "x"}
    (tmp_path / "r.jsonl").write_text(json.dumps(good) + "\n{broken\n" + json.dumps({**good, "id": "r2"}) + "\n", "utf-8")
    (tmp_path / "c.csv").write_text("id,title,text,date,section\nc1,T,\"" + BODY * 2 + "\",2016-03-03,world\n", "utf-8")
    (tmp_path / "j.json").write_text(json.dumps([{**good, "id": "j1"}]), "utf-8")
    arts, skips = _read(tmp_path)
    ids = sorted(a.article_id for a in arts)
    assert ids == ["c1", "j1", "r1", "r2"]
    by = {a.article_id: a for a in arts}
    assert by["r1"].published == "2016-03-03" and by["r1"].outlet == "Wire"
    assert json.loads(by["r1"].extra) == {"lang_hint": "x"}
    assert json.loads(by["c1"].extra) == {"section": "world"} and by["c1"].published == "2016-03-03"
    assert [(s.code, s.path.endswith("r.jsonl:2")) for s in skips] == [("E105", True)]


def test_bad_inputs_are_reported_with_numbered_reasons(tmp_path):
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "bin.txt").write_bytes(bytes(range(256)) * 10)
    (tmp_path / "de.txt").write_text(
        "Der russische Präsident empfing den nordkoreanischen Machthaber in Wladiwostok. Die beiden Politiker "
        "sprachen über wirtschaftliche Zusammenarbeit und die Lage auf der koreanischen Halbinsel.", "utf-8")
    (tmp_path / "x.pdf").write_bytes(b"%PDF-1.4")
    (tmp_path / "ok.txt").write_text(BODY * 2, "utf-8")
    (tmp_path / "latin1.txt").write_bytes(("Café diplomacy: " + BODY * 2).encode("latin-1"))
    arts, skips = _read(tmp_path)
    codes = {s.path.split("/")[-1]: s.code for s in skips}
    assert codes == {"empty.txt": "E101", "bin.txt": "E102", "de.txt": "E106", "x.pdf": "E108"}
    assert sorted(a.article_id for a in arts) == ["latin1", "ok"]
    assert next(a for a in arts if a.article_id == "latin1").text.startswith("Café")


def test_too_large_and_missing(tmp_path):
    (tmp_path / "big.txt").write_text(BODY * 50, "utf-8")
    items = list(read_inputs([tmp_path, tmp_path / "nope"], Config(max_file_bytes=1000)))
    assert sorted(i.code for i in items) == ["E104", "E302"]


def test_html_main_text_and_metadata(tmp_path):
    html = ("<html><head><title>Summit in Vladivostok</title><meta name='author' content='A. Writer'>"
            "<meta property='article:published_time' content='2019-04-25'></head><body><nav>Home | World</nav>"
            "<article><h1>Summit in Vladivostok</h1><p>" + BODY + "</p><p>" + BODY + "</p></article>"
            "<script>var x = 'Russia attacks';</script><footer>Subscribe now</footer></body></html>")
    (tmp_path / "h.html").write_text(html, "utf-8")
    a = _read(tmp_path)[0][0]
    assert "Lavrov" in a.text and "var x" not in a.text and "Home | World" not in a.text
    assert a.title == "Summit in Vladivostok" and a.published == "2019-04-25"


def test_sidecar_metadata_and_readme_skipped(tmp_path):
    (tmp_path / "n1.txt").write_text(BODY * 2, "utf-8")
    (tmp_path / "README.md").write_text("# about this folder\n" + BODY, "utf-8")
    (tmp_path / "_meta.csv").write_text("file,outlet,published\nn1.txt,Harbor Daily,2015-01-31\n", "utf-8")
    arts, skips = _read(tmp_path)
    assert [a.article_id for a in arts] == ["n1"] and not skips
    assert arts[0].outlet == "Harbor Daily" and arts[0].published == "2015-01-31"


def test_content_hash_changes_with_text_and_is_stable(tmp_path):
    f = tmp_path / "a.txt"
    f.write_text(BODY * 2, "utf-8")
    h1 = _read(tmp_path)[0][0].content_hash
    assert _read(tmp_path)[0][0].content_hash == h1
    f.write_text(BODY * 3, "utf-8")
    assert _read(tmp_path)[0][0].content_hash != h1
