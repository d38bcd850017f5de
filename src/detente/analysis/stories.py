"""Stories: near-duplicate and republished articles grouped as one story.

Syndicated copies are found two ways:
- MinHash over word 5-gram shingles of the analysed (masked) text, with
  datasketch's LSH index to find candidate pairs, then the estimated Jaccard
  similarity must reach ``threshold``;
- the ingest metadata "This article originally appeared at X": a copy whose
  ``originally_published_by`` names the outlet of an article in its group
  points at that article as the original.

Each group is one story; its id is the id of the original (the earliest
published article, ties broken by id), so adding articles keeps it stable.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

import numpy as np
import pandas as pd

from ..ingest.clean import mask
from ..types import Story

_WORD = re.compile(r"\w+")


def shingles(text: str, k: int = 5) -> set[bytes]:
    words = _WORD.findall(text.lower())
    if len(words) < k:
        return {" ".join(words).encode()} if words else set()
    return {" ".join(words[i:i + k]).encode() for i in range(len(words) - k + 1)}


def signatures(articles: pd.DataFrame, known: Mapping[str, np.ndarray] | None = None,
               num_perm: int = 128) -> dict[str, np.ndarray]:
    """The MinHash signature of each article's analysed text, keyed by ``content_hash``.

    Signatures in ``known`` (from an earlier run) are reused, so a re-run hashes
    only new or changed articles: hashing is the costly part of story detection.
    """
    return signatures_of(zip(*(articles[c].tolist() for c in ("content_hash", "text", "masked"))), known, num_perm)


def signatures_of(rows: Iterable[tuple], known: Mapping[str, np.ndarray] | None = None,
                  num_perm: int = 128) -> dict[str, np.ndarray]:
    """:func:`signatures` of ``(content_hash, text, masked)`` rows (an Article's fields, no DataFrame)."""
    from datasketch import MinHash

    known = known or {}
    template = MinHash(num_perm=num_perm)  # one seed for all; copies share its permutations
    dtype = template.hashvalues.dtype
    out: dict[str, np.ndarray] = {}
    for key, text, masked in rows:
        if key in known and known[key].dtype == dtype and len(known[key]) == num_perm:
            out[key] = known[key]
            continue
        spans = [tuple(x) for x in masked] if masked is not None else []
        m = template.copy()
        m.update_batch(sorted(shingles(mask(text, spans))))
        out[key] = m.hashvalues
    return out


def find_stories(articles: pd.DataFrame, threshold: float = 0.8, num_perm: int = 128,
                 sigs: Mapping[str, np.ndarray] | None = None) -> list[Story]:
    """One Story row per article (singletons included); ``articles`` needs text, masked,
    article_id, outlet, published and originally_published_by columns (and content_hash
    when ``sigs``, precomputed :func:`signatures`, are given; first_stored, when it has it,
    breaks ties between equally dated members)."""
    from datasketch import MinHash, MinHashLSH

    if articles.empty:
        return []
    if sigs is None:
        articles = articles.assign(content_hash=articles["article_id"])
        sigs = signatures(articles, num_perm=num_perm)
    lsh = MinHashLSH(threshold=threshold, num_perm=num_perm)
    template = MinHash(num_perm=num_perm)
    hashes: dict[str, MinHash] = {}
    for aid, key in zip(articles["article_id"], articles["content_hash"]):
        m = template.copy()
        m.hashvalues = sigs[key]
        hashes[aid] = m
        lsh.insert(aid, m)
    groups, sims = group_near_duplicates(
        hashes, ((a, b, m.jaccard(hashes[b])) for a, m in hashes.items() for b in lsh.query(m) if b != a),
        threshold)
    first = articles["first_stored"].tolist() if "first_stored" in articles else [None] * len(articles)
    meta = {aid: (o, p, ob, f) for aid, o, p, ob, f in zip(*(articles[c].tolist() for c in
            ("article_id", "outlet", "published", "originally_published_by")), first)}
    out = [s for members in groups for s in story_rows(members, meta, sims)]
    return sorted(out, key=lambda s: s.article_id)


def group_near_duplicates(ids: Iterable[str], scored_pairs: Iterable[tuple[str, str, float]],
                          threshold: float) -> tuple[list[list[str]], dict[str, float]]:
    """Groups of ``ids`` joined by the pairs scoring at least ``threshold`` (union-find), in
    the order of ``ids``, and each member's best similarity. Shared by the full pass and the
    incremental update (``analysis.incremental``), so both group alike."""
    parent: dict[str, str] = {}

    def find(a: str) -> str:
        parent.setdefault(a, a)
        while parent[a] != a:
            parent[a] = parent[parent[a]]
            a = parent[a]
        return a

    sims: dict[str, float] = {}
    for a, b, sim in scored_pairs:
        if sim >= threshold:
            parent[find(a)] = find(b)
            sims[a] = max(sims.get(a, 0.0), sim)
            sims[b] = max(sims.get(b, 0.0), sim)
    groups: dict[str, list[str]] = {}
    for a in ids:
        groups.setdefault(find(a), []).append(a)
    return list(groups.values()), sims


def story_rows(members: list[str], meta: Mapping[str, tuple], sims: Mapping[str, float]) -> list[Story]:
    """The Story rows of one group of near-duplicates. ``meta`` maps an article id to
    (outlet, published, originally_published_by, first stored); ``sims`` holds each member's best similarity.

    The original is the earliest published member; among members with the same
    date, or none, the one stored first (so a reprint that arrives later never
    takes over its original's story, and the story's events keep their ids),
    then the smallest id."""
    def order(a: str):
        pub, first = meta[a][1], meta[a][3]
        return (pub if isinstance(pub, str) and pub else "9999", first if isinstance(first, str) else "", a)

    members = sorted(members, key=order)
    original = members[0]
    # A copy that names its origin: prefer the member published by that outlet.
    for a in members:
        origin = meta[a][2]
        if isinstance(origin, str) and origin:
            named = [b for b in members if b != a and _same_outlet(meta[b][0], origin)]
            if named:
                original = named[0]
                break
    out = []
    for a in members:
        origin = meta[a][2]
        reason = ("original" if a == original else
                  "reprint:originally-appeared" if isinstance(origin, str) and origin else "near-duplicate")
        out.append(Story(article_id=a, story_id=original, is_copy=a != original,
                         similarity=round(sims.get(a, 1.0 if len(members) == 1 else 0.0), 3), reason=reason))
    return out


def story_date(members: list[str], meta: Mapping[str, tuple]) -> str | None:
    """A story's date: the earliest publication date among its members (None when none is dated)."""
    dates = [meta[a][1] for a in members if isinstance(meta[a][1], str) and meta[a][1]]
    return min(dates) if dates else None


def _same_outlet(a, b) -> bool:
    norm = lambda x: re.sub(r"[^a-z0-9]", "", str(x).lower().removeprefix("the "))  # noqa: E731
    return isinstance(a, str) and norm(a) == norm(b)
