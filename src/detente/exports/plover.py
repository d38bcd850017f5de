"""PLOVER-style JSONL: one record per consolidated event.

Field names follow the "JSON Data Fields" chapter of the PLOVER manual (Open Event
Data Alliance, PLOVER_MANUAL.tex, draft 0.7b1, github.com/openeventdata/PLOVER):
``id``, ``date``, ``source`` and ``recipient`` (lists of actor objects with
``code``, ``sector``, ``actor_text``), ``event`` (a list of PLOVER categories),
``mode``, ``context``, ``quad_code``, ``event_scale``, ``event_text``, ``text``,
``text_info`` (``start``, ``end``), ``cite_info`` (``url``, ``title``,
``publication``, ``language``, ``coder``, ``codebook``), ``coder`` and
``coded_date``. The manual asks providers to use these names where they apply and
allows other named fields: detente adds its own (``cameo``, ``modality``,
``num_mentions``, ``mention_ids``, ...) under their snake_case names.

PLOVER drops CAMEO's 01 (public statements) category, so events with no PLOVER
type are left out; the writer reports how many. Actor objects split a stacked
detente code the PLOVER way: ``code`` is the 3-character top-level code (the
country, or IGO/bloc prefix) and ``sector`` the rest (``RUSGOV`` -> ``RUS`` +
``GOV``); the full code stays in ``detente_code``.
"""

from __future__ import annotations

from ..version import __version__

CODEBOOK = "CAMEO 1.1b3 coded by detente, mapped to PLOVER types with CAMEO2PLOVER-2021 (PLOVER draft 0.8)"


def actor(code: str | None, country: str | None, text: str | None) -> list[dict]:
    """A PLOVER actor list (empty when there is no actor)."""
    if not code:
        return []
    top = country if country and code.startswith(country) else code[:3]
    obj = {"code": top, "sector": code[len(top):] or None, "actor_text": text, "detente_code": code}
    return [obj]


def plover_record(ev: dict, articles: dict[str, dict]) -> dict | None:
    """The PLOVER record of one exported event row (snake names), or None if it has no PLOVER type."""
    if not ev.get("plover"):
        return None
    art = articles.get(ev.get("article_id") or "", {})
    return {
        "id": ev["event_id"],
        "date": ev["event_date"][:10] if ev.get("event_date") else None,
        "source": actor(ev["source_actor"], ev["source_country"], ev.get("source_text")),
        "recipient": actor(ev["target_actor"], ev["target_country"], ev.get("target_text")),
        "event": [ev["plover"]],
        "mode": ev.get("plover_mode"),
        "context": ev.get("plover_context"),
        "quad_code": ev["quad_class"],
        "event_scale": ev["goldstein"],
        "event_text": [ev["trigger"]] if ev.get("trigger") else [],
        "text": ev.get("sentence"),
        "text_info": {"start": ev.get("start"), "end": ev.get("end")},
        "cite_info": {"url": ev.get("url"), "title": art.get("title"), "publication": ev.get("outlet"),
                      "language": art.get("language"), "coder": f"detente {__version__}", "codebook": CODEBOOK},
        "coder": f"detente {__version__}",
        "coded_date": (art.get("stored_at") or "")[:10] or None,
        # detente's own fields
        "cameo": ev["cameo"],
        "modality": ev["modality"],
        "date_granularity": ev["date_granularity"],
        "num_mentions": ev["num_mentions"],
        "num_articles": ev["num_articles"],
        "num_sources": ev["num_sources"],
        "article_id": ev.get("article_id"),
        "published": ev.get("published"),
        "mention_ids": list(ev.get("mention_ids") or []),
    }
