"""Answers as the tools write them -> option ids and scale points.

An answer may be an option id ("b"), its letter in either case ("B"), its
text in Indonesian or English ("Netral", a Kobo labels export), several of
them for a multi-select item ("a c", "a,c", the texts joined), a Likert
point as a number ("4", "4,0", "4 - Setuju") or its label ("Setuju"). Each
parser takes one value: ``rows`` runs them once per distinct value.
"""

from __future__ import annotations

import re

from ..instrument import Instrument
from ..normalize import norm_text


def option_lookup(options: dict, options_en: dict | None = None) -> dict:
    """Option id, Indonesian text or English text (a Kobo labels export in
    English) -> option id; built once per item, used for each distinct answer.

    Example:
        >>> option_lookup({"a": "Netral"}, {"a": "Neutral"})
        {'a': 'a', 'netral': 'a', 'neutral': 'a'}
    """
    look = {}
    for oid, text in options.items():
        look[oid.lower()] = oid
        look[norm_text(text)] = oid
    for oid, text in (options_en or {}).items():
        look.setdefault(norm_text(text), oid)
    return look


def parse_choice(value: str, options: dict, look: dict | None = None) -> tuple[str, bool]:
    """One answer -> (option id or "", bad). Accepts ids, letters in any
    case, and option texts.

    Example:
        >>> opts = {"a": "Netral", "b": "Memihak"}
        >>> parse_choice(" B ", opts), parse_choice("netral", opts), parse_choice("c", opts)
        (('b', False), ('a', False), ('', True))
    """
    v = value.strip()
    if not v:
        return "", False
    look = look or option_lookup(options)
    oid = look.get(v.lower()) or look.get(norm_text(v))
    return (oid, False) if oid else ("", True)


def parse_multi(value: str, options: dict, options_en: dict | None = None) -> tuple[str, bool]:
    """A multi-select answer -> (sorted space-joined ids, any part bad).
    Ids split on spaces/commas/semicolons; texts are found whole, longest
    first, because an option text can itself contain a comma.

    Example:
        >>> opts = {"a": "Kampanye, rapat", "b": "Foto", "c": "Cuti"}
        >>> parse_multi("c, A", opts), parse_multi("Foto, Kampanye, rapat", opts), parse_multi("Foto, x", opts)
        (('a c', False), ('a b', False), ('b', True))
    """
    v = value.strip()
    if not v:
        return "", False
    tokens = [t for t in re.split(r"[\s,;]+", v.lower()) if t]
    if all(t in options for t in tokens):
        return " ".join(sorted(set(tokens))), False
    rest = f" {norm_text(v)} "
    chosen = set()
    texts = [*options.items(), *(options_en or {}).items()]
    for oid, text in sorted(texts, key=lambda kv: -len(norm_text(kv[1]))):
        t = f" {norm_text(text)} "
        if t.strip() and t in rest:
            chosen.add(oid)
            rest = rest.replace(t, " ")
    return " ".join(sorted(chosen)), bool(rest.strip())


def parse_likert(value: str, points: dict | None = None) -> float | None:
    """"4", "4,0", "4 - Setuju" or a point label ("Setuju", from ``points``
    mapping label text to its number) -> 4.0; anything else -> None.

    Example:
        >>> parse_likert("4,0"), parse_likert("4 - Setuju"), parse_likert("Setuju", {"setuju": 4})
        (4.0, 4.0, 4.0)
    """
    m = re.match(r"^\s*(\d+)(?:[.,]0+)?(?:\s*[-:.]\s*\D.*)?\s*$", value)
    if m:
        return float(m.group(1))
    hit = (points or {}).get(norm_text(value))
    return float(hit) if hit is not None else None


def likert_lookup(inst: Instrument) -> dict:
    """Point labels in both languages -> number, as Kobo label exports write them.

    Example:
        >>> likert_lookup(inst)["sangat setuju"]
        5
    """
    return {norm_text(t): k for pts in (inst.likert_points, inst.likert_points_en)
            for k, t in pts.items()}


def parse_field(value: str, options, options_en=None) -> str | None:
    """A select participant field by id or label, Indonesian or English
    ('PNS' -> 'pns', 'Male' -> 'l'); None if neither, "" for a blank.

    Example:
        >>> parse_field("Laki-laki", {"l": "Laki-laki", "p": "Perempuan"}), parse_field("x", {"l": "L"})
        ('l', None)
    """
    if not value:
        return ""
    v = norm_text(value)
    for oid, label in options.items():
        if v in (norm_text(oid), norm_text(label), norm_text((options_en or {}).get(oid, ""))):
            return oid
    return None
