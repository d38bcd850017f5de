"""GDELT 2.0 files, positionally exact: ``detente export events|mentions --format gdelt``.

GDELT's event table (``YYYYMMDDHHMMSS.export.CSV``) has 61 tab-separated columns and
its mentions table (``.mentions.CSV``) 16, with no header and no quoting. Loaders
written for GDELT (gdeltr2, the BigQuery schema, ``pandas.read_csv(sep="\\t",
header=None, names=GDELT_COLUMNS)``) read them by position, so every column is
written in GDELT's order, and the ones detente has no value for are left empty
(GDELT's own convention for missing values). Codes are zero-padded strings (``010``,
``0312``); dates are ``YYYYMMDD`` integers (``SQLDATE``), ``YYYYMM``, ``YYYY``,
``YYYY.FFFF`` and ``YYYYMMDDHHMMSS`` timestamps, as in GDELT.

Text fields (actor names, URLs) cannot hold a tab or a newline in an unquoted
format, so those are replaced by spaces. The table of columns below is the
documentation (``docs/gdelt.md`` is generated from it, and a test checks it).
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from urllib.parse import urlsplit

# (GDELT name, what detente writes there). The order is GDELT 2.0's.
_ACTOR = [
    ("{A}Code", "The full actor code (`source_actor` / `target_actor`), e.g. RUSGOV."),
    ("{A}Name", "The actor's span in the strongest evidence sentence, upper-cased (GDELT prints dictionary names "
                "upper-case)."),
    ("{A}CountryCode", "ISO 3166 alpha-3 country of the actor (GDELT's CAMEO country codes are the same for "
                       "states); empty for IGOs and groups."),
    ("{A}KnownGroupCode", "For codes without a country that start with IGO, NGO or MNC: the 3 letters after it "
                          "(IGOUNO -> UNO); else empty."),
    ("{A}EthnicCode", "Empty: detente does not code ethnicity."),
    ("{A}Religion1Code", "Empty: detente does not code religion."),
    ("{A}Religion2Code", "Empty."),
    ("{A}Type1Code", "First 3-letter role after the country (RUSGOV -> GOV), or IGO/NGO/MNC for such codes."),
    ("{A}Type2Code", "Second stacked role (PRKMILGOV -> GOV), else empty."),
    ("{A}Type3Code", "Third stacked role, else empty."),
]
_GEO = [
    ("{G}_Type", "Empty: detente does not geocode events."),
    ("{G}_FullName", "Empty."),
    ("{G}_CountryCode", "Empty."),
    ("{G}_ADM1Code", "Empty."),
    ("{G}_ADM2Code", "Empty."),
    ("{G}_Lat", "Empty."),
    ("{G}_Long", "Empty."),
    ("{G}_FeatureID", "Empty."),
]

EVENT_COLUMNS: list[tuple[str, str]] = [
    ("GLOBALEVENTID", "The first 15 hex digits of detente's `event_id` as a decimal integer (fits a signed 64-bit "
                      "integer; `event_id` itself is in the other export formats)."),
    ("SQLDATE", "The event date as YYYYMMDD (the first day of its period when coarser than a day); empty when "
                "undated."),
    ("MonthYear", "YYYYMM of the event date; empty when undated."),
    ("Year", "YYYY of the event date; empty when undated."),
    ("FractionDate", "YYYY.FFFF: the year plus the fraction of it completed on the event date; empty when undated."),
    *[(n.format(A="Actor1"), d) for n, d in _ACTOR],
    *[(n.format(A="Actor2"), d) for n, d in _ACTOR],
    ("IsRootEvent", "Empty: detente does not mark lead-paragraph events."),
    ("EventCode", "CAMEO code, zero-padded string (010, 0312)."),
    ("EventBaseCode", "3-digit base of the CAMEO code (0312 -> 031; a bare root 04 -> 040)."),
    ("EventRootCode", "2-digit CAMEO root."),
    ("QuadClass", "1 verbal cooperation, 2 material cooperation, 3 verbal conflict, 4 material conflict."),
    ("GoldsteinScale", "Goldstein score of the CAMEO code, -10 to +10."),
    ("NumMentions", "Mentions (sentences) that report the event."),
    ("NumSources", "Distinct sources (outlets) that report it."),
    ("NumArticles", "Distinct articles that report it."),
    ("AvgTone", "Empty: detente does not compute tone."),
    *[(n.format(G="Actor1Geo"), d) for n, d in _GEO],
    *[(n.format(G="Actor2Geo"), d) for n, d in _GEO],
    *[(n.format(G="ActionGeo"), d) for n, d in _GEO],
    ("DATEADDED", "YYYYMMDDHHMMSS (UTC) when detente first stored an article reporting the event."),
    ("SOURCEURL", "URL of the earliest article reporting the event that has one; empty when no article gave a URL."),
]

MENTION_COLUMNS: list[tuple[str, str]] = [
    ("GLOBALEVENTID", "The event the mention belongs to, as in the events file."),
    ("EventTimeDate", "The event's DATEADDED (YYYYMMDDHHMMSS)."),
    ("MentionTimeDate", "YYYYMMDDHHMMSS (UTC) when detente stored the article (GDELT: when it was seen)."),
    ("MentionType", "1 (web) when the article has a URL; empty otherwise (a local file)."),
    ("MentionSourceName", "The URL's host name (GDELT uses the domain), else the outlet name."),
    ("MentionIdentifier", "The article URL, else detente's `article_id` (a citation of the local file)."),
    ("SentenceID", "Empty: detente locates the sentence by character offsets instead (see the other formats)."),
    ("Actor1CharOffset", "Character offset of the source actor span in the article text; -1 when not in the text "
                         "(GDELT's convention)."),
    ("Actor2CharOffset", "Character offset of the target actor span; -1 when none."),
    ("ActionCharOffset", "Character offset of the trigger (the predicate)."),
    ("InRawText", "1 when both actor spans stand in the evidence sentence itself, 0 when one came from elsewhere "
                  "(coreference, an earlier sentence)."),
    ("Confidence", "detente's confidence as a percentage, 0-100."),
    ("MentionDocLen", "Length of the article text in characters."),
    ("MentionDocTone", "Empty: detente does not compute tone."),
    ("MentionDocTranslationInfo", "Empty: detente reads English text only."),
    ("Extras", "Empty."),
]
assert len(EVENT_COLUMNS) == 61 and len(MENTION_COLUMNS) == 16

_ROLE_GROUPS = ("IGO", "NGO", "MNC")
_BREAKS = re.compile(r"[\t\r\n]")


def global_event_id(event_id: str | None) -> int | None:
    if not event_id:
        return None
    try:
        return int(event_id[:15], 16)
    except ValueError:
        return None


def _date(value) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


def _stamp(value) -> str | None:
    """YYYYMMDDHHMMSS of an ISO timestamp string (UTC as stored)."""
    if not value:
        return None
    s = str(value)
    digits = "".join(ch for ch in s[:19] if ch.isdigit())
    return digits.ljust(14, "0")[:14] if len(digits) >= 8 else None


def _roles(code: str | None, country: str | None) -> tuple[str | None, list[str]]:
    """(known group code, [type codes]) of a stacked actor code."""
    if not code:
        return None, []
    if country and code.startswith(country):
        rest = code[len(country):]
        return None, [rest[i:i + 3] for i in range(0, len(rest), 3) if len(rest[i:i + 3]) == 3][:3]
    if not country and code[:3] in _ROLE_GROUPS:
        return (code[3:6] or None), [code[:3]]
    return None, []


def _actor(code, country, name) -> list:
    group, types = _roles(code, country)
    types = (types + [None, None, None])[:3]
    return [code, name.upper() if name else None, country, group, None, None, None, *types]


def event_row(ev: dict, first_stored: dict[str, str]) -> list:
    """One GDELT event row (61 values, None for empty) from an ``events`` export record."""
    d = _date(ev.get("event_date"))
    if d:
        days = 366 if (d.year % 4 == 0 and (d.year % 100 != 0 or d.year % 400 == 0)) else 365
        dates = [d.strftime("%Y%m%d"), d.strftime("%Y%m"), str(d.year),
                 f"{d.year + d.timetuple().tm_yday / days:.4f}"]
    else:
        dates = [None] * 4
    mentions = ev.get("mentions") or []
    added = min((first_stored[m["article_id"]] for m in mentions if m.get("article_id") in first_stored),
                default=None)
    url = next((m["url"] for m in mentions if m.get("url")), None)
    row = [global_event_id(ev["event_id"]), *dates,
           *_actor(ev.get("source_actor"), ev.get("source_country"), ev.get("source_text")),
           *_actor(ev.get("target_actor"), ev.get("target_country"), ev.get("target_text")),
           None, ev["cameo"], ev.get("cameo_base"), ev.get("cameo_root"), ev.get("quad_class"),
           ev.get("goldstein"), ev.get("num_mentions"), ev.get("num_sources"), ev.get("num_articles"), None,
           *([None] * 24), _stamp(added), url]
    assert len(row) == 61
    return row


def mention_row(m: dict, event_added: dict[str, str | None]) -> list:
    """One GDELT mention row (16 values) from a mention joined with its article."""
    url = m.get("url")
    host = urlsplit(url).hostname if url else None
    s, e = m.get("start") or 0, m.get("end") or 0

    def off(x):
        return -1 if x is None else int(x)

    def inside(x):
        return x is not None and s <= x < e

    in_raw = int(inside(m.get("source_start")) and (m.get("target_actor") is None or inside(m.get("target_start"))))
    conf = m.get("confidence")
    return [global_event_id(m.get("event_id")), event_added.get(m.get("event_id")), _stamp(m.get("stored_at")),
            1 if url else None, host or m.get("outlet"), url or m.get("article_id"), None,
            off(m.get("source_start")), off(m.get("target_start")), off(m.get("trigger_start")), in_raw,
            None if conf is None else int(round(float(conf) * 100)), m.get("doc_len"), None, None, None]


def _cell(v) -> str:
    if v is None:
        return ""
    if isinstance(v, float):
        return f"{v:g}" if v == v else ""
    return _BREAKS.sub(" ", v) if isinstance(v, str) else str(v)


def _write(rows, path: Path) -> int:
    n = 0
    with open(path, "w", encoding="utf-8", newline="\n") as fh:
        for r in rows:
            fh.write("\t".join(_cell(v) for v in r) + "\n")
            n += 1
    return n


def _first_stored(con) -> dict[str, str]:
    from .tables import rows

    return {r["article_id"]: r["stored_at"] for r in rows(con, "SELECT article_id, stored_at FROM articles")}


def write_events(con, path: Path) -> int:
    """The events table as a GDELT 2.0 event file; returns the row count."""
    from .tables import QUERIES, rows

    first = _first_stored(con)
    evs = rows(con, f"SELECT * FROM ({QUERIES['events']})")
    return _write((event_row(ev, first) for ev in evs), path)


def write_mentions(con, path: Path) -> int:
    """The mentions table as a GDELT 2.0 mentions file; returns the row count."""
    from .tables import QUERIES, rows

    first = _first_stored(con)
    added = {ev["event_id"]: _stamp(min((first[m["article_id"]] for m in ev["mentions"] or []
                                          if m["article_id"] in first), default=None))
             for ev in rows(con, f"SELECT event_id, mentions FROM ({QUERIES['events']})")}
    ms = rows(con, f"""SELECT q.*, length(a.text) AS doc_len, a.stored_at
                       FROM ({QUERIES['mentions']}) q JOIN articles a USING (article_id)
                       ORDER BY q.article_id, q.start, q.trigger_start, q.mention_id""")
    return _write((mention_row(m, added) for m in ms if m.get("event_id")), path)


def to_markdown() -> str:
    """docs/gdelt.md: what each GDELT column holds in detente's files."""
    out = ["# GDELT 2.0 files (`detente export events|mentions --format gdelt`)", "",
           "Generated from `src/detente/exports/gdelt.py` by `scripts/gen_columns_doc.py`; do not edit by hand.", "",
           "Tab-separated, no header, no quoting, one row per line, UTF-8; empty where detente has no value. "
           "Columns in GDELT 2.0's order, so a positional GDELT loader reads the files unchanged.", ""]
    for title, cols in (("Events (61 columns)", EVENT_COLUMNS), ("Mentions (16 columns)", MENTION_COLUMNS)):
        out += [f"## {title}", "", "| # | column | what detente writes |", "|---|---|---|"]
        out += [f"| {i} | `{n}` | {d} |" for i, (n, d) in enumerate(cols, 1)]
        out.append("")
    out.append("Mentions of no consolidated event are not written (GDELT has none).")
    return "\n".join(out)
