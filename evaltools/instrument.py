"""The instrument: questions, answer key, topics, scales, from one YAML file.

Every form and all scoring come from this file, so it is validated strictly:
a broken file raises one :class:`EvalToolsError` naming the file, the line
and the problem.

Example:
    >>> import evaltools as et
    >>> inst = et.load_instrument("survey/netralitas-asn-pilkada-2024.yaml")
    >>> inst.id, len(inst.scored_items) >= 25
    ('netralitas-asn-pilkada-2024', True)
"""

from __future__ import annotations

import os
import re
import reprlib
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Mapping

import yaml

from .errors import EvalToolsError

CANONICAL_FIELDS = ("nama", "nip", "kode_peserta", "opd", "jenis_pegawai",
                    "jabatan", "jenis_kelamin", "kabupaten_kota")
ITEM_TYPES = ("single", "truefalse", "multi")
FIELD_TYPES = ("text", "nip", "code", "opd", "select")
WAVES = ("pre", "post", "followup")
_ID = re.compile(r"^[a-z][a-z0-9_]*$")


@dataclass(frozen=True)
class Field:
    """A participant field (nama, nip, opd, ...)."""
    id: str
    label: str
    label_en: str
    type: str
    required: bool = False
    options: Mapping[str, str] = field(default_factory=dict)
    hint: str = ""
    options_en: Mapping[str, str] = field(default_factory=dict)
    hint_en: str = ""


@dataclass(frozen=True)
class Topic:
    id: str
    label: str
    label_en: str


@dataclass(frozen=True)
class Item:
    """A knowledge item. ``key`` is an option id, or a frozenset of them for multi."""
    id: str
    topic: str
    type: str
    text: str
    text_en: str
    options: Mapping[str, str]
    options_en: Mapping[str, str]
    key: str | frozenset
    basis: str = ""
    scored: bool = True
    note: str = ""


@dataclass(frozen=True)
class Scale:
    id: str
    label: str
    label_en: str
    kind: str  # "attitude" or "reaction"
    waves: tuple


@dataclass(frozen=True)
class LikertItem:
    id: str
    scale: str
    text: str
    text_en: str
    reverse: bool = False


@dataclass(frozen=True)
class OpenItem:
    id: str
    text: str
    text_en: str
    waves: tuple


@dataclass(frozen=True)
class Instrument:
    """A validated instrument; build it with :func:`load_instrument`."""
    id: str
    version: str
    title: str
    title_en: str
    languages: tuple
    passing_score: float
    waves: tuple
    participant_fields: tuple
    topics: tuple
    items: tuple
    likert_points: Mapping[int, str]
    scales: tuple
    likert_items: tuple
    open_items: tuple
    path: str = ""
    likert_points_en: Mapping[int, str] = field(default_factory=dict)

    @property
    def scored_items(self) -> tuple:
        """Knowledge items that count towards the score."""
        return tuple(i for i in self.items if i.scored)

    @property
    def item_ids(self) -> list:
        return [i.id for i in self.items]

    @property
    def topic_ids(self) -> list:
        return [t.id for t in self.topics]

    @property
    def field_ids(self) -> list:
        return [f.id for f in self.participant_fields]

    def topic_label(self, topic_id: str, lang: str = "id") -> str:
        t = next(t for t in self.topics if t.id == topic_id)
        return t.label if lang == "id" else t.label_en

    def item(self, item_id: str) -> Item:
        """The knowledge item with this id (``inst.item("q08").options``)."""
        return next(i for i in self.items if i.id == item_id)

    def field(self, field_id: str) -> Field:
        return next(f for f in self.participant_fields if f.id == field_id)

    def items_for(self, wave: str) -> tuple:
        """Likert items asked in a wave (attitude pre/post, reaction post)."""
        scales = {s.id for s in self.scales if wave in s.waves}
        return tuple(i for i in self.likert_items if i.scale in scales)


class _StrictLoader(yaml.SafeLoader):
    """SafeLoader that refuses duplicate keys (a copy-pasted item id would
    otherwise silently overwrite its twin) and turns a value it cannot build
    (``2024-02-30``, an integer of 5000 digits) into a YAMLError with its line."""

    def construct_object(self, node, deep=False):
        try:
            return super().construct_object(node, deep=deep)
        except (ValueError, TypeError, AttributeError, OverflowError) as exc:
            what = _show(node.value) if isinstance(node, yaml.ScalarNode) else "it"
            raise yaml.constructor.ConstructorError(
                None, None, f"cannot read {what} as {node.tag.rsplit(':', 1)[-1]} "
                f"({_show(str(exc))[1:-1]})", node.start_mark) from None


class _Map(dict):
    """A YAML mapping that remembers how the file wrote the keys and values
    YAML 1.1 does not read as text (``on`` is True, ``2024.10`` is 2024.1), so
    that a message can quote the author: ``written_keys[key]``, ``written[key]``."""


def _construct_mapping(loader, node, deep=False):
    seen, written_keys, written = {}, {}, {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=deep)
        try:
            first = seen.get(key)
        except TypeError:  # {[a]: 1}: SafeLoader's own message, not a TypeError from 'seen'
            raise yaml.constructor.ConstructorError(
                "while constructing a mapping", node.start_mark, "found unhashable key",
                key_node.start_mark) from None
        if first is not None:
            raise yaml.constructor.ConstructorError(
                None, None, f"duplicate key {_show(key)} (first at line {first})",
                key_node.start_mark)
        seen[key] = key_node.start_mark.line + 1
        if isinstance(key_node, yaml.ScalarNode) and key_node.tag != _STR_TAG:
            written_keys[key] = key_node.value
        if isinstance(value_node, yaml.ScalarNode) and value_node.tag != _STR_TAG:
            written[key] = value_node.value
    mapping = _Map(yaml.SafeLoader.construct_mapping(loader, node, deep=deep))
    mapping.written_keys, mapping.written = written_keys, written
    return mapping


_STR_TAG = "tag:yaml.org,2002:str"
_StrictLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG,
                              _construct_mapping)


_SHOW = reprlib.Repr()  # repr() cut short: a 1 MB text or a 'billion laughs' list stays one line
_SHOW.maxstring, _SHOW.maxother, _SHOW.maxlevel, _SHOW.maxlist, _SHOW.maxdict = 60, 60, 2, 4, 4
_SHOW.repr__Map = _SHOW.repr_dict  # reprlib looks a type's method up by the type's name
_show = _SHOW.repr
_REQUIRED = object()


class _Checker:
    """Collects the file name so every failure names it, in Indonesian and English."""

    def __init__(self, path: str):
        self.path = path

    def fail(self, where: str | None, problem: str, fix: str, problem_en: str, fix_en: str,
             row: int | None = None):
        raise EvalToolsError(problem, file=self.path, row=row, location=where, fix=fix,
                             problem_en=problem_en, fix_en=fix_en) from None

    @staticmethod
    def written(d, key, of_key=False) -> str:
        """``d[key]`` as the file has it (``yes``, ``2024.10``, not True, 2024.1), or
        with ``of_key`` the key itself, quoted (``'on'``, not True)."""
        if of_key:
            return _show(str(getattr(d, "written_keys", {}).get(key, key)))
        text = getattr(d, "written", {}).get(key)
        return "null" if d[key] is None else _show(d[key]) if text is None else _show(text)[1:-1]

    def text(self, value, where: str) -> tuple[str, str]:
        """A text given as a plain string or as {id: ..., en: ...} (en defaults to id)."""
        ind, en = ((value.get("id"), value.get("en")) if isinstance(value, Mapping)
                   else (value, None))
        if isinstance(ind, str) and ind.strip() and (en is None or isinstance(en, str)):
            return ind.strip(), (en or ind).strip()
        self.fail(where, "teks kosong atau bukan teks", "isi teks, atau {id: ..., en: ...}",
                  "empty or not text", "write a text, or {id: ..., en: ...}")

    def ident(self, value, where: str, seen: set) -> str:
        if not isinstance(value, str) or not _ID.fullmatch(value):
            self.fail(where, f"id {_show(value)} tidak sah",
                      "pakai huruf kecil, angka dan garis bawah, diawali huruf",
                      f"id {_show(value)} is not valid",
                      "use lower-case letters, digits and underscores, starting with a letter")
        if value in seen:
            self.fail(where, f"id {value!r} dipakai dua kali", "beri setiap id nama yang unik",
                      f"id {value!r} is used twice", "give every id a unique name")
        seen.add(value)
        return value

    def get(self, d, key: str, where: str, kind=None, default=_REQUIRED):
        """``d[key]``, checked to be ``kind`` when given: list, Mapping, or str
        (text, not blank). With a ``default``, a missing or empty (null) key gives it."""
        if not isinstance(d, Mapping):
            self.fail(where, f"bagian ini bukan baris 'kunci: nilai', jadi '{key}' tidak ada",
                      f"tulis '{key}: ...' di sini", f"this part is not 'key: value' lines, "
                      f"so '{key}' is missing", f"write '{key}: ...' here")
        value = d.get(key)
        if value is None and default is not _REQUIRED:
            return default
        if key not in d:
            self.fail(where, f"'{key}' tidak ada", f"tambahkan '{key}'",
                      f"'{key}' is missing", f"add '{key}'")
        if kind is str and not (isinstance(value, str) and value.strip()):
            if value is not None and key in getattr(d, "written", {}):  # 2024.10, yes, 5
                w = self.written(d, key)
                self.fail(where, f"YAML membaca '{key}: {w}' sebagai {_show(value)}, bukan teks",
                          f'beri tanda kutip: {key}: "{w}"',
                          f"YAML reads '{key}: {w}' as {_show(value)}, not as text",
                          f'put it in quotes: {key}: "{w}"')
            self.fail(where, f"'{key}' harus berupa teks yang tidak kosong",
                      f'isi, mis. {key}: "..."', f"'{key}' must be text, not empty",
                      f'fill it in, e.g. {key}: "..."')
        if kind in (list, Mapping) and not isinstance(value, kind):
            w, (ind, en, line, line_en) = self.written(d, key), (
                ("daftar", "a list", "- ...", "- ...") if kind is list
                else ("pemetaan", "a mapping", "kunci: nilai", "key: value"))
            self.fail(where, f"'{key}' harus berupa {ind}, bukan {w}",
                      f"di bawah '{key}:' tulis satu baris '{line}' per entri",
                      f"'{key}' must be {en}, not {w}",
                      f"under '{key}:' write one '{line_en}' line per entry")
        return value

    def one_of(self, value, choices, where: str, what: tuple[str, str], fix=None) -> str:
        """``value`` if it is one of ``choices``; ``what``: its name in Indonesian and English."""
        if not isinstance(value, str) or value not in choices:
            shown = _show(value)
            listed = ", ".join(choices)
            fix = fix or (f"pakai salah satu dari {listed}", f"use one of {listed}")
            self.fail(where, f"{what[0]} {shown} tidak dikenal", fix[0],
                      f"unknown {what[1]} {shown}", fix[1])
        return value

    def flag(self, d, key: str, where: str, default: bool) -> bool:
        """A yes/no setting: true or false only, never the text "false"."""
        value = self.get(d, key, where, default=default)
        if not isinstance(value, bool):
            w = self.written(d, key)
            self.fail(where, f"'{key}' harus true atau false, bukan {w}",
                      f"tulis {key}: true atau {key}: false, tanpa tanda kutip",
                      f"'{key}' must be true or false, not {w}",
                      f"write {key}: true or {key}: false, without quotes")
        return value

    def waves(self, d, where: str, default: tuple) -> tuple:
        """The waves (pre, post, followup) ``d`` lists, ``default`` when it lists none."""
        value = self.get(d, "waves", where, default=default)
        if not isinstance(value, (list, tuple)) or not value:
            w = self.written(d, "waves")
            self.fail(where, f"gelombang (waves) harus berupa daftar, bukan {w}",
                      "mis. waves: [pre, post]", f"waves must be a list, not {w}",
                      "e.g. waves: [pre, post]")
        for w in value:
            self.one_of(w, WAVES, where, ("gelombang", "wave"))
        return tuple(value)


def load_instrument(path: str | os.PathLike) -> Instrument:
    """Load and validate an instrument YAML file.

    Raises EvalToolsError naming the file and the problem (duplicate id, key
    not among the options, unknown topic, empty options, ...).

    Example:
        >>> inst = load_instrument("survey/netralitas-asn-pilkada-2024.yaml")
        >>> inst.items[0].key
        'b'
    """
    path = os.fspath(path)
    c = _Checker(path)
    try:
        text = Path(path).read_text(encoding="utf-8")
    except FileNotFoundError:
        c.fail(None, "berkas instrumen tidak ditemukan",
               "periksa nama dan folder berkas (survey/...yaml)",
               "instrument file not found", "check the file name and folder")
    except UnicodeDecodeError:
        c.fail(None, "berkas instrumen bukan teks UTF-8", "simpan ulang berkas sebagai UTF-8",
               "instrument file is not UTF-8 text", "save the file again as UTF-8")
    except (OSError, ValueError) as exc:  # a folder, no permission, a NUL in the path
        if os.path.isdir(path):
            c.fail(None, "berkas instrumen adalah folder", "sebutkan berkas .yaml-nya, mis. "
                   "survey/...yaml", "the instrument file is a folder",
                   "name the .yaml file itself, e.g. survey/...yaml")
        why = getattr(exc, "strerror", None) or exc
        c.fail(None, f"berkas instrumen tidak dapat dibaca ({why})",
               "periksa nama berkas dan izin bacanya", f"instrument file cannot be read ({why})",
               "check the file name and that it may be read")
    try:
        doc = yaml.load(text, Loader=_StrictLoader)  # noqa: S506 - SafeLoader subclass
    except yaml.YAMLError as exc:
        mark, why = getattr(exc, "problem_mark", None), getattr(exc, "problem", None) or exc
        c.fail(None, f"YAML tidak sah: {why}",
               "perbaiki baris itu (indentasi dengan spasi, bukan tab; tanpa kunci ganda)",
               f"invalid YAML: {why}",
               "fix that line (indent with spaces, not tabs; no duplicate keys)",
               row=(mark.line + 1) if mark else None)
    except RecursionError:  # '[' * 3000: the parser recurses once per level
        c.fail(None, "YAML tidak sah: daftar atau pemetaan bersarang terlalu dalam",
               "tulis isinya tanpa ratusan tingkat [ ] atau { }",
               "invalid YAML: lists or mappings nested too deeply",
               "write it without hundreds of levels of [ ] or { }")
    if not isinstance(doc, Mapping):
        c.fail(None, "berkas instrumen kosong atau bukan pemetaan YAML",
               "mulai dengan 'id:', 'version:', 'items:' ...",
               "the instrument file is empty or not a YAML mapping",
               "start with 'id:', 'version:', 'items:' ...")

    inst_id = c.get(doc, "id", "id", str)
    version = c.get(doc, "version", "version", str)
    title, title_en = c.text(c.get(doc, "title", "title"), "title")
    languages = tuple(c.get(doc, "languages", "languages", list, ["id"]))
    if not languages or not all(isinstance(x, str) and x.strip() for x in languages):
        c.fail("languages", f"languages {_show(list(languages))} harus daftar kode bahasa",
               "mis. languages: [id, en]", f"languages {_show(list(languages))} must list "
               "language codes", "e.g. languages: [id, en]")
    passing = c.get(doc, "passing_score", "passing_score", default=70)
    if isinstance(passing, bool) or not isinstance(passing, (int, float)) or not 0 < passing <= 100:
        w = c.written(doc, "passing_score")
        c.fail("passing_score", f"passing_score {w} harus angka 1-100",
               "misalnya passing_score: 70", f"passing_score {w} must be a number from 1 to 100",
               "for example passing_score: 70")
    waves = c.waves(doc, "waves", WAVES)

    ids: set = set()
    fields = []
    for n, f in enumerate(c.get(doc, "participant_fields", "participant_fields", list)):
        where = f"participant_fields[{n}]"
        fid = c.ident(c.get(f, "id", where), where, ids)
        c.one_of(fid, CANONICAL_FIELDS, where, ("field peserta", "participant field"))
        ftype = c.one_of(c.get(f, "type", where, default="text"), FIELD_TYPES, where,
                         ("jenis field", "field type"))
        label, label_en = c.text(c.get(f, "label", where), where)
        options, options_en = {}, {}
        if ftype == "select":
            raw = c.get(f, "options", where, Mapping)
            if not raw:
                c.fail(where, "pilihan kosong", "isi options", "no options", "fill in options")
            for k, v in raw.items():
                options[str(k)], options_en[str(k)] = c.text(v, f"{where}.options.{k}")
        hint, hint_en = c.text(f["hint"], where) if f.get("hint") else ("", "")
        fields.append(Field(fid, label, label_en, ftype, c.flag(f, "required", where, False),
                            MappingProxyType(options), hint, MappingProxyType(options_en),
                            hint_en))
    field_ids = {f.id for f in fields}
    if "nip" not in field_ids and "kode_peserta" not in field_ids:
        c.fail("participant_fields", "tidak ada field pengenal peserta",
               "tambahkan field 'nip' atau 'kode_peserta'", "no participant identifier field",
               "add the field 'nip' or 'kode_peserta'")

    topics = []
    for n, t in enumerate(c.get(doc, "topics", "topics", list)):
        where = f"topics[{n}]"
        tid = c.ident(c.get(t, "id", where), where, ids)
        topics.append(Topic(tid, *c.text(c.get(t, "label", where), where)))
    topic_ids = sorted(t.id for t in topics)

    items = []
    for n, it in enumerate(c.get(doc, "items", "items", list)):
        where = f"items[{n}]"
        iid = c.ident(c.get(it, "id", where), where, ids)
        where = f"items[{n}] ({iid})"
        topic = c.one_of(c.get(it, "topic", where), topic_ids, where, ("topik", "topic"))
        itype = c.one_of(c.get(it, "type", where), ITEM_TYPES, where, ("jenis butir", "item type"))
        text, text_en = c.text(c.get(it, "text", where), where)
        raw = it.get("options")
        if not isinstance(raw, Mapping) or not raw:
            c.fail(where, "pilihan jawaban (options) kosong", "isi options: a: ..., b: ...",
                   "no answer options", "fill in options: a: ..., b: ...")
        opts, opts_en = {}, {}
        for k, v in raw.items():
            if not re.fullmatch(r"[a-z0-9_]+", str(k)):
                c.fail(where, f"id pilihan {c.written(raw, k, of_key=True)} tidak sah",
                       "pakai huruf kecil/angka tanpa spasi; on, off, yes, no dalam tanda kutip",
                       f"option id {c.written(raw, k, of_key=True)} is not valid",
                       "use lower-case letters/digits without spaces; quote on, off, yes, no")
            opts[str(k)], opts_en[str(k)] = c.text(v, f"{where}.options.{k}")
        if itype == "truefalse" and len(opts) != 2:
            c.fail(where, "butir benar/salah harus punya tepat 2 pilihan", "pakai benar dan salah",
                   "a true/false item must have exactly 2 options", "use benar and salah")
        if itype != "multi" and len(opts) < 2:
            c.fail(where, "butir harus punya sedikitnya 2 pilihan", "tambahkan pilihan",
                   "an item needs at least 2 options", "add options")
        key = c.get(it, "key", where)
        if itype == "multi":
            if not isinstance(key, list) or not key:
                c.fail(where, "kunci butir multi harus daftar pilihan", "misalnya key: [a, c, d]",
                       "the key of a multi item must be a list of options",
                       "for example key: [a, c, d]")
            key = frozenset(str(k) for k in key)
            bad = sorted(key - set(opts))
        else:
            key = str(key)
            bad = [] if key in opts else [key]
        if bad:
            c.fail(where, f"kunci {', '.join(bad)} tidak ada di antara pilihan {', '.join(opts)}",
                   "perbaiki key agar sama dengan id salah satu pilihan",
                   f"key {', '.join(bad)} is not among the options {', '.join(opts)}",
                   "make key the id of one of the options")
        items.append(Item(iid, topic, itype, text, text_en, MappingProxyType(opts),
                          MappingProxyType(opts_en), key, str(it.get("basis", "")),
                          c.flag(it, "scored", where, True), str(it.get("note", ""))))
    if not any(i.scored for i in items):
        c.fail("items", "tidak ada butir yang dinilai", "tandai butir dengan scored: true",
               "no item is scored", "mark items with scored: true")
    used = {i.topic for i in items if i.scored}
    for t in topics:
        if t.id not in used:
            c.fail("topics", f"topik {t.id!r} tidak punya butir yang dinilai",
                   "tambahkan butir untuk topik itu atau hapus topiknya",
                   f"topic {t.id!r} has no scored item",
                   "add an item for that topic or remove the topic")

    points, points_en = {}, {}
    raw = c.get(doc, "likert_points", "likert_points", Mapping, {})
    for k, v in raw.items():
        n = int(k) if isinstance(k, str) and re.fullmatch(r"\s*[1-5]\s*", k) else k
        if type(n) is not int or not 1 <= n <= 5 or n in points:  # not True, 'satu', .inf, 1 twice
            w = c.written(raw, k, of_key=True)
            c.fail("likert_points", f"kunci likert_points {w} tidak sah",
                   "pakai angka 1 sampai 5, masing-masing sekali",
                   f"likert_points key {w} is not valid", "use the numbers 1 to 5, once each")
        points[n], points_en[n] = c.text(v, f"likert_points.{n}")
    scales = []
    for n, s in enumerate(c.get(doc, "scales", "scales", list, [])):
        where = f"scales[{n}]"
        sid = c.ident(c.get(s, "id", where), where, ids)
        kind = c.one_of(c.get(s, "kind", where, default="attitude"), ("attitude", "reaction"),
                        where, ("jenis skala", "scale kind"))
        swaves = c.waves(s, where, ("pre", "post") if kind == "attitude" else ("post",))
        scales.append(Scale(sid, *c.text(c.get(s, "label", where), where), kind, swaves))
    scale_ids = [s.id for s in scales]
    likert = []
    for n, li in enumerate(c.get(doc, "likert_items", "likert_items", list, [])):
        where = f"likert_items[{n}]"
        lid = c.ident(c.get(li, "id", where), where, ids)
        scale = c.one_of(c.get(li, "scale", where), scale_ids, where, ("skala", "scale"),
                         ("tambahkan skala itu di 'scales'", "add that scale under 'scales'"))
        likert.append(LikertItem(lid, scale, *c.text(c.get(li, "text", where), where),
                                 c.flag(li, "reverse", where, False)))
    if likert and sorted(points) != [1, 2, 3, 4, 5]:
        c.fail("likert_points", "likert_points harus 1 sampai 5", "isi likert_points: 1 ... 5",
               "likert_points must be 1 to 5", "fill in likert_points: 1 ... 5")
    open_items = []
    for n, oi in enumerate(c.get(doc, "open_items", "open_items", list, [])):
        where = f"open_items[{n}]"
        oid = c.ident(c.get(oi, "id", where), where, ids)
        open_items.append(OpenItem(oid, *c.text(c.get(oi, "text", where), where),
                                   c.waves(oi, where, ("post",))))

    return Instrument(inst_id, version, title, title_en, languages, float(passing), waves,
                      tuple(fields), tuple(topics), tuple(items), MappingProxyType(points),
                      tuple(scales), tuple(likert), tuple(open_items), path,
                      MappingProxyType(points_en))

