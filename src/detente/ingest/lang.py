"""Language check with py3langid (a small model shipped inside its PyPI package)."""

from __future__ import annotations

from functools import lru_cache


@lru_cache(maxsize=1)
def _identifier():
    import py3langid.langid as L

    return L.LanguageIdentifier.from_modelpath(L.MODEL_DIR / L.MODEL_FILE, norm_probs=True)


def detect_language(text: str, sample: int = 4000) -> tuple[str, float]:
    """(ISO 639-1 code, probability) for the first ``sample`` characters of ``text``."""
    snippet = " ".join(text[:sample].split())
    if not snippet:
        return "und", 0.0
    lang, prob = _identifier().classify(snippet)
    return str(lang), float(prob)


def is_english(text: str, min_prob: float = 0.5) -> tuple[bool, str, float]:
    lang, prob = detect_language(text)
    # Short texts are noisy: only call a text foreign when the model is sure.
    ok = lang == "en" or prob < min_prob
    return ok, lang, prob
