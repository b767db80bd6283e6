"""The instrument: questions, answer key, topics, scales, from one YAML file.

Every form and all scoring come from this file, so it is validated strictly,
in three steps, each in its own module:

- :mod:`.yamlload` reads the YAML safely (no tags run, no duplicate keys) and
  remembers where each value was written;
- :mod:`.schema` checks the structure against ``schema.json`` with jsonschema;
- :mod:`.build` builds the dataclasses of :mod:`.model`, one builder per
  section, checking the rules between fields (key among the options, every
  topic scored, ids unique, references defined).

A broken file raises one :class:`EvalToolsError` naming the file, the line,
the place (``items[3] (q04)``), the problem and the fix, in Indonesian and
English. The format, key by key: docs/instrument.md.

Example:
    >>> import evaltools as et
    >>> inst = et.load_instrument("survey/netralitas-asn-pilkada-2024.yaml")
    >>> inst.id, len(inst.scored_items) >= 25
    ('netralitas-asn-pilkada-2024', True)
"""

from __future__ import annotations

import os

from .build import build_instrument
from .model import (CANONICAL_FIELDS, FIELD_TYPES, ITEM_TYPES, SCALE_KINDS, WAVES, Field,
                    Instrument, Item, LikertItem, OpenItem, Scale, Topic)
from .schema import check_structure, json_schema
from .yamlload import read_source

__all__ = ["CANONICAL_FIELDS", "FIELD_TYPES", "ITEM_TYPES", "SCALE_KINDS", "WAVES", "Field",
           "Instrument", "Item", "LikertItem", "OpenItem", "Scale", "Topic", "load_instrument",
           "json_schema"]


def load_instrument(path: str | os.PathLike) -> Instrument:
    """Load and validate an instrument YAML file.

    Raises EvalToolsError naming the file, the line and the problem (duplicate
    id, key not among the options, unknown topic, empty options, ...).

    Example:
        >>> inst = load_instrument("survey/netralitas-asn-pilkada-2024.yaml")
        >>> inst.items[0].key
        'b'
    """
    src = read_source(path)
    check_structure(src)
    return build_instrument(src)

