"""The Instrument built from a structurally sound document, one builder per
section, with the rules between fields that a JSON Schema cannot say well:
ids unique across the file, a participant identifier field, an item's topic
and a likert item's scale defined, an answer key among its options, a
true/false item with exactly 2 options, every topic scored, likert_points 1-5
when there are likert items.

:func:`build_instrument` expects a document that passed
:func:`evaltools.instrument.schema.check_structure`.

Example:
    >>> from evaltools.instrument.schema import check_structure
    >>> from evaltools.instrument.yamlload import read_source
    >>> src = read_source("survey/netralitas-asn-pilkada-2024.yaml")
    >>> check_structure(src)
    >>> build_instrument(src).item("q12").key
    'salah'
"""

from __future__ import annotations

import re
from types import MappingProxyType
from typing import Mapping

from .model import (WAVES, Field, Instrument, Item, LikertItem, OpenItem, Scale, Topic)
from .schema import unknown
from .yamlload import Source, show

ID_SECTIONS = ("participant_fields", "topics", "items", "scales", "likert_items", "open_items")


def build_instrument(src: Source) -> Instrument:
    """The Instrument of ``src``; raises EvalToolsError on the first rule broken.

    Example:
        >>> from evaltools.instrument.yamlload import read_source
        >>> build_instrument(read_source("survey/netralitas-asn-pilkada-2024.yaml")).passing_score
        70.0
    """
    _check_unique_ids(src)
    header = _header(src)
    fields = _fields(src)
    topics = _topics(src)
    items = _items(src, [t.id for t in topics])
    _check_scored(src, items, topics)
    points, points_en = _likert_points(src)
    scales = _scales(src)
    likert = _likert_items(src, [s.id for s in scales], points)
    return Instrument(**header, participant_fields=fields, topics=topics, items=items,
                      likert_points=MappingProxyType(points), scales=scales,
                      likert_items=likert, open_items=_open_items(src), path=src.path,
                      likert_points_en=MappingProxyType(points_en))


def text(value) -> tuple[str, str]:
    """A text written as a plain string or as {id: ..., en: ...}: (Indonesian,
    English); the English is the Indonesian when not given.

    Example:
        >>> text({"id": " Sanksi ", "en": "Sanctions"}), text("Benar")
        (('Sanksi', 'Sanctions'), ('Benar', 'Benar'))
    """
    ind, en = (value["id"], value.get("en")) if isinstance(value, Mapping) else (value, None)
    ind = ind.strip()
    return ind, en.strip() if isinstance(en, str) and en.strip() else ind


def _or(value, default):
    """A key written empty (null) takes its default."""
    return default if value is None else value


def _entries(src: Source, section: str):
    return enumerate(src.doc.get(section) or ())


def _check_unique_ids(src: Source) -> None:
    seen = set()
    for section in ID_SECTIONS:
        for n, entry in _entries(src, section):
            if entry["id"] in seen:
                src.fail((section, n, "id"), f"id {entry['id']!r} dipakai dua kali",
                         "beri setiap id nama yang unik", f"id {entry['id']!r} is used twice",
                         "give every id a unique name")
            seen.add(entry["id"])


def _header(src: Source) -> dict:
    doc = src.doc
    title, title_en = text(doc["title"])
    return dict(id=doc["id"], version=doc["version"], title=title, title_en=title_en,
                languages=tuple(_or(doc.get("languages"), ["id"])),
                passing_score=float(_or(doc.get("passing_score"), 70)),
                waves=tuple(_or(doc.get("waves"), WAVES)))


def _options(src: Source, path: tuple, raw: Mapping) -> tuple[dict, dict]:
    """Option texts by option id, as text (an id written 1 is '1'); an id the
    file writes twice (1 and '1') is refused."""
    options, options_en = {}, {}
    for k, v in raw.items():
        if str(k) in options:
            w = src.written_key(path, k)
            src.fail(path, f"id pilihan {w} dipakai dua kali", "beri setiap pilihan id yang unik",
                     f"option id {w} is used twice", "give every option a unique id", key=k)
        options[str(k)], options_en[str(k)] = text(v)
    return options, options_en


def _fields(src: Source) -> tuple:
    fields = []
    for n, f in _entries(src, "participant_fields"):
        ftype = _or(f.get("type"), "text")
        options, options_en = (_options(src, ("participant_fields", n, "options"), f["options"])
                               if ftype == "select" else ({}, {}))
        hint, hint_en = text(f["hint"]) if f.get("hint") else ("", "")
        fields.append(Field(f["id"], *text(f["label"]), ftype, _or(f.get("required"), False),
                            MappingProxyType(options), hint, MappingProxyType(options_en),
                            hint_en))
    if not {"nip", "kode_peserta"} & {f.id for f in fields}:
        src.fail(("participant_fields",), "tidak ada field pengenal peserta",
                 "tambahkan field 'nip' atau 'kode_peserta'", "no participant identifier field",
                 "add the field 'nip' or 'kode_peserta'")
    return tuple(fields)


def _topics(src: Source) -> tuple:
    return tuple(Topic(t["id"], *text(t["label"])) for _, t in _entries(src, "topics"))


def _items(src: Source, topic_ids: list) -> tuple:
    items = []
    for n, it in _entries(src, "items"):
        path = ("items", n)
        if it["topic"] not in topic_ids:
            src.fail(path + ("topic",), *unknown(("topik", "topic"), show(it["topic"]), topic_ids))
        options, options_en = _options(src, path + ("options",), it["options"])
        _check_option_count(src, path, it["type"], options)
        items.append(Item(it["id"], it["topic"], it["type"], *text(it["text"]),
                          MappingProxyType(options), MappingProxyType(options_en),
                          _key(src, path, it, options), _plain(it.get("basis")),
                          _or(it.get("scored"), True), _plain(it.get("note"))))
    return tuple(items)


def _plain(value) -> str:
    """A free note (``basis``, ``note``) as text; empty when not written."""
    return "" if value is None else str(value)


def _check_option_count(src: Source, path: tuple, itype: str, options: dict) -> None:
    if itype == "truefalse" and len(options) != 2:
        src.fail(path + ("options",), "butir benar/salah harus punya tepat 2 pilihan",
                 "pakai benar dan salah", "a true/false item must have exactly 2 options",
                 "use benar and salah")
    if itype != "multi" and len(options) < 2:
        src.fail(path + ("options",), "butir harus punya sedikitnya 2 pilihan", "tambahkan pilihan",
                 "an item needs at least 2 options", "add options")


def _key(src: Source, path: tuple, it: Mapping, options: dict) -> str | frozenset:
    """The answer key: one option id, or a frozenset of them for a multi item."""
    if it["type"] == "multi":
        key = frozenset(str(k) for k in it["key"])
        bad = sorted(key - set(options))
    else:
        key = str(it["key"])
        bad = [] if key in options else [key]
    if bad:
        bad, listed = ", ".join(_as_written(k) for k in bad), ", ".join(options)
        src.fail(path + ("key",), f"kunci {bad} tidak ada di antara pilihan {listed}",
                 "perbaiki key agar sama dengan id salah satu pilihan",
                 f"key {bad} is not among the options {listed}",
                 "make key the id of one of the options")
    return key


def _as_written(key: str) -> str:
    """An answer key in a message: as it is when short and plain, else quoted and cut short."""
    return key if re.fullmatch(r"[\w.-]{1,40}", key) else show(key)


def _check_scored(src: Source, items: tuple, topics: tuple) -> None:
    if not any(i.scored for i in items):
        src.fail(("items",), "tidak ada butir yang dinilai", "tandai butir dengan scored: true",
                 "no item is scored", "mark items with scored: true")
    used = {i.topic for i in items if i.scored}
    for n, t in enumerate(topics):
        if t.id not in used:
            src.fail(("topics", n), f"topik {t.id!r} tidak punya butir yang dinilai",
                     "tambahkan butir untuk topik itu atau hapus topiknya",
                     f"topic {t.id!r} has no scored item",
                     "add an item for that topic or remove the topic")


def _likert_points(src: Source) -> tuple[dict, dict]:
    points, points_en = {}, {}
    for k, v in _or(src.doc.get("likert_points"), {}).items():
        n = int(k)  # the schema allows 1-5 or a text of one (' 3')
        if n in points:
            w = src.written_key(("likert_points",), k)
            src.fail(("likert_points",), f"kunci likert_points {w} tidak sah",
                     "pakai angka 1 sampai 5, masing-masing sekali",
                     f"likert_points key {w} is not valid", "use the numbers 1 to 5, once each",
                     key=k)
        points[n], points_en[n] = text(v)
    return points, points_en


def _scales(src: Source) -> tuple:
    scales = []
    for _, s in _entries(src, "scales"):
        kind = _or(s.get("kind"), "attitude")
        waves = _or(s.get("waves"), ("pre", "post") if kind == "attitude" else ("post",))
        scales.append(Scale(s["id"], *text(s["label"]), kind, tuple(waves)))
    return tuple(scales)


def _likert_items(src: Source, scale_ids: list, points: dict) -> tuple:
    likert = []
    for n, li in _entries(src, "likert_items"):
        if li["scale"] not in scale_ids:
            src.fail(("likert_items", n, "scale"),
                     *unknown(("skala", "scale"), show(li["scale"]), scale_ids,
                              ("tambahkan skala itu di 'scales'", "add that scale under 'scales'")))
        likert.append(LikertItem(li["id"], li["scale"], *text(li["text"]),
                                 _or(li.get("reverse"), False)))
    if likert and sorted(points) != [1, 2, 3, 4, 5]:
        src.fail(("likert_points",), "likert_points harus 1 sampai 5", "isi likert_points: 1 ... 5",
                 "likert_points must be 1 to 5", "fill in likert_points: 1 ... 5")
    return tuple(likert)


def _open_items(src: Source) -> tuple:
    return tuple(OpenItem(o["id"], *text(o["text"]), tuple(_or(o.get("waves"), ("post",))))
                 for _, o in _entries(src, "open_items"))
