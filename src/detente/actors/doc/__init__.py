"""Facts about one parsed Doc that the resolution rules read: KB and role matches
(:mod:`.matching`), date-dependent names (:mod:`.dated`), syntax helpers
(:mod:`.syntax`), places and the countries they give (:mod:`.places`), and the
shared state with its claim/release API (:mod:`.context`).

Imports only ``kb/``; never ``rules/`` or the resolver.
"""
