"""The registry of resolution rules and the order they run in.

A rule is a function ``fn(ctx: Context) -> None`` that claims tokens through the
:class:`~detente.actors.doc.context.Context` API. It registers itself with
``@rule("name", after="other")``: it runs after ``other`` (a name or a tuple of
names). :func:`ordered` returns the rules in an order that respects every
``after``; rules with no constraint between them keep the order they were
registered in. Order matters because a token claimed by one rule is no longer
free for the next ("Russian Foreign Minister Sergei Lavrov" is one person before
"Russian" could become a country).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from ...errors import DetenteError


@dataclass(frozen=True, slots=True)
class Rule:
    name: str
    fn: Callable
    after: tuple[str, ...] = ()
    doc: str = ""


RULES: dict[str, Rule] = {}


def rule(name: str, after: str | tuple[str, ...] = ()) -> Callable[[Callable], Callable]:
    """Register a resolution rule under ``name``, to run after the rules in ``after``."""
    deps = (after,) if isinstance(after, str) else tuple(after)

    def register(fn: Callable) -> Callable:
        if name in RULES and RULES[name].fn is not fn:
            raise DetenteError("E303", f"two actor rules are named {name!r}")
        RULES[name] = Rule(name, fn, deps, (fn.__doc__ or "").strip().split("\n")[0])
        return fn

    return register


def ordered(disable: tuple[str, ...] | frozenset[str] = ()) -> list[Rule]:
    """The registered rules in running order, without those named in ``disable``.

    A disabled rule's place in the order stays (the rules after it still run after
    the ones before it). Raises E303 for an unknown name or a cycle of ``after``s.
    The order is worked out once per set of registered rules and ``disable`` (the
    resolver asks for it for every document)."""
    key = (tuple(RULES.values()), tuple(sorted(disable)))
    hit = _ORDERS.get(key)
    if hit is None:
        hit = _ORDERS[key] = _ordered(disable)
    return list(hit)


_ORDERS: dict[tuple, list[Rule]] = {}


def _ordered(disable: tuple[str, ...] | frozenset[str]) -> list[Rule]:
    unknown = set(disable) - set(RULES)
    if unknown:
        raise DetenteError("E303", f"unknown actor rule(s) {', '.join(sorted(unknown))}; "
                           f"known: {', '.join(RULES)}")
    for r in RULES.values():
        missing = [d for d in r.after if d not in RULES]
        if missing:
            raise DetenteError("E303", f"actor rule {r.name!r} runs after unknown {missing}")
    done: list[Rule] = []
    placed: set[str] = set()
    pending = list(RULES.values())
    while pending:
        nxt = next((r for r in pending if all(d in placed for d in r.after)), None)
        if nxt is None:
            raise DetenteError("E303", "actor rules' 'after' declarations form a cycle: "
                               + ", ".join(r.name for r in pending))
        pending.remove(nxt)
        placed.add(nxt.name)
        done.append(nxt)
    return [r for r in done if r.name not in disable]
