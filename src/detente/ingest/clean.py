"""Cleaning by masking: boilerplate and front matter become spaces.

Nothing is cut out of the text. Masked characters are replaced with spaces
(newlines are kept), so every offset into the masked text is also an offset
into the original text, and evidence can always be quoted from the source.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import yaml

from ..errors import DetenteError, InputSkipped
from ..resources import package_yaml


@dataclass(frozen=True, slots=True)
class BoilerplateRule:
    name: str
    regex: re.Pattern
    keep: str | None


@lru_cache(maxsize=1)
def boilerplate_rules() -> tuple[BoilerplateRule, ...]:
    raw = package_yaml("detente.ingest", "data/boilerplate.yaml")
    rules = []
    for i, p in enumerate(raw.get("patterns", [])):
        try:
            rules.append(BoilerplateRule(p["name"], re.compile(p["regex"], re.I), p.get("keep")))
        except (KeyError, re.error) as e:  # shipped data: a broken pattern is a bug
            raise DetenteError("E304", f"boilerplate.yaml: pattern {i}: {e}") from e
    return tuple(rules)


def find_boilerplate(text: str, start: int = 0) -> tuple[list[tuple[int, int]], dict[str, str]]:
    """Spans of boilerplate lines in ``text[start:]`` and the metadata they carry."""
    spans: list[tuple[int, int]] = []
    meta: dict[str, str] = {}
    rules = boilerplate_rules()
    pos = start
    for line in text[start:].splitlines(keepends=True):
        stripped = line.strip()
        if stripped and len(stripped) <= 300:
            for rule in rules:
                m = rule.regex.match(stripped)
                if m:
                    lead = len(line) - len(line.lstrip())
                    spans.append((pos + lead, pos + lead + len(stripped)))
                    if rule.keep and m.group(rule.keep):
                        meta.setdefault(rule.keep, m.group(rule.keep).strip())
                    break
        pos += len(line)
    return spans, meta


_FRONT_MATTER = re.compile(r"\A(?:\ufeff)?---[ \t]*\r?\n(.*?)\r?\n(?:---|\.\.\.)[ \t]*(?:\r?\n|\Z)", re.S)


class NoAliasLoader(yaml.SafeLoader):
    """YAML without anchors/aliases: a 1 KB "billion laughs" file expands to gigabytes when its
    aliases are built into Python objects, and metadata never needs them (PyYAML has no bound)."""

    def compose_node(self, parent, index):
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            raise yaml.composer.ComposerError(None, None, f"alias *{event.anchor} refused "
                                              "(aliases can expand without bound)", event.start_mark)
        return super().compose_node(parent, index)


def load_yaml_untrusted(text: str):
    """``yaml.safe_load`` for input files: no aliases, and too-deep nesting is a YAMLError, not a crash."""
    try:
        return yaml.load(text, Loader=NoAliasLoader)  # noqa: S506 - a SafeLoader subclass
    except RecursionError:
        raise yaml.YAMLError("nested too deeply") from None


def split_front_matter(text: str) -> tuple[dict, int]:
    """YAML front matter at the start of ``text``: (fields, end offset). ({}, 0) if none.

    Front matter that is not YAML is text; front matter with aliases or nested too deeply
    is hostile and skips the file (E105).
    """
    m = _FRONT_MATTER.match(text)
    if not m:
        return {}, 0
    try:
        data = load_yaml_untrusted(m.group(1)) or {}
    except yaml.composer.ComposerError as e:
        if "refused" in str(e):
            raise InputSkipped("E105", f"YAML front matter: {e.problem}") from None
        return {}, 0
    except yaml.YAMLError as e:
        if "nested too deeply" in str(e):
            raise InputSkipped("E105", "YAML front matter nested too deeply") from None
        return {}, 0
    if not isinstance(data, dict):
        return {}, 0
    return data, m.end()


def mask(text: str, spans: list[tuple[int, int]] | tuple[tuple[int, int], ...]) -> str:
    """``text`` with every span replaced by spaces (newlines kept): same length, same offsets."""
    if not spans:
        return text
    chars = list(text)
    for s, e in spans:
        for i in range(max(0, s), min(len(chars), e)):
            if chars[i] not in "\r\n":
                chars[i] = " "
    return "".join(chars)


def merge_spans(spans) -> tuple[tuple[int, int], ...]:
    out: list[list[int]] = []
    for s, e in sorted(spans):
        if out and s <= out[-1][1]:
            out[-1][1] = max(out[-1][1], e)
        else:
            out.append([s, e])
    return tuple((s, e) for s, e in out)


def first_line(text: str) -> str | None:
    """The first non-empty line of ``text`` (markdown heading marks stripped)."""
    for line in text.splitlines():
        s = line.strip().lstrip("#").strip()
        if s:
            # A first "line" that is a whole paragraph is no headline: cut it at a word.
            return s if len(s) <= 160 else s[:160].rsplit(" ", 1)[0] + "…"
    return None
