"""CAMEO tables shipped as package data: parsing, repairs, schema."""

import pytest

from detente.coding.tables import cameo_info, load_tables, parse_codebook, parse_plover, quad_class


def test_all_roots_and_quad_classes():
    t = load_tables()
    roots = sorted(c for c in t.names if len(c) == 2)
    assert roots == [f"{i:02d}" for i in range(1, 21)]
    assert [quad_class(r) for r in ("01", "05", "06", "08", "09", "13", "14", "20")] == [1, 1, 2, 2, 3, 3, 4, 4]
    with pytest.raises(ValueError):
        quad_class("21")


def test_codes_are_zero_padded_strings_with_goldstein():
    t = load_tables()
    for code in t.names:
        assert isinstance(code, str) and 2 <= len(code) <= 4 and code.isdigit()
        info = cameo_info(code)
        assert -10 <= info.goldstein <= 10
        assert info.root == code[:2]


def test_known_values():
    i = cameo_info("0312")
    assert (i.root, i.quad_class, i.goldstein, i.plover, i.plover_context) == ("03", 1, 5.2, "AGREE", "military")
    assert cameo_info("042").plover_mode == "visit"
    assert cameo_info("190").goldstein == -10.0
    assert cameo_info("010").plover is None  # PLOVER has no statement type
    assert cameo_info("0256").plover == "REQUEST"  # appeals: supplement
    with pytest.raises(KeyError):
        cameo_info("999")


def test_merged_codebook_line_is_repaired():
    text = "CAMEOEVENTCODE\tEVENTDESCRIPTION\n1056\tDemand de-escalation106:[-5.0] Demand withdrawal\n"
    assert parse_codebook(text) == {"1056": "Demand de-escalation", "106": "Demand withdrawal"}
    assert cameo_info("106").name == "Demand withdrawal"


def test_plover_parser_first_entry_wins_and_comments_dropped():
    text = "08: CONCEDE\n084: RETREAT,   ,  # Return\n084: CONCEDE, x, y\n0841: RETREAT, release,   legal # r\n"
    p = parse_plover(text)
    assert p["084"] == ("RETREAT", None, None)
    assert p["0841"] == ("RETREAT", "release", "legal")


def test_legacy_plover_names_for_gold_comparison():
    t = load_tables()
    assert t.legacy_plover("112") == "DISAPPROVE"
    assert t.legacy_plover("1056") == "DEMAND"
    assert t.legacy_plover("193") == "FIGHT"
    assert t.legacy_plover("042") == "CONSULT"
