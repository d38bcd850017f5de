"""The evaluation harness: readers and scoring rules (no model needed)."""

from types import SimpleNamespace as NS

from detente.evaluate import (Row, format_table, pentaclass, read_bio, score_pentaclass,
                              score_plover, score_srctgt)


def ev(cameo, src=None, sc=None, tgt=None, tc=None, conf=0.5, ss=None, se=None, ts=None, te=None):
    return NS(cameo=cameo, cameo_root=cameo[:2], source_actor=src, source_country=sc,
              target_actor=tgt, target_country=tc, confidence=conf, source_start=ss,
              source_end=se, target_start=ts, target_end=te)


def test_pentaclass_mapping():
    assert [pentaclass(r) for r in ("01", "02", "03", "05", "06", "08", "09", "13", "14", "20")] == \
        [0, 0, 1, 1, 2, 2, 3, 3, 4, 4]


def test_pentaclass_puts_reduce_relations_with_verbal_conflict():
    # Phoenix/PETRARCH quad classes: 16 (cut aid, expel diplomats) is verbal conflict
    assert [pentaclass(r) for r in ("15", "16", "17")] == [4, 3, 4]


def test_no_event_counts_as_wrong():
    recs = [{"pentaclass": 4}, {"pentaclass": 1}]
    rows = score_pentaclass(recs, [[ev("190")], []], "x")
    assert rows[0].value == 0.5 and rows[0].n == 2


def test_plover_scoring_uses_gold_vocabulary_and_countries():
    recs = [{"events": [{"plover": "DISAPPROVE", "source": [{"code": "ZWEGOV"}],
                         "target": [{"code": "USA"}]}]},
            {"events": [{"plover": "AGREE", "source": [{"code": "HUN"}], "target": []}]}]
    events = [[ev("112", "ZWEGOV", "ZWE", "USAGOV", "USA")], []]
    typ, src, tgt = score_plover(recs, events, "x")
    assert typ.value == 0.5 and src.value == 0.5 and (tgt.n, tgt.value) == (1, 1.0)


def test_read_bio_and_span_scoring(tmp_path):
    f = tmp_path / "x.bio"
    f.write_text("Swiss B-S\ncourt I-S\nrejected O\nCroatia B-T\n's O\nrequest O\n. O\n\n")
    (text, ss, ts), = read_bio(f)
    assert text == "Swiss court rejected Croatia's request."
    assert text[ss[0][0]:ss[0][1]] == "Swiss court" and text[ts[0][0]:ts[0][1]] == "Croatia"
    rows = score_srctgt([(text, ss, ts)], [[ev("120", ss=0, se=5, ts=21, te=28)]], "x")
    assert [r.value for r in rows] == [1.0, 1.0]


def test_format_table():
    out = format_table([Row("d", "pentaclass_accuracy", 10, 0.8, 0.7, split="check")])
    assert "pentaclass_accuracy" in out and "yes" in out and "check" in out


def test_split_is_a_fixed_quarter_by_id():
    from detente.evaluate import split_of
    ids = [f"rec-{i}" for i in range(2000)]
    share = sum(split_of(i) == "check" for i in ids) / len(ids)
    assert 0.2 < share < 0.3
    assert [split_of(i) for i in ids[:50]] == [split_of(i) for i in ids[:50]]


def test_plv_scoring_needs_both_spans_and_counts_type_on_links():
    from detente.evaluate import score_plv
    from types import SimpleNamespace as NS
    rec = {"pairs": [{"source": [0, 6], "target": [15, 21], "plover": "ACCUSE"},
                     {"source": [0, 6], "target": [30, 35], "plover": "YIELD"}]}
    e1 = NS(source_start=0, source_end=6, target_start=15, target_end=21, plover="ACCUSE")
    e2 = NS(source_start=0, source_end=6, target_start=40, target_end=45, plover="RETREAT")
    linked, typed, strict = score_plv([rec], [[e1, e2]], "x")
    assert (linked.n, linked.value, strict.value) == (2, 0.5, 0.5)
    # the unlinked pair's event is the first one holding either of its actors: e1 (ACCUSE)
    assert typed.value == 0.5
    # events come most confident first: with e2 first, the unlinked pair speaks through
    # e2 (RETREAT, which is YIELD in this vocabulary), while the strict count is unchanged
    linked, typed, strict = score_plv([rec], [[e2, e1]], "x")
    assert (typed.value, strict.value) == (1.0, 0.5)
    # no event at all: wrong
    assert score_plv([rec], [[]], "x")[1].value == 0.0
    e3 = NS(source_start=2, source_end=4, target_start=31, target_end=33, plover="RETREAT")
    linked, typed, strict = score_plv([rec], [[e1, e3]], "x")
    assert (linked.value, typed.value, strict.value) == (1.0, 1.0, 1.0)
