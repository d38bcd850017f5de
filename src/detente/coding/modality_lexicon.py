"""The modality word lists (``coding/data/modality.yaml``): keys, loader and schema check."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from ..errors import DetenteError
from ..resources import package_yaml

_LIST_KEYS = (
    "intent_modals",
    "hypothetical_modals",
    "desire_verbs",
    "intent_control_verbs",
    "intent_adjectives",
    "intent_nouns",
    "negating_control_verbs",
    "negating_clause_verbs",
    "negation_words",
    "negation_exceptions",
    "negative_determiners",
    "negative_pronouns",
    "hypothetical_adverbs",
    "hypothetical_predicates",
    "conditional_marks",
    "concessive_if_modifiers",
    "inversion_auxiliaries",
    "hedge_adverbs",
    "hedge_raising_verbs",
    "hedge_passive_verbs",
    "hedge_adjectives",
    "vague_source_nouns",
    "vague_source_modifiers",
    "hedging_reporting_verbs",
    "reporting_verbs",
    "reporting_nouns",
    "according_words",
    "claim_nouns",
    "exclusion_verbs",
)
# keys added after the first release: optional in user files (empty when absent)
_OPTIONAL_KEYS = ("directive_nouns", "accusation_verbs", "alternative_markers", "excess_adverbs",
                  "prospect_nouns", "scarcity_modifiers", "hypothetical_modifiers", "intent_modifiers",
                  "withholding_heads", "negating_nouns", "pending_adverbs", "pending_marks",
                  "intent_object_verbs", "hypothetical_object_verbs")


@dataclass(frozen=True, slots=True)
class ModalityLexicon:
    """The word lists of modality.yaml, as frozensets (see that file)."""

    intent_modals: frozenset[str]
    hypothetical_modals: frozenset[str]
    desire_verbs: frozenset[str]
    intent_control_verbs: frozenset[str]
    intent_adjectives: frozenset[str]
    intent_nouns: frozenset[str]
    negating_control_verbs: frozenset[str]
    negating_clause_verbs: frozenset[str]
    negation_words: frozenset[str]
    negation_exceptions: frozenset[str]
    negative_determiners: frozenset[str]
    negative_pronouns: frozenset[str]
    hypothetical_adverbs: frozenset[str]
    hypothetical_predicates: frozenset[str]
    conditional_marks: frozenset[str]
    concessive_if_modifiers: frozenset[str]
    inversion_auxiliaries: frozenset[str]
    hedge_adverbs: frozenset[str]
    hedge_raising_verbs: frozenset[str]
    hedge_passive_verbs: frozenset[str]
    hedge_adjectives: frozenset[str]
    vague_source_nouns: frozenset[str]
    vague_source_modifiers: frozenset[str]
    hedging_reporting_verbs: frozenset[str]
    reporting_verbs: frozenset[str]
    reporting_nouns: frozenset[str]
    according_words: frozenset[str]
    claim_nouns: frozenset[str]
    exclusion_verbs: frozenset[str]
    directive_nouns: frozenset[str] = frozenset()
    accusation_verbs: frozenset[str] = frozenset()
    alternative_markers: frozenset[str] = frozenset()
    excess_adverbs: frozenset[str] = frozenset()
    prospect_nouns: frozenset[str] = frozenset()
    scarcity_modifiers: frozenset[str] = frozenset()
    hypothetical_modifiers: frozenset[str] = frozenset()
    intent_modifiers: frozenset[str] = frozenset()
    withholding_heads: frozenset[str] = frozenset()
    negating_nouns: frozenset[str] = frozenset()
    pending_adverbs: frozenset[str] = frozenset()
    pending_marks: frozenset[str] = frozenset()
    intent_object_verbs: frozenset[str] = frozenset()
    hypothetical_object_verbs: frozenset[str] = frozenset()


def lexicon_from_dict(data: dict, origin: str = "<dict>") -> ModalityLexicon:
    """Build a lexicon from parsed YAML, checking the schema."""
    if not isinstance(data, dict):
        raise DetenteError("E304", f"{origin}: modality lexicon is not a mapping")
    missing = [k for k in _LIST_KEYS if k not in data]
    if missing:
        raise DetenteError("E304", f"{origin}: modality lexicon lacks keys {missing}",
                           "every word-list key of the packaged modality.yaml is required")
    values = {}
    for key in (*_LIST_KEYS, *(k for k in _OPTIONAL_KEYS if k in data)):
        words = data[key]
        if not isinstance(words, list) or not all(isinstance(w, str) for w in words):
            raise DetenteError("E304", f"{origin}: {key!r} must be a list of strings")
        values[key] = frozenset(w.lower() for w in words)
    return ModalityLexicon(**values)


@lru_cache(maxsize=1)
def load_modality_lexicon() -> ModalityLexicon:
    """The packaged modality lexicon (coding/data/modality.yaml), loaded once."""
    return lexicon_from_dict(package_yaml("detente.coding", "data/modality.yaml"), "coding/data/modality.yaml")
