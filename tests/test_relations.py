"""Dyad series, labels, change points and patrons from constructed events (no model)."""

import pandas as pd

from detente.analysis.relations import change_points, dyad_series, label_for, patrons


def _ev(i, src, tgt, quad, g, date, cameo="042", modality="asserted"):
    return {"event_id": f"e{i}", "source_actor": src + "GOV", "source_country": src, "target_actor": tgt + "GOV",
            "target_country": tgt, "quad_class": quad, "goldstein": g, "event_date": date, "modality": modality,
            "cameo": cameo, "cameo_root": cameo[:2]}


EVENTS = pd.DataFrame([
    _ev(1, "CHN", "PRK", 2, 7.4, "2012-05-01", "070"),
    _ev(2, "CHN", "PRK", 3, -4.0, "2013-02-20", "111"),
    _ev(3, "CHN", "PRK", 4, -5.6, "2013-03-07", "163"),
    _ev(4, "RUS", "PRK", 2, 7.4, "2014-05-06", "071"),
    _ev(5, "RUS", "PRK", 2, 7.4, "2023-09-13", "0712"),
    _ev(6, "RUS", "PRK", 2, 7.4, "2023-09-14", "062", modality="intent"),
    _ev(7, "PRK", "RUS", 1, 1.9, "2014-11-18", "042"),
])


def test_labels_follow_documented_thresholds():
    assert [label_for(g, 3) for g in (6, 2, 0, -3, -7)] == ["allied", "cooperative", "neutral", "strained", "hostile"]
    assert label_for(6, 1, min_events=2) == "thin"


def test_dyad_counts_distinct_asserted_events_and_change_points():
    s = dyad_series(EVENTS, "CHN", "PRK", "Y")
    assert list(s.period) == ["2012", "2013"]
    assert s.iloc[1][["events", "q3_verbal_conflict", "q4_material_conflict"]].tolist() == [2, 1, 1]
    assert s.iloc[1].label == "strained" and s.iloc[1].event_ids == ["e2", "e3"]
    assert change_points(s, "CHN", "PRK", min_events=1) == [
        "CHN->PRK turned strained in 2013 (was allied in 2012; 2 events, mean Goldstein -4.8)"]
    assert change_points(s, "CHN", "PRK") == []  # one event in 2012, two in 2013: too thin for a turn
    r = dyad_series(EVENTS, "RUS", "PRK", "Y")
    assert r.set_index("period").loc["2023", "events"] == 1  # the intent does not count as an event
    both = dyad_series(EVENTS, "RUS", "PRK", "Y", both=True)
    assert both.set_index("period").loc["2014", "events"] == 2


def test_patrons_shift_from_china_to_russia():
    p = patrons(EVENTS, "PRK", "Y")
    top = p[p["rank"] == 1].set_index("period").patron.to_dict()
    assert top == {"2012": "CHN", "2014": "RUS", "2023": "RUS"}


def test_one_event_does_not_flip_a_dyad():
    rows = [_ev(i, "RUS", "PRK", 1, 6.0, f"2015-0{m}-1{i % 9}") for i, m in enumerate([1, 1, 1, 2, 2, 2])]
    rows.append(_ev(99, "RUS", "PRK", 1, 0.0, "2015-03-02"))  # one neutral remark in March
    rows += [_ev(100 + i, "RUS", "PRK", 3, -6.0, "2015-04-0" + str(i + 1)) for i in range(3)]
    s = dyad_series(pd.DataFrame(rows), "RUS", "PRK", "M")
    assert s.set_index("period").loc["2015-03", "label"] == "neutral"  # the table still shows it
    turns = change_points(s, "RUS", "PRK")
    assert turns == ["RUS->PRK turned hostile in 2015-04 (was allied in 2015-02; 3 events, mean Goldstein -6.0)"]
