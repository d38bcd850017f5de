"""The KB/lexicon pickle cache: built at first use, read after, never stale, never in the way."""

import os
import shutil
import time

import pytest

from detente import pipeline

INVENTED = os.path.join(os.path.dirname(__file__), "fixtures", "metamorphic", "invented.yaml")


def _state(kb, lexicon):
    """What the coder reads from the two (the aliases and the patterns), comparable across processes."""
    return kb.aliases, kb.user_overrides, lexicon.index


@pytest.fixture
def cache(tmp_path, monkeypatch):
    d = tmp_path / "cache"
    monkeypatch.setenv(pipeline.CACHE_ENV, str(d))
    return d


def test_built_at_first_use_then_read(cache):
    kb, lex = pipeline.kb_and_lexicon()
    files = list(cache.glob("kb-lexicon-*.pickle"))
    assert len(files) == 1
    again = pipeline.kb_and_lexicon()
    assert again[0] is not kb  # unpickled, not the per-process lru_cache
    assert _state(*again) == _state(kb, lex)


def test_user_files_have_their_own_entry_and_a_change_is_a_miss(cache, tmp_path):
    user = tmp_path / "mine.yaml"
    shutil.copy(INVENTED, user)
    plain = pipeline.kb_and_lexicon()
    with_user = pipeline.kb_and_lexicon(str(user))
    assert len(list(cache.glob("kb-lexicon-*.pickle"))) == 2
    assert _state(*with_user) != _state(*plain)
    key = pipeline._sources_key(str(user), None)
    time.sleep(0.01)
    user.write_text(user.read_text("utf-8") + "\n", "utf-8")
    assert pipeline._sources_key(str(user), None) != key


def test_a_broken_cache_file_is_rebuilt(cache):
    good = _state(*pipeline.kb_and_lexicon())
    (f,) = cache.glob("kb-lexicon-*.pickle")
    f.write_bytes(b"not a pickle")
    assert _state(*pipeline.kb_and_lexicon()) == good
    assert f.read_bytes() != b"not a pickle"


def test_off_and_unwritable_mean_no_cache(tmp_path, monkeypatch):
    monkeypatch.setenv(pipeline.CACHE_ENV, "off")
    ref = _state(*pipeline.kb_and_lexicon())
    blocked = tmp_path / "file-not-dir"
    blocked.write_text("x")
    monkeypatch.setenv(pipeline.CACHE_ENV, str(blocked / "sub"))
    assert _state(*pipeline.kb_and_lexicon()) == ref


# -- the language model's arrays (py3langid ships them LZMA-compressed) --------

TEXTS = ["Russia and North Korea signed a treaty on Tuesday in Pyongyang.",
         "Das Treffen fand gestern in Berlin statt, sagte der Sprecher.",
         "Le ministre a rencontré son homologue chinois à Pékin.",
         "Президент встретился с послом в Москве.", "ok", "12 34 56"]


def _fresh_identifier():
    from detente.ingest import lang

    lang._identifier.cache_clear()
    try:
        return lang._identifier()
    finally:
        lang._identifier.cache_clear()


def test_language_model_is_cached_mapped_and_classifies_the_same(cache):
    import numpy as np
    import py3langid.langid as L

    ref = L.LanguageIdentifier.from_modelpath(L.MODEL_DIR / L.MODEL_FILE, norm_probs=True)
    built = _fresh_identifier()  # decompresses the shipped model, writes the cache
    (folder,) = cache.glob("langid-*")
    assert sorted(p.name for p in folder.iterdir()) == ["nb_pc.npy", "nb_ptc.npy", "rest.pickle", "tk_nextmove.npy"]
    read = _fresh_identifier()
    assert isinstance(read.nb_ptc, np.memmap) and isinstance(read.tk_nextmove, memoryview)
    for text in TEXTS:
        assert read.classify(text) == built.classify(text) == ref.classify(text)


def test_a_broken_language_cache_is_rebuilt_and_off_writes_none(cache, monkeypatch):
    good = [_fresh_identifier().classify(t) for t in TEXTS]
    (folder,) = cache.glob("langid-*")
    (folder / "rest.pickle").write_bytes(b"not a pickle")
    assert [_fresh_identifier().classify(t) for t in TEXTS] == good
    assert (folder / "rest.pickle").read_bytes() != b"not a pickle"  # rewritten
    monkeypatch.setenv(pipeline.CACHE_ENV, "off")
    shutil.rmtree(cache)
    assert [_fresh_identifier().classify(t) for t in TEXTS] == good
    assert not cache.exists()
