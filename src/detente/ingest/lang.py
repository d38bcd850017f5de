"""Language check with py3langid (a small model shipped inside its PyPI package)."""

from __future__ import annotations

import logging
from functools import lru_cache

log = logging.getLogger(__name__)


@lru_cache(maxsize=1)
def _identifier():
    import py3langid.langid as L

    path = L.MODEL_DIR / L.MODEL_FILE
    folder = _model_cache(path)
    if folder is not None and folder.is_dir():
        try:
            return _read_model(L, folder)
        except Exception:  # noqa: BLE001 - a broken cache is rebuilt, never trusted
            import shutil

            log.info("language model cache %s unreadable; rebuilding it", folder)
            shutil.rmtree(folder, ignore_errors=True)
    ident = L.LanguageIdentifier.from_modelpath(path, norm_probs=True)
    if folder is not None:
        _write_model(ident, folder)
    return ident


# py3langid ships its model LZMA-compressed: decompressing it costs about 0.3 s, a sixth of the
# start-up of a short `detente analyze`. Its arrays are kept decompressed in detente's cache folder
# and the large one (features x languages, about 28 MB) is memory-mapped, so only the rows of the
# features a text has are read. Hand-written: py3langid has no cache of its own.

def _model_cache(path):
    """The cache folder for the model file at ``path``, keyed by everything it is built from."""
    import hashlib
    import os
    import sys

    import numpy
    import py3langid

    from ..resources import cache_dir

    root = cache_dir()
    if root is None:
        return None
    try:
        st = os.stat(path)
    except OSError:
        return None
    key = f"{getattr(py3langid, '__version__', '?')}|{numpy.__version__}|{sys.version}|{path}|" \
          f"{st.st_size}|{st.st_mtime_ns}"
    return root / f"langid-{hashlib.sha1(key.encode()).hexdigest()[:20]}"


def _read_model(L, folder):
    import pickle

    import numpy as np

    ptc = np.load(folder / "nb_ptc.npy", mmap_mode="r", allow_pickle=False)
    pc = np.load(folder / "nb_pc.npy", allow_pickle=False)
    # the tokenizer's transition table (about 40 MB): indexed one byte of text at a time, as the
    # stdlib array py3langid builds; a memoryview of the mapped file indexes the same way, to ints
    nextmove = memoryview(np.load(folder / "tk_nextmove.npy", mmap_mode="r", allow_pickle=False))
    with open(folder / "rest.pickle", "rb") as f:
        classes, row, output = pickle.load(f)
    return L.LanguageIdentifier(ptc, pc, classes, nextmove, output, norm_probs=True, tk_row=row)


def _write_model(ident, folder) -> None:
    import os
    import pickle
    import shutil
    import tempfile

    import numpy as np

    try:
        folder.parent.mkdir(parents=True, exist_ok=True)
        tmp = tempfile.mkdtemp(dir=folder.parent, prefix=".tmp-langid-")
        try:
            np.save(os.path.join(tmp, "nb_ptc.npy"), np.ascontiguousarray(ident.nb_ptc), allow_pickle=False)
            np.save(os.path.join(tmp, "nb_pc.npy"), np.asarray(ident.nb_pc), allow_pickle=False)
            nm = ident.tk_nextmove
            np.save(os.path.join(tmp, "tk_nextmove.npy"), np.frombuffer(nm, dtype=f"u{nm.itemsize}"),
                    allow_pickle=False)
            with open(os.path.join(tmp, "rest.pickle"), "wb") as f:
                pickle.dump((ident.nb_classes, ident.tk_row, ident.tk_output), f,
                            protocol=pickle.HIGHEST_PROTOCOL)
            os.rename(tmp, folder)  # atomic: a reader sees no folder or a whole one
        except BaseException:
            shutil.rmtree(tmp, ignore_errors=True)  # also when another process renamed its copy first
            raise
    except (OSError, pickle.PicklingError, TypeError, ValueError) as e:
        log.info("language model cache not written (%s)", e)


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
