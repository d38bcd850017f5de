"""The actor knowledge base: data model (:mod:`.model`), token keys (:mod:`.keys`),
loaders (:mod:`.build`, :mod:`.lexicons`, :mod:`.userfile`, :mod:`.petrarch_read`), the place gazetteer
(:mod:`.places`) and people's posts on a date (:mod:`.tenure`).

The lowest layer of ``actors/``: it imports nothing from ``doc/``, ``rules/`` or
the resolver. Modules inside it import each other directly, never this package.
"""

from .build import build_kb, load_kb, read_people, read_roles, user_paths
from .keys import alias_keys, alias_tokens, norm, parse_date
from .model import KB, KINDS, Country, Entry, data_dir, split_code
from .places import gazetteer, place_country
from .tenure import Role, at_event_date, company_code, entity_code, role_at
from .userfile import file_record

__all__ = ["KB", "KINDS", "Country", "Entry", "Role", "alias_keys", "alias_tokens", "at_event_date",
           "build_kb", "company_code", "data_dir", "entity_code", "file_record", "gazetteer", "load_kb", "norm", "parse_date",
           "place_country", "read_people", "read_roles", "role_at", "split_code",
           "user_paths"]
