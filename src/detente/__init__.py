"""detente: evidence-linked event data from news about international affairs.

Library first; the CLI is a thin layer over these functions::

    import detente
    run = detente.analyze(["examples/articles"], store="detente-data")
    db = detente.open("detente-data")
    db.events.head()
"""

from .version import __version__


def _actors_option(actors):
    """``actors=``: one user actors file (str/Path), several (a list), or None."""
    if actors is None:
        return None
    if isinstance(actors, (str, bytes)) or hasattr(actors, "__fspath__"):
        actors = [actors]
    return tuple(str(a) for a in actors) or None


def analyze(paths, store: str = "./detente-data", actors=None, **options):
    """Analyse files/folders into ``store``; returns the RunRecord.

    ``actors``: user actors files (YAML/CSV/PETRARCH dictionaries; later ones win),
    recorded with their content hashes in the run record."""
    from .config import Config
    from .engines.local import run_analyze

    if actors is not None:
        options["user_actors"] = _actors_option(actors)
    return run_analyze([str(p) for p in paths], Config.from_env(store=str(store), **options))


def open(store: str = "./detente-data"):  # noqa: A001 - the public name is open()
    """Open a store for reading: ``.articles``, ``.mentions``, ``.events``, ``.actors`` DataFrames."""
    from .api import Detente

    return Detente(store)


def code(text: str, date: str | None = None, model: str | None = None, actors=None) -> dict:
    """Code one text statelessly: ``{"actors": [...], "events": [...]}``.

    ``actors``: user actors files (YAML/CSV/PETRARCH dictionaries) to code with."""
    from .coding import code_text
    from .config import Config
    from .pipeline import resources_for

    res = resources_for(Config.from_env(model=model, user_actors=_actors_option(actors)))
    return code_text(text, date, nlp=res.nlp, kb=res.kb, lexicon=res.lexicon)


def code_many(texts, dates=None, *, n_process: int = 1, batch_size: int = 32, model: str | None = None,
              as_tuples: bool = False):
    """Code many texts, like spaCy's ``nlp.pipe``: a generator of ``code()`` results, in input order."""
    from .batch import code_many as _code_many

    return _code_many(texts, dates, n_process=n_process, batch_size=batch_size, model=model, as_tuples=as_tuples)


__all__ = ["analyze", "open", "code", "code_many", "__version__"]
