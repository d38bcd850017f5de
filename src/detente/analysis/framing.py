"""Outlet framing: stance toward actors and dyads, hedging, genre and blindspots.

Pure functions over the store's DataFrames (``articles``, ``actor_mentions``,
``event_mentions``, ``events``); no model, no I/O.

**Stance.** Evaluative terms (:mod:`detente.analysis.evaluative`) are found in
each sentence of an article, outside quotation marks and reported evaluations
("the administration is calling it a success": a quoted or reported party's words
are not the outlet's judgement) and outside masked boilerplate. Sentences are the
spans the pipeline stored with each actor and event mention; the text between
them is split at sentence punctuation. Each term is attributed by the first rule
that applies (the rule is kept in the ``rule`` column):

1. ``nearest`` — the sentence names actors and one is at most ``PROXIMITY``
   words from the term: the nearest one ("the North's *outrageous* behavior",
   "more *moderate* China"); ties go to the actor after the term;
2. ``sentence`` — the sentence names actors, none that close: every actor of the
   sentence;
3. ``carried`` — the sentence names no actor ("This is *bad and alarming*
   news."): the actors of the nearest of the ``CARRY`` preceding sentences that
   names any.

A term in a question counts half (``QUESTION_SCALE``): a question does not assert
its judgement. Actors are countries; an IGO or a bloc keeps its code; a generic agent with no
country ("officials") is left out.

A dyad's stance is about the relationship, not a direction: a sentence's
evaluations attach to each unordered country pair of its event mentions, or,
when it has none, to each pair of countries it names (at most ``MAX_DYAD_ACTORS``
countries); a sentence naming one country continues the dyads of the nearest of
the ``CARRY`` preceding sentences that include it ("... is a smart move" after a
sentence about Kim's message to Putin); a sentence naming none takes the dyads
of the sentence its actors are carried from. Pairs are written
``source < target`` alphabetically. Actors are countries (ISO3; an IGO or bloc
keeps its code). Every figure lists ``mention_ids`` (``article_id:start-end``, the
evaluative words' offsets into the article text) and ``sentence_ids``.

**Hedging.** Shares of an outlet's event mentions that are ``hedged`` ("reportedly",
"appears to") or speculative (modality ``hypothetical``).

**Genre.** See :func:`genres`.

**Blindspots.** Events (consolidated) with the outlets whose articles report them
and the outlets that have none: an outlet's *exclusive* events are those only it
reports.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterable
from itertools import combinations

import pandas as pd

from ..ingest.clean import mask
from .evaluative import EvaluativeLexicon, load_evaluative_lexicon, quoted_spans, score_text, tokens

PROXIMITY = 4  # words between an evaluative term and an actor mention for rule ``nearest``
CARRY = 2  # preceding sentences searched by rule ``carried``
QUESTION_SCALE = 0.5  # a question does not assert its judgement ("What would be scandalous about it?")
MAX_DYAD_ACTORS = 4  # co-mentioned countries that form dyads in one sentence (4 -> 6 pairs)
_SENT_END = re.compile(r"(?<=[.!?])[\"”’)]*\s+(?=[\"“(]?[A-Z0-9])|\n\s*\n")

EVAL_COLUMNS = ["eval_id", "article_id", "outlet", "sentence_id", "term", "start", "end", "weight", "score",
                "negated", "rule", "actor"]
DYAD_EVAL_COLUMNS = ["eval_id", "article_id", "outlet", "sentence_id", "term", "start", "end", "weight", "score",
                     "negated", "rule", "source", "target"]


def outlet_of(outlet, article_id: str) -> str:
    """The outlet name, or ``article:ID`` when the article names none (as in consolidation)."""
    return outlet if isinstance(outlet, str) and outlet.strip() else f"article:{article_id}"


def actor_key(code, country, sector) -> str | None:
    """The actor a stance is about: the country; an IGO or bloc keeps its code; a generic agent
    with no country ("officials", "the regime" unresolved) is nobody in particular."""
    if isinstance(country, str) and country:
        return country
    if isinstance(code, str) and (code.startswith("IGO") or not isinstance(sector, str) or not sector):
        return code
    return None


def _outlets(articles: pd.DataFrame) -> dict[str, str]:
    return {r.article_id: outlet_of(r.outlet, r.article_id) for r in articles.itertuples(index=False)}


def sentence_spans(text: str, known: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    """Sentence spans of ``text``: the ``known`` ones (from stored mentions), the gaps between them
    split at sentence punctuation and blank lines. Whitespace-only pieces are dropped."""
    known = sorted({(int(s), int(e)) for s, e in known if 0 <= s < e <= len(text)})
    merged: list[tuple[int, int]] = []
    for s, e in known:  # overlapping stored spans (rare) become one
        if merged and s < merged[-1][1]:
            merged[-1] = (merged[-1][0], max(e, merged[-1][1]))
        else:
            merged.append((s, e))
    out: list[tuple[int, int]] = []
    pos = 0
    for s, e in merged + [(len(text), len(text))]:
        gap_start = pos
        for m in _SENT_END.finditer(text, pos, s):
            out.append((gap_start, m.start()))
            gap_start = m.end()
        out.append((gap_start, s))
        if s < e:
            out.append((s, e))
        pos = max(pos, e)
    trimmed = []
    for a, b in out:
        while a < b and text[a].isspace():
            a += 1
        while b > a and text[b - 1].isspace():
            b -= 1
        if b > a:
            trimmed.append((a, b))
    return trimmed


def _word_index(text: str) -> list[int]:
    """The start offset of each word token (for word distances)."""
    return [s for _, s, _ in tokens(text)]


def _word_pos(starts: list[int], offset: int) -> int:
    import bisect

    return bisect.bisect_right(starts, offset) - 1


def evaluations(articles: pd.DataFrame, actor_mentions: pd.DataFrame, event_mentions: pd.DataFrame,
                lexicon: EvaluativeLexicon | None = None,
                include_quotes: bool = False) -> tuple[pd.DataFrame, pd.DataFrame]:
    """``(by_actor, by_dyad)``: one row per evaluative term and the actor (or dyad) it is attributed to.

    Terms inside quotation marks or after a reporting verb ("calling it a success") are other
    people's evaluations and left out, unless ``include_quotes``."""
    lex = lexicon or load_evaluative_lexicon()
    outlets = _outlets(articles)
    # Plain per-article lists (pandas row access per article costs more than the scoring itself).
    acts_by: dict[str, list] = {}
    for aid, st, en, code, country, sector, ss, se in zip(
            actor_mentions.article_id, actor_mentions.start, actor_mentions.end, actor_mentions.code,
            actor_mentions.country, actor_mentions.sector, actor_mentions.sentence_start,
            actor_mentions.sentence_end):
        acts_by.setdefault(aid, []).append((int(st), int(en), actor_key(code, country, sector), int(ss), int(se)))
    evs_by: dict[str, list] = {}
    for aid, st, en, sc, tc in zip(event_mentions.article_id, event_mentions.start, event_mentions.end,
                                   event_mentions.source_country, event_mentions.target_country):
        evs_by.setdefault(aid, []).append((int(st), int(en), sc, tc))
    arows, drows = [], []
    for aid, raw, masked in zip(articles.article_id, articles.text, articles.masked):
        spans = [tuple(x) for x in masked] if masked is not None else []
        text = mask(raw, spans)
        acts, event_pairs = acts_by.get(aid, []), evs_by.get(aid, [])
        known = [(a[3], a[4]) for a in acts] + [(e[0], e[1]) for e in event_pairs]
        sents = sentence_spans(text, known)
        skip = [] if include_quotes else quoted_spans(text)
        hits = [h for h in score_text(text, lex, skip) if include_quotes or not h.reported]
        starts = _word_index(text)
        actor_list = [(a[0], a[1], a[2]) for a in acts if a[2]]
        per_sent = []
        for s, e in sents:
            sa = [a for a in actor_list if s <= a[0] < e]
            pairs = {tuple(sorted((p[2], p[3]))) for p in event_pairs
                     if p[0] >= s and p[1] <= e and isinstance(p[2], str) and isinstance(p[3], str) and p[2] != p[3]}
            dyad_rule = "event"
            countries = sorted({a[2] for a in sa})
            if not pairs:
                dyad_rule = "co-mention"
                if 2 <= len(countries) <= MAX_DYAD_ACTORS:
                    pairs = set(combinations(countries, 2))
                elif len(countries) == 1:  # one actor: it continues a preceding sentence's dyad with it
                    for j in range(len(per_sent) - 1, max(-1, len(per_sent) - 1 - CARRY), -1):
                        keep = {p for p in per_sent[j][3] if countries[0] in p}
                        if keep:
                            pairs, dyad_rule = keep, "carried"
                            break
            per_sent.append((s, e, sa, pairs, dyad_rule))
        outlet = outlets[aid]
        for h in hits:
            k = next((i for i, (s, e, *_rest) in enumerate(per_sent) if s <= h.start < e), None)
            if k is None:
                continue
            s, e, sa, pairs, dyad_rule = per_sent[k]
            sid = f"{aid}:{s}-{e}"
            question = text[s:e].rstrip().rstrip("\"”’)").endswith("?")
            base = {"eval_id": f"{aid}:{h.start}-{h.end}", "article_id": aid, "outlet": outlet,
                    "sentence_id": sid, "term": h.term, "start": h.start, "end": h.end, "weight": h.weight,
                    "score": round(h.score * QUESTION_SCALE, 3) if question else h.score, "negated": h.negated}
            targets: list[str] = []
            rule = None
            if sa:
                hp = _word_pos(starts, h.start)
                hend = _word_pos(starts, h.end - 1)

                def dist(a):
                    ap, aend = _word_pos(starts, a[0]), _word_pos(starts, a[1] - 1)
                    gap = ap - hend - 1 if ap > hend else hp - aend - 1
                    return max(gap, 0), 0 if ap > hend else 1  # ties: the actor after the term

                best = min(sa, key=dist)
                if dist(best)[0] <= PROXIMITY:
                    targets, rule = [best[2]], "nearest"
                else:
                    targets, rule = sorted({a[2] for a in sa}), "sentence"
            else:
                for j in range(k - 1, max(-1, k - 1 - CARRY), -1):
                    if per_sent[j][2]:
                        targets, rule = sorted({a[2] for a in per_sent[j][2]}), "carried"
                        pairs, dyad_rule = per_sent[j][3], "carried"
                        break
            for t in targets:
                arows.append({**base, "rule": rule, "actor": t})
            for a, b in sorted(pairs):
                drows.append({**base, "rule": dyad_rule, "source": a, "target": b})
    return (pd.DataFrame(arows, columns=EVAL_COLUMNS), pd.DataFrame(drows, columns=DYAD_EVAL_COLUMNS))


STANCE_COLUMNS = ["n", "stance_mean", "positive", "negative", "articles", "mention_ids", "sentence_ids"]


def stance_table(evals: pd.DataFrame, by: str = "actor") -> pd.DataFrame:
    """Per outlet and actor (``by="actor"``) or dyad (``by="dyad"``): n, mean score, counts, ids."""
    keys = ["outlet", "actor"] if by == "actor" else ["outlet", "source", "target"]
    if evals.empty:
        return pd.DataFrame(columns=keys + STANCE_COLUMNS)
    rows = []
    for key, g in evals.groupby(keys, sort=True):
        rows.append({**dict(zip(keys, key)), "n": len(g), "stance_mean": round(float(g.score.mean()), 3),
                     "positive": int((g.score > 0).sum()), "negative": int((g.score < 0).sum()),
                     "articles": g.article_id.nunique(), "mention_ids": sorted(set(g.eval_id)),
                     "sentence_ids": sorted(set(g.sentence_id))})
    return pd.DataFrame(rows, columns=keys + STANCE_COLUMNS)


def _pair(a, b) -> tuple:
    return tuple(sorted((a, b))) if isinstance(a, str) and isinstance(b, str) else (a, b)


def hedging(event_mentions: pd.DataFrame, articles: pd.DataFrame, by: str = "dyad") -> pd.DataFrame:
    """Per outlet (and unordered country dyad with ``by="dyad"``): shares of event mentions that are
    hedged, speculative (hypothetical), intentions or denials, with the mention ids."""
    keys = ["outlet"] if by == "outlet" else ["outlet", "source", "target"]
    cols = keys + ["mentions", "hedged", "speculative", "hedged_share", "speculative_share", "intent_share",
                   "negated_share", "mention_ids"]
    if event_mentions.empty:
        return pd.DataFrame(columns=cols)
    outlets = _outlets(articles)
    m = event_mentions.assign(outlet=event_mentions.article_id.map(outlets))
    if by != "outlet":
        pairs = [_pair(a, b) for a, b in zip(m.source_country, m.target_country)]
        m = m.assign(source=[p[0] for p in pairs], target=[p[1] for p in pairs])
        m = m[m.source.notna() & m.target.notna() & (m.source != m.target)]
    rows = []
    for key, g in m.groupby(keys, sort=True):
        key = key if isinstance(key, tuple) else (key,)
        n = len(g)
        hedged = int(g.hedged.astype(bool).sum())
        spec = int((g.modality == "hypothetical").sum())
        rows.append({**dict(zip(keys, key)), "mentions": n, "hedged": hedged, "speculative": spec,
                     "hedged_share": round(hedged / n, 3), "speculative_share": round(spec / n, 3),
                     "intent_share": round(float((g.modality == "intent").mean()), 3),
                     "negated_share": round(float((g.modality == "negated").mean()), 3),
                     "mention_ids": sorted(g.mention_id)})
    return pd.DataFrame(rows, columns=cols)


# --- genre -----------------------------------------------------------------------------------------

OPINION_LABELS = re.compile(r"\b(op-?ed|opinion|commentary|editorial|column|viewpoint|perspective|"
                            r"analysis and opinion|blog)\b", re.I)
URL_OPINION = re.compile(r"/(opinion|opinions|commentary|op-?ed|editorials?|blogs?|columns?|views?)/", re.I)
TITLE_ARGUE = re.compile(r"^(why|how)\b|\bthe case (for|against)\b|\b(should|must)\b", re.I)
DATELINE = re.compile(r"^\s*[A-Z][A-Z .'’-]{2,40},(?: [A-Z][\w .'’-]{1,40})? ?[—–-]{1,2}\s", re.M)
FIRST_SINGULAR = {"i", "me", "my", "mine", "myself", "i'm", "i've", "i'd"}
FIRST_PLURAL = {"we", "us", "our", "ours", "we're", "we've", "let's"}
SECOND = {"you", "your", "you're", "you've", "yourself"}
PRESCRIPTIVE = re.compile(r"\b(should|must|ought to|needs? to|has to|have to|it is time)\b", re.I)
ATTRIBUTION = re.compile(r"\b(said|says|told|according to|reported|announced|stated|confirmed|denied)\b", re.I)
NEWS_GENRES = {"news", "report", "wire", "brief", "dispatch"}
OPINION_GENRES = {"opinion", "op-ed", "oped", "editorial", "commentary", "column", "analysis", "blog", "essay"}

# Hand-set weights of the opinion score (a logistic over per-article cues). Rates are per 100 words
# of the writer's own text (outside quotation marks); quotes_ratio is the share of body characters
# inside quotation marks. Round values chosen from what each cue means; bias, evaluative, prescriptive
# and attribution weights were then picked from a small grid of round values on the 44 example articles
# and the 4 seeds (in-sample: 46 of 48 agree with the declared genre; see the README).
GENRE_WEIGHTS = {
    "bias": -1.0,
    "label_in_title_or_url": 3.0,  # "Op-ed:", /opinion/ — the outlet says so
    "question_headline": 1.0,
    "arguing_headline": 0.8,  # "Why ...", "The case for ...", "should"
    "first_singular_rate": 1.2,
    "first_plural_rate": 0.25,
    "second_person_rate": 0.6,
    "evaluative_rate": 1.0,
    "prescriptive_rate": 1.5,  # op-eds argue what should be done
    "question_rate": 0.8,  # body questions per 100 words
    "attribution_rate": -1.0,  # said/told/according to: news reports who says what
    "quotes_ratio": -3.0,
    "dateline": -1.5,
}


def _declared_genre(extra: str | None) -> str | None:
    try:
        d = json.loads(extra) if isinstance(extra, str) and extra else {}
    except ValueError:
        return None
    for key in ("genre", "section", "type", "kind"):
        v = d.get(key) if isinstance(d, dict) else None
        if isinstance(v, str):
            v = v.strip().lower()
            if v in OPINION_GENRES:
                return "opinion"
            if v in NEWS_GENRES:
                return "news"
    return None


def genre_cues(text: str, title: str | None, url: str | None, lexicon: EvaluativeLexicon) -> dict[str, float]:
    """The cue values of one article (text already masked)."""
    quotes = quoted_spans(text)
    quoted_chars = sum(e - s for s, e in quotes)
    body_chars = max(1, len(text.strip()))
    own = mask(text, quotes)
    toks = [t for t, _, _ in tokens(own)]
    words = max(1, len(tokens(text)))
    per100 = 100.0 / words
    title = title.strip() if isinstance(title, str) else ""
    url = url if isinstance(url, str) else ""
    return {
        "label_in_title_or_url": float(bool(OPINION_LABELS.search(title) or URL_OPINION.search(url))),
        "question_headline": float(title.endswith("?")),
        "arguing_headline": float(bool(TITLE_ARGUE.search(title))),
        "first_singular_rate": sum(t in FIRST_SINGULAR for t in toks) * per100,
        "first_plural_rate": sum(t in FIRST_PLURAL for t in toks) * per100,
        "second_person_rate": sum(t in SECOND for t in toks) * per100,
        "evaluative_rate": len(score_text(own, lexicon)) * per100,
        "prescriptive_rate": len(PRESCRIPTIVE.findall(own)) * per100,
        "question_rate": own.count("?") * per100,
        "attribution_rate": len(ATTRIBUTION.findall(text)) * per100,
        "quotes_ratio": quoted_chars / body_chars,
        "dateline": float(bool(DATELINE.search(text[:400]))),
    }


def opinion_score(cues: dict[str, float]) -> float:
    z = GENRE_WEIGHTS["bias"] + sum(GENRE_WEIGHTS[k] * v for k, v in cues.items() if k in GENRE_WEIGHTS)
    return 1.0 / (1.0 + math.exp(-z))


def genres(articles: pd.DataFrame, lexicon: EvaluativeLexicon | None = None, use_declared: bool = True,
           threshold: float = 0.5) -> pd.DataFrame:
    """Opinion vs news per article: ``article_id, outlet, genre, opinion_score, cues, declared_genre``.

    ``opinion_score`` comes from the text, title and URL only. ``genre`` is the genre the
    article's metadata declares (``genre``/``section`` field) when it has one and
    ``use_declared``; otherwise ``opinion`` when the score reaches ``threshold``. ``cues``
    lists the cues that fired, with their values.
    """
    lex = lexicon or load_evaluative_lexicon()
    cols = ["article_id", "outlet", "genre", "opinion_score", "cues", "declared_genre", "text_genre"]
    rows = []
    for a in articles.itertuples(index=False):
        spans = [tuple(x) for x in a.masked] if a.masked is not None else []
        cues = genre_cues(mask(a.text, spans), a.title, a.url, lex)
        score = round(opinion_score(cues), 3)
        text_genre = "opinion" if score >= threshold else "news"
        declared = _declared_genre(getattr(a, "extra", None))
        fired = [f"{k}={v:.2f}" for k, v in cues.items() if v]
        if declared:
            fired.insert(0, f"declared={declared}")
        rows.append({"article_id": a.article_id, "outlet": outlet_of(a.outlet, a.article_id),
                     "genre": declared if (declared and use_declared) else text_genre, "opinion_score": score,
                     "cues": fired, "declared_genre": declared, "text_genre": text_genre})
    return pd.DataFrame(rows, columns=cols)


# --- blindspots and the outlet table ---------------------------------------------------------------

BLINDSPOT_COLUMNS = ["event_id", "source_actor", "target_actor", "cameo", "event_date", "modality",
                     "outlets_reporting", "outlets_missing", "missing_while_active", "exclusive_to", "num_sources",
                     "first_seen"]
ACTIVE_DAYS = 30  # an outlet is "active" around an event when it published within this many days of its first report


def event_outlets(events: pd.DataFrame, event_mentions: pd.DataFrame, articles: pd.DataFrame) -> pd.DataFrame:
    """One row per (event_id, outlet, mention_id) from the events' mention lists."""
    cols = ["event_id", "mention_id", "article_id", "outlet"]
    if events.empty:
        return pd.DataFrame(columns=cols)
    ex = events[["event_id", "mention_ids"]].explode("mention_ids").rename(columns={"mention_ids": "mention_id"})
    ex = ex[ex.mention_id.notna()]
    ex = ex.merge(event_mentions[["mention_id", "article_id"]], on="mention_id", how="inner")
    ex["outlet"] = ex.article_id.map(_outlets(articles))
    return ex[cols]


def _published(articles: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame({"outlet": [outlet_of(o, a) for o, a in zip(articles.outlet, articles.article_id)],
                         "date": pd.to_datetime(articles.published, errors="coerce")})


def blindspots(events: pd.DataFrame, event_mentions: pd.DataFrame, articles: pd.DataFrame,
               asserted_only: bool = False, all_events: bool = False) -> pd.DataFrame:
    """Events with the outlets that report them and those that do not (only events some outlet
    misses, unless ``all_events``). ``exclusive_to`` names the outlet when only one reports it;
    ``missing_while_active`` lists the missing outlets that published something within
    ``ACTIVE_DAYS`` days of the event's first report (the sharper blindspot: they were writing, but
    not about this)."""
    ev = events[events.modality == "asserted"] if asserted_only else events
    eo = event_outlets(ev, event_mentions, articles)
    everyone = sorted(set(_outlets(articles).values()))
    pub = _published(articles)
    by_event = eo.groupby("event_id").outlet.agg(lambda s: sorted(set(s))).to_dict()
    rows = []
    for r in ev.sort_values(["event_date", "event_id"], na_position="last").itertuples(index=False):
        rep = by_event.get(r.event_id, [])
        missing = [o for o in everyone if o not in rep]
        if not missing and not all_events:
            continue
        first = pd.to_datetime(getattr(r, "first_seen", None), errors="coerce")
        if pd.isna(first):
            active: list[str] = []
        else:
            near = pub[(pub.date - first).abs() <= pd.Timedelta(days=ACTIVE_DAYS)]
            active = sorted(set(near.outlet) - set(rep))
        rows.append({"event_id": r.event_id, "source_actor": r.source_actor, "target_actor": r.target_actor,
                     "cameo": r.cameo, "event_date": r.event_date, "modality": r.modality,
                     "outlets_reporting": rep, "outlets_missing": missing, "missing_while_active": active,
                     "exclusive_to": rep[0] if len(rep) == 1 else None, "num_sources": r.num_sources,
                     "first_seen": getattr(r, "first_seen", None)})
    return pd.DataFrame(rows, columns=BLINDSPOT_COLUMNS)


DYAD_BLINDSPOT_COLUMNS = ["period", "source", "target", "events", "outlets_reporting", "outlets_missing",
                          "event_ids"]


def dyad_blindspots(events: pd.DataFrame, event_mentions: pd.DataFrame, articles: pd.DataFrame,
                    freq: str = "Y", asserted_only: bool = True) -> pd.DataFrame:
    """Per directed country dyad and period (of the event date): the outlets that report any of its
    events, and the outlets that published in that period (by publication date) but report none."""
    from .relations import dated, period_labels

    ev = dated(events, freq, asserted_only)
    ev = ev[ev.source_country.notna() & ev.target_country.notna() & (ev.source_country != ev.target_country)]
    if ev.empty:
        return pd.DataFrame(columns=DYAD_BLINDSPOT_COLUMNS)
    eo = event_outlets(ev, event_mentions, articles)
    pub = _published(articles)
    pub = pub[pub.date.notna()].assign(period=lambda d: period_labels(d.date, freq))
    active = pub.groupby("period").outlet.agg(lambda s: sorted(set(s))).to_dict()
    rows = []
    for (period, a, b), g in ev.groupby(["period", "source_country", "target_country"], sort=True):
        rep = sorted(set(eo[eo.event_id.isin(g.event_id)].outlet))
        rows.append({"period": period, "source": a, "target": b, "events": len(g), "outlets_reporting": rep,
                     "outlets_missing": [o for o in active.get(period, []) if o not in rep],
                     "event_ids": sorted(g.event_id)})
    return pd.DataFrame(rows, columns=DYAD_BLINDSPOT_COLUMNS)


OUTLET_COLUMNS = ["outlet", "articles", "opinion_share", "mentions", "events", "hedged_share", "speculative_share",
                  "stance_mean", "exclusive_events", "stance_n", "positive", "negative"]


def outlet_table(articles: pd.DataFrame, event_mentions: pd.DataFrame, events: pd.DataFrame,
                 actor_evals: pd.DataFrame, genre_df: pd.DataFrame, asserted_only: bool = False) -> pd.DataFrame:
    """One row per outlet. ``events``/``exclusive_events`` count consolidated events (asserted only
    with ``asserted_only``); the shares are over all the outlet's event mentions; ``stance_mean`` is
    the mean score of all evaluations attributed to an actor in its articles."""
    if articles.empty:
        return pd.DataFrame(columns=OUTLET_COLUMNS)
    outlets = _outlets(articles)
    ev = events[events.modality == "asserted"] if asserted_only else events
    eo = event_outlets(ev, event_mentions, articles)
    n_out = eo.groupby("event_id").outlet.nunique()
    excl_ids = set(n_out[n_out == 1].index)
    hed = hedging(event_mentions, articles, by="outlet").set_index("outlet")
    rows = []
    for outlet in sorted(set(outlets.values())):
        arts = [a for a, o in outlets.items() if o == outlet]
        g = genre_df[genre_df.outlet == outlet]
        e = eo[eo.outlet == outlet]
        s = actor_evals[actor_evals.outlet == outlet] if not actor_evals.empty else actor_evals
        h = hed.loc[outlet] if outlet in hed.index else None
        rows.append({
            "outlet": outlet, "articles": len(arts),
            "opinion_share": round(float((g.genre == "opinion").mean()), 3) if len(g) else 0.0,
            "mentions": int(h.mentions) if h is not None else 0, "events": e.event_id.nunique(),
            "hedged_share": float(h.hedged_share) if h is not None else 0.0,
            "speculative_share": float(h.speculative_share) if h is not None else 0.0,
            "stance_mean": round(float(s.score.mean()), 3) if len(s) else None,
            "exclusive_events": len(set(e.event_id) & excl_ids),
            "stance_n": len(s), "positive": int((s.score > 0).sum()) if len(s) else 0,
            "negative": int((s.score < 0).sum()) if len(s) else 0,
        })
    return pd.DataFrame(rows, columns=OUTLET_COLUMNS)
