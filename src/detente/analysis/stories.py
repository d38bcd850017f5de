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
from collections.abc import Mapping

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
    from datasketch import MinHash

    known = known or {}
    template = MinHash(num_perm=num_perm)  # one seed for all; copies share its permutations
    dtype = template.hashvalues.dtype
    out: dict[str, np.ndarray] = {}
    for key, text, masked in zip(*(articles[c].tolist() for c in ("content_hash", "text", "masked"))):
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
    when ``sigs``, precomputed :func:`signatures`, are given)."""
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
    parent = {a: a for a in hashes}

    def find(a: str) -> str:
        while parent[a] != a:
            parent[a] = parent[parent[a]]
            a = parent[a]
        return a

    sims: dict[str, float] = {}
    for a, m in hashes.items():
        for b in lsh.query(m):
            if b != a:
                sim = m.jaccard(hashes[b])
                if sim >= threshold:
                    parent[find(a)] = find(b)
                    sims[a] = max(sims.get(a, 0.0), sim)
                    sims[b] = max(sims.get(b, 0.0), sim)
    meta = articles.set_index("article_id")
    groups: dict[str, list[str]] = {}
    for a in hashes:
        groups.setdefault(find(a), []).append(a)
    out: list[Story] = []
    for members in groups.values():
        def order(a: str):
            pub = meta.at[a, "published"]
            return (pub if isinstance(pub, str) and pub else "9999", a)

        members.sort(key=order)
        original = members[0]
        # A copy that names its origin: prefer the member published by that outlet.
        for a in members:
            origin = meta.at[a, "originally_published_by"]
            if isinstance(origin, str) and origin:
                named = [b for b in members if b != a and _same_outlet(meta.at[b, "outlet"], origin)]
                if named:
                    original = named[0]
                    break
        for a in members:
            origin = meta.at[a, "originally_published_by"]
            reason = ("original" if a == original else
                      "reprint:originally-appeared" if isinstance(origin, str) and origin else "near-duplicate")
            out.append(Story(article_id=a, story_id=original, is_copy=a != original,
                             similarity=round(sims.get(a, 1.0 if len(members) == 1 else 0.0), 3), reason=reason))
    return sorted(out, key=lambda s: s.article_id)


def _same_outlet(a, b) -> bool:
    norm = lambda x: re.sub(r"[^a-z0-9]", "", str(x).lower().removeprefix("the "))  # noqa: E731
    return isinstance(a, str) and norm(a) == norm(b)
