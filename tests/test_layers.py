"""Import contracts of src/detente, checked on the source (no model needed).

Every import statement is read with ``ast``, function-level ones included:
(a) no import cycle between modules; (b) no private name (``_x``) imported
from another module; (c) each package imports only from its own layer or the
layers below it, and inside ``actors/`` likewise.
"""

from __future__ import annotations

import ast
from pathlib import Path

PKG = Path(__file__).resolve().parents[1] / "src" / "detente"

# Layers, lowest first. A module may import from its own layer and any lower one.
# Keys are the first component below ``detente`` (a package or a top-level module).
LAYERS = [
    {"types", "errors", "config", "resources", "schema", "version", "periods", "tabular"},
    {"ingest", "nlp", "actors"},
    {"coding"},
    {"analysis", "pipeline"},
    {"store"},
    {"exports", "engines", "plots"},
    {"api", "evaluate", "doctor", "batch"},
    {"cli", "cli_export", "cli_relations", "cli_web", "cli_output", "cli_checks", "web", "__init__",
     "__main__"},
]
# Inside actors/: the data model, facts about a doc, the rules, the runner.
ACTOR_LAYERS = [
    {"kb"},
    {"doc"},
    {"rules"},
    {"resolve", "lookup", "petrarch", "__init__"},
]


def module_name(path: Path, pkg: Path = PKG) -> str:
    rel = path.relative_to(pkg.parent).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def is_package(path: Path) -> bool:
    return path.name == "__init__.py"


def imports_of(path: Path, modules: set[str], pkg: Path = PKG):
    """(imported module, names, line) for every detente import in ``path``."""
    mod = module_name(path, pkg)
    base = mod.split(".") if is_package(path) else mod.split(".")[:-1]
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.Import):
            for a in node.names:
                if a.name.split(".")[0] == "detente":
                    yield a.name, [], node.lineno
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                parent = base[: len(base) - node.level + 1]
                target = ".".join(parent + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            if target.split(".")[0] != "detente":
                continue
            names = [a.name for a in node.names]
            # "from . import x" / "from .pkg import mod": a submodule is imported, not a name
            subs = [n for n in names if f"{target}.{n}" in modules]
            for n in subs:
                yield f"{target}.{n}", [], node.lineno
            rest = [n for n in names if n not in subs]
            if rest or not subs:
                yield target, rest, node.lineno


def graph(pkg: Path = PKG):
    files = {module_name(p, pkg): p for p in pkg.rglob("*.py")}
    modules = set(files)
    edges: dict[str, list[tuple[str, list[str], int]]] = {}
    for mod, path in files.items():
        out = []
        for target, names, line in imports_of(path, modules, pkg):
            if target not in modules:
                raise AssertionError(f"{path}:{line}: import of unknown module {target}")
            out.append((target, names, line))
        edges[mod] = out
    return files, edges


FILES, EDGES = graph()


def _rel(mod: str, files=None) -> str:
    path = (files or FILES)[mod]
    up = len(mod.split(".")) - (0 if path.name == "__init__.py" else 1)
    return str(path.relative_to(path.parents[up]))


def _ancestors(mod: str) -> set[str]:
    parts = mod.split(".")
    return {".".join(parts[:i]) for i in range(1, len(parts))}


def cycles(EDGES=EDGES) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan).

    An import of a package's ``__init__`` from inside that package is counted
    too: it is a real edge at import time."""
    index, low, stack, on, out = {}, {}, [], set(), []
    counter = [0]

    def visit(v):
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        for w, _, _ in EDGES[v]:
            if w == v:
                continue
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                out.append(sorted(comp))

    import sys

    sys.setrecursionlimit(10000)
    for v in sorted(EDGES):
        if v not in index:
            visit(v)
    return out


def test_no_import_cycles():
    found = cycles()
    assert not found, "import cycles:\n" + "\n".join(" ↔ ".join(c) for c in found)


def private_imports(EDGES=EDGES, files=None) -> list[str]:
    bad = []
    for mod, edges in EDGES.items():
        for target, names, line in edges:
            if target == mod:
                continue
            for n in names:
                if n.startswith("_") and not n.startswith("__"):
                    bad.append(f"{_rel(mod, files)}:{line}: {n} from {target}")
            if any(p.startswith("_") and p != "__init__" for p in target.split(".")[1:]):
                bad.append(f"{_rel(mod, files)}:{line}: private module {target}")
    return bad


def test_no_private_names_imported_across_modules():
    bad = private_imports()
    assert not bad, "private names imported from another module:\n" + "\n".join(bad)


def _layer(key: str, layers) -> int:
    for i, group in enumerate(layers):
        if key in group:
            return i
    raise AssertionError(f"{key} is in no declared layer: add it to tests/test_layers.py")


def _violations(prefix: str, layers) -> list[str]:
    depth = len(prefix.split("."))
    bad = []
    for mod, edges in EDGES.items():
        if not (mod + ".").startswith(prefix + ".") or mod == prefix:
            continue
        src = mod.split(".")[depth] if len(mod.split(".")) > depth else "__init__"
        for target, _, line in edges:
            if not (target + ".").startswith(prefix + "."):
                continue
            parts = target.split(".")
            dst = parts[depth] if len(parts) > depth else "__init__"
            if dst == src:
                continue
            if _layer(dst, layers) > _layer(src, layers):
                bad.append(f"{_rel(mod)}:{line}: {src} (layer {_layer(src, layers)}) imports "
                           f"{target} (layer {_layer(dst, layers)})")
    return bad


def test_package_layers():
    bad = _violations("detente", LAYERS)
    assert not bad, "imports against the layer contract:\n" + "\n".join(bad)


def test_actor_layers():
    bad = _violations("detente.actors", ACTOR_LAYERS)
    assert not bad, "imports against the actors/ layer contract:\n" + "\n".join(bad)


def test_every_module_is_in_a_layer():
    for mod in FILES:
        parts = mod.split(".")
        if len(parts) > 1:
            _layer(parts[1], LAYERS)
        if parts[:2] == ["detente", "actors"] and len(parts) > 2:
            _layer(parts[2], ACTOR_LAYERS)


def test_the_checker_finds_cycles_and_private_imports_inside_functions(tmp_path):
    """The checks themselves, on a made-up package: a cycle closed by an import inside
    a function, and a private name imported the same way."""
    pkg = tmp_path / "detente"
    (pkg / "sub").mkdir(parents=True)
    (pkg / "__init__.py").write_text("")
    (pkg / "sub" / "__init__.py").write_text("")
    (pkg / "a.py").write_text("from .sub import b\n\ndef f():\n    return b\n")
    (pkg / "sub" / "b.py").write_text("def g():\n    from ..a import _hidden\n    return _hidden\n")
    (pkg / "c.py").write_text("import detente.a\n")
    files, edges = graph(pkg)
    assert cycles(edges) == [["detente.a", "detente.sub.b"]]
    assert private_imports(edges, files) == ["detente/sub/b.py:2: _hidden from detente.a"]
    assert ("detente.a", [], 1) in edges["detente.c"]


def test_rules_do_not_import_each_other():
    """What two rules share is a fact about the document (doc/), not another rule."""
    bad = [f"{_rel(mod)}:{line}: imports {target}"
           for mod, edges in EDGES.items() if mod.startswith("detente.actors.rules.")
           for target, _, line in edges
           if target.startswith("detente.actors.rules.") and target != mod
           and target != "detente.actors.rules.registry"]
    assert not bad, "\n".join(bad)


def test_every_rule_module_registers_a_rule():
    """A module in rules/ that registers nothing would be imported and never run."""
    for path in (PKG / "actors" / "rules").glob("*.py"):
        if path.stem in ("__init__", "registry"):
            continue
        assert "@rule(" in path.read_text("utf-8"), f"{path.name} registers no rule"


def test_one_home_for_the_locative_prepositions():
    """A set literal of place prepositions ("in", "at", "near", ...) is written once in
    actors/ (doc/syntax.py); rules use the named sets from there."""
    found = []
    for path in sorted((PKG / "actors").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if isinstance(node, (ast.Set, ast.Tuple, ast.List)):
                words = {e.value for e in node.elts if isinstance(e, ast.Constant)}
                if {"in", "at", "near"} <= words:
                    found.append(f"{path.relative_to(PKG)}:{node.lineno}")
    assert {f.split(":")[0] for f in found} == {"actors/doc/syntax.py"}, found


def test_other_packages_use_the_public_surface_of_actors():
    """Outside actors/, code imports ``detente.actors`` (its public API) or the KB data
    model ``detente.actors.kb``; never a rule, the resolver or a doc helper."""
    allowed = {"detente.actors", "detente.actors.kb", "detente.actors.petrarch", "detente.actors.lookup"}
    bad = [f"{_rel(mod)}:{line}: {target}"
           for mod, edges in EDGES.items() if not (mod + ".").startswith("detente.actors.")
           for target, _, line in edges
           if target.startswith("detente.actors") and target not in allowed]
    assert not bad, "\n".join(bad)
