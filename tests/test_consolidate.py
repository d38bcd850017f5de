"""Consolidation of event mentions into events (no model needed: mentions are built by hand)."""

import pandas as pd

from detente.analysis import consolidate
from detente.types import EventMention, as_dict


def _m(article, src, tgt, cameo, date, gran="day", modality="asserted", hedged=False, n=0):
    return EventMention(
        article_id=article, source_actor=src, source_country=src[:3], target_actor=tgt, target_country=tgt[:3],
        cameo=cameo, cameo_root=cameo[:2], quad_class=1, goldstein=1.9, plover="CONSULT", modality=modality,
        hedged=hedged, attributed_to=None, historical=False, event_date=date, date_granularity=gran,
        date_reason="test", confidence=0.8, sentence="s", start=n, end=n + 1, trigger="visit",
        mention_id=f"{article}-{src}-{tgt}-{cameo}-{n}")


def _run(mentions, outlets):
    df = pd.DataFrame([as_dict(m) for m in mentions])
    arts = pd.DataFrame([{"article_id": a, "outlet": o, "published": "2015-02-10"} for a, o in outlets.items()])
    return {e.event_id: e for e in consolidate(df, arts)}


def test_reprint_adds_a_source_not_an_event():
    base = [_m("a1", "PRKGOV", "RUSGOV", "042", "2015-01-20"), _m("a1", "RUSGOV", "JPNGOV", "111", "2015-01-25", n=5)]
    one = _run(base, {"a1": "Global Times"})
    reprint = [_m("a2", m.source_actor, m.target_actor, m.cameo, m.event_date, n=m.start) for m in base]
    two = _run(base + reprint, {"a1": "Global Times", "a2": "Russia Insider"})
    assert one.keys() == two.keys()
    for eid, e in two.items():
        assert (e.num_mentions, e.num_articles, e.num_sources) == (2, 2, 2)
        assert one[eid].num_sources == 1


def test_event_ids_stable_when_articles_are_added():
    first = _run([_m("a1", "CHNGOV", "PRKGOV", "0712", "2014-03-01", gran="month")], {"a1": "X"})
    more = _run([_m("a1", "CHNGOV", "PRKGOV", "0712", "2014-03-01", gran="month"),
                 _m("b1", "CHNGOV", "PRKGOV", "071", "2014-03-01", gran="month"),
                 _m("b1", "USAGOV", "PRKGOV", "163", "2014-03-02")], {"a1": "X", "b1": "Y"})
    assert set(first) <= set(more)
    assert more[next(iter(first))].num_mentions == 2  # 071 and 0712 are compatible


def test_hedged_and_asserted_both_recorded_and_dates_split_events():
    evs = _run([_m("a1", "RUSGOV", "PRKGOV", "057", "2015-01-31"),
                _m("b1", "RUSGOV", "PRKGOV", "057", "2015-01-31", modality="asserted", hedged=True),
                _m("c1", "RUSGOV", "PRKGOV", "057", "2019-04-25")], {"a1": "X", "b1": "Y", "c1": "Z"})
    assert len(evs) == 2
    e = next(e for e in evs.values() if e.num_mentions == 2)
    assert e.asserted_any and e.hedged_any and e.modality == "asserted"


def test_strongest_modality_and_distinct_dyads():
    evs = _run([_m("a1", "RUSGOV", "PRKGOV", "057", "2015-01-31", modality="hypothetical"),
                _m("b1", "RUSGOV", "PRKGOV", "057", "2015-01-31", modality="intent"),
                _m("b1", "PRKGOV", "RUSGOV", "057", "2015-01-31")], {"a1": "X", "b1": "Y"})
    assert sorted((e.source_actor, e.modality) for e in evs.values()) == [("PRKGOV", "asserted"), ("RUSGOV", "intent")]


def test_seeds_plus_reprint_yield_no_more_events(seeds_dir, tmp_path):
    """Acceptance: a reprint of a seed under another outlet adds sources, never events."""
    import shutil

    import detente

    detente.analyze([seeds_dir], store=tmp_path / "a")
    before = detente.open(tmp_path / "a").events
    d = tmp_path / "with-reprint"
    shutil.copytree(seeds_dir, d)
    original = (d / "001_e83a250b6db636ef.txt").read_text("utf-8")
    (d / "reprint-001.txt").write_text(original + "\n\nThis article originally appeared at GlobalPost\n", "utf-8")
    meta = (d / "_meta.csv").read_text("utf-8").replace("001_e83a250b6db636ef.txt,2015-02-10",
                                                        "001_e83a250b6db636ef.txt,2015-02-10,GlobalPost")
    meta = meta.replace("file,published", "file,published,outlet") + "reprint-001.txt,2015-02-12,Echo Daily\n"
    (d / "_meta.csv").write_text(meta, "utf-8")
    detente.analyze([d], store=tmp_path / "b")
    db = detente.open(tmp_path / "b")
    after = db.events
    assert len(after) <= len(before)
    story = db.sql("SELECT * FROM stories WHERE article_id = 'reprint-001'").iloc[0]
    assert story.is_copy and story.story_id == "001_e83a250b6db636ef"
    assert (after.num_sources == 2).any() and after.num_articles.max() == 2


def test_undated_seed_reprint_joins_its_originals_events(seeds_dir, tmp_path):
    """Through the whole pipeline: a seed and its reprint, neither dated; the copy's mentions are counted."""
    import shutil

    import detente

    d = tmp_path / "undated"
    d.mkdir()
    original = (seeds_dir / "001_e83a250b6db636ef.txt").read_text("utf-8")
    shutil.copy(seeds_dir / "001_e83a250b6db636ef.txt", d / "001_e83a250b6db636ef.txt")  # no _meta.csv: no dates
    detente.analyze([d], store=tmp_path / "s", workers=1)
    before = detente.open(tmp_path / "s").events
    (d / "reprint-001.txt").write_text(original + "\n\nReprinted with permission.\n", "utf-8")
    detente.analyze([d], store=tmp_path / "s", workers=1)
    db = detente.open(tmp_path / "s")
    story = db.sql("SELECT * FROM stories WHERE article_id = 'reprint-001'").iloc[0]
    assert story.is_copy and story.story_id == "001_e83a250b6db636ef"
    after = db.events
    assert before.event_date.isna().sum() >= len(before) - 1 > 0  # undated but for a "1970" in the text
    assert sorted(after.event_id) == sorted(before.event_id)  # no event added or dropped, ids kept
    assert (after.num_articles == 2).all() and (after.num_sources == 2).all()
    assert after.num_mentions.sum() == 2 * before.num_mentions.sum()


def test_a_busy_dyad_is_one_event_per_month_not_one_chain():
    """Reports every three days through a year overlap in a chain; events stop at each calendar month."""
    import datetime as dt

    days = [dt.date(2015, 1, 2) + dt.timedelta(days=3 * i) for i in range(120)]
    ms = [_m(f"a{i:03d}", "RUSGOV", "PRKGOV", "042", d.isoformat(), gran="article", n=i) for i, d in enumerate(days)]
    evs = _run(ms, {f"a{i:03d}": "X" for i in range(len(days))})
    months = {d.strftime("%Y-%m") for d in days}
    assert len(evs) == len(months) == 12
    by_mention = {m.mention_id: m for m in ms}
    for e in evs.values():  # every mention of an event is dated in one month
        assert len({by_mention[i].event_date[:7] for i in e.mention_ids}) == 1
    assert sum(e.num_mentions for e in evs.values()) == len(ms)


def test_a_year_dated_mention_merges_with_its_year_not_with_every_report_in_it():
    evs = _run([_m("a1", "RUSGOV", "PRKGOV", "042", "2015-03-04"),
                _m("b1", "RUSGOV", "PRKGOV", "042", "2015-01-01", gran="year"),
                _m("c1", "RUSGOV", "PRKGOV", "042", "2015-01-01", gran="year"),
                _m("d1", "RUSGOV", "PRKGOV", "042", "2015-08-09")], {"a1": "X", "b1": "Y", "c1": "Z", "d1": "W"})
    assert sorted((e.date_granularity, e.num_mentions) for e in evs.values()) == [("day", 1), ("day", 1), ("year", 2)]


def test_period_of_a_window():
    import datetime as dt

    from detente.analysis.consolidate import period, window

    assert period(*window("2015-03-10", "day")) == "2015-03"
    assert period(*window("2015-03-05", "article")) == "2015-03"  # the article's month, though its week reaches back
    assert period(*window("2015-03-31", "day")) == "2015-03"
    assert period(*window("2015-02-01", "month")) == "2015-02"
    assert period(*window("2015-01-01", "year")) == "2015-01-01/2015-12-31"
    assert period(dt.date(2015, 1, 1), dt.date(2015, 1, 31)) == "2015-01"
