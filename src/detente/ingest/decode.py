"""Bytes to text: binary detection and encoding detection (charset-normalizer)."""

from __future__ import annotations

import codecs

from ..errors import InputSkipped

_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


def decode_bytes(data: bytes) -> str:
    """Decode ``data`` to str or raise InputSkipped (E101 empty, E102 binary, E103 encoding)."""
    if not data.strip():
        raise InputSkipped("E101")
    for bom, enc in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(enc)
            except UnicodeDecodeError as e:
                raise InputSkipped("E103", str(e)) from e
    head = data[:8192]
    if b"\x00" in head:
        raise InputSkipped("E102", "contains NUL bytes")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        from charset_normalizer import from_bytes

        best = from_bytes(data).best()
        if best is None:
            raise InputSkipped("E103", "not UTF-8 and no other encoding fits") from None
        text = str(best)
    sample = text[:8192]
    control = sum(1 for c in sample if ord(c) < 32 and c not in "\t\n\r\f")
    if sample and control / len(sample) > 0.05:
        raise InputSkipped("E102", f"{control} control characters in the first {len(sample)}")
    return text
