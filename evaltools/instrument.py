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

# The Excel entry template's layout: a contract between forms.template (which
# writes it) and read (which reads it back), kept here where both can see it.
TEMPLATE_DATA_SHEET, TEMPLATE_INFO_SHEET, TEMPLATE_OPD_SHEET = "Jawaban", "Petunjuk", "Daftar OPD"
TEMPLATE_FIRST_DATA_ROW = 3
TEMPLATE_INFO_KEYS = ("instrumen", "versi", "gelombang", "sesi")


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
    """SafeLoader that refuses duplicate keys: a copy-pasted item id would
    otherwise silently overwrite its twin."""


def _construct_mapping(loader, node, deep=False):
    seen = {}
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=deep)
        if key in seen:
            raise yaml.constructor.ConstructorError(
                None, None, f"duplicate key {key!r} (first at line {seen[key]})",
                key_node.start_mark)
        seen[key] = key_node.start_mark.line + 1
    return yaml.SafeLoader.construct_mapping(loader, node, deep=deep)


_StrictLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG,
                              _construct_mapping)


class _Checker:
    """Collects the file name so every failure names it."""

    def __init__(self, path: str):
        self.path = path

    def fail(self, problem: str, fix: str, where: str | None = None):
        raise EvalToolsError(problem, file=self.path, location=where, fix=fix,
                             problem_en=problem, fix_en=fix)

    def text(self, value, where: str) -> tuple[str, str]:
        """A text given as a plain string or as {id: ..., en: ...}."""
        if isinstance(value, str) and value.strip():
            return value.strip(), value.strip()
        if isinstance(value, Mapping) and str(value.get("id", "")).strip():
            ind = str(value["id"]).strip()
            return ind, str(value.get("en", ind)).strip()
        self.fail("teks kosong atau bukan teks", "isi teks, atau {id: ..., en: ...}", where)

    def ident(self, value, where: str, seen: set) -> str:
        if not isinstance(value, str) or not _ID.match(value):
            self.fail(f"id {value!r} tidak sah",
                      "pakai huruf kecil, angka dan garis bawah, diawali huruf", where)
        if value in seen:
            self.fail(f"id {value!r} dipakai dua kali", "beri setiap id nama yang unik", where)
        seen.add(value)
        return value

    def get(self, d, key, where, kind=None):
        if not isinstance(d, Mapping) or key not in d:
            self.fail(f"'{key}' tidak ada", f"tambahkan '{key}'", where)
        value = d[key]
        if kind is not None and not isinstance(value, kind):
            self.fail(f"'{key}' harus berupa {kind.__name__ if isinstance(kind, type) else 'daftar'}",
                      f"perbaiki nilai '{key}'", where)
        return value


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
        raise EvalToolsError("berkas instrumen tidak ditemukan", file=path,
                             fix="periksa nama dan folder berkas (survey/...yaml)",
                             problem_en="instrument file not found",
                             fix_en="check the file name and folder") from None
    except UnicodeDecodeError:
        raise EvalToolsError("berkas instrumen bukan teks UTF-8", file=path,
                             fix="simpan ulang berkas sebagai UTF-8",
                             problem_en="instrument file is not UTF-8 text",
                             fix_en="save the file again as UTF-8") from None
    try:
        doc = yaml.load(text, Loader=_StrictLoader)  # noqa: S506 - SafeLoader subclass
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise EvalToolsError(
            f"YAML tidak sah: {getattr(exc, 'problem', None) or exc}",
            file=path, row=(mark.line + 1) if mark else None,
            fix="perbaiki baris itu (indentasi dengan spasi, bukan tab; tanpa kunci ganda)",
            problem_en=f"invalid YAML: {getattr(exc, 'problem', None) or exc}",
            fix_en="fix that line (indent with spaces, not tabs; no duplicate keys)") from None
    if not isinstance(doc, Mapping):
        c.fail("berkas instrumen kosong atau bukan pemetaan YAML",
               "mulai dengan 'id:', 'version:', 'items:' ...")

    inst_id = str(c.get(doc, "id", "id"))
    version = str(c.get(doc, "version", "version"))
    title, title_en = c.text(c.get(doc, "title", "title"), "title")
    languages = tuple(doc.get("languages", ["id"]))
    passing = doc.get("passing_score", 70)
    if not isinstance(passing, (int, float)) or not 0 < passing <= 100:
        c.fail(f"passing_score {passing!r} harus angka 1-100", "misalnya passing_score: 70",
               "passing_score")
    waves = tuple(doc.get("waves", WAVES))
    for w in waves:
        if w not in WAVES:
            c.fail(f"gelombang {w!r} tidak dikenal", f"pakai salah satu dari {', '.join(WAVES)}",
                   "waves")

    ids: set = set()
    fields = []
    for n, f in enumerate(c.get(doc, "participant_fields", "participant_fields", list)):
        where = f"participant_fields[{n}]"
        fid = c.ident(c.get(f, "id", where), where, ids)
        if fid not in CANONICAL_FIELDS:
            c.fail(f"field peserta {fid!r} tidak dikenal",
                   f"pakai salah satu dari {', '.join(CANONICAL_FIELDS)}", where)
        ftype = f.get("type", "text")
        if ftype not in FIELD_TYPES:
            c.fail(f"jenis field {ftype!r} tidak dikenal", f"pakai {', '.join(FIELD_TYPES)}", where)
        label, label_en = c.text(c.get(f, "label", where), where)
        options, options_en = {}, {}
        if ftype == "select":
            raw = c.get(f, "options", where, Mapping)
            if not raw:
                c.fail("pilihan kosong", "isi options", where)
            for k, v in raw.items():
                options[str(k)], options_en[str(k)] = c.text(v, f"{where}.options.{k}")
        hint, hint_en = c.text(f["hint"], where) if f.get("hint") else ("", "")
        fields.append(Field(fid, label, label_en, ftype, bool(f.get("required", False)),
                            MappingProxyType(options), hint, MappingProxyType(options_en),
                            hint_en))
    field_ids = {f.id for f in fields}
    if "nip" not in field_ids and "kode_peserta" not in field_ids:
        c.fail("tidak ada field pengenal peserta", "tambahkan field 'nip' atau 'kode_peserta'",
               "participant_fields")

    topics = []
    for n, t in enumerate(c.get(doc, "topics", "topics", list)):
        where = f"topics[{n}]"
        tid = c.ident(c.get(t, "id", where), where, ids)
        topics.append(Topic(tid, *c.text(c.get(t, "label", where), where)))
    topic_ids = {t.id for t in topics}

    items = []
    for n, it in enumerate(c.get(doc, "items", "items", list)):
        where = f"items[{n}]"
        iid = c.ident(c.get(it, "id", where), where, ids)
        where = f"items[{n}] ({iid})"
        topic = c.get(it, "topic", where)
        if topic not in topic_ids:
            c.fail(f"topik {topic!r} tidak dikenal", f"pakai salah satu dari {', '.join(sorted(topic_ids))}",
                   where)
        itype = c.get(it, "type", where)
        if itype not in ITEM_TYPES:
            c.fail(f"jenis butir {itype!r} tidak dikenal", f"pakai {', '.join(ITEM_TYPES)}", where)
        text, text_en = c.text(c.get(it, "text", where), where)
        raw = it.get("options")
        if not isinstance(raw, Mapping) or not raw:
            c.fail("pilihan jawaban (options) kosong", "isi options: a: ..., b: ...", where)
        opts, opts_en = {}, {}
        for k, v in raw.items():
            k = str(k)
            if not re.match(r"^[a-z0-9_]+$", k):
                c.fail(f"id pilihan {k!r} tidak sah", "pakai huruf kecil/angka tanpa spasi", where)
            opts[k], opts_en[k] = c.text(v, f"{where}.options.{k}")
        if itype == "truefalse" and len(opts) != 2:
            c.fail("butir benar/salah harus punya tepat 2 pilihan", "pakai benar dan salah", where)
        if itype != "multi" and len(opts) < 2:
            c.fail("butir harus punya sedikitnya 2 pilihan", "tambahkan pilihan", where)
        key = c.get(it, "key", where)
        if itype == "multi":
            if not isinstance(key, list) or not key:
                c.fail("kunci butir multi harus daftar pilihan", "misalnya key: [a, c, d]", where)
            key = frozenset(str(k) for k in key)
            bad = sorted(key - set(opts))
        else:
            key = str(key)
            bad = [] if key in opts else [key]
        if bad:
            c.fail(f"kunci {', '.join(bad)} tidak ada di antara pilihan {', '.join(opts)}",
                   "perbaiki key agar sama dengan id salah satu pilihan", where)
        items.append(Item(iid, topic, itype, text, text_en, MappingProxyType(opts),
                          MappingProxyType(opts_en), key, str(it.get("basis", "")),
                          bool(it.get("scored", True)), str(it.get("note", ""))))
    if not any(i.scored for i in items):
        c.fail("tidak ada butir yang dinilai", "tandai butir dengan scored: true", "items")
    used = {i.topic for i in items if i.scored}
    for t in topics:
        if t.id not in used:
            c.fail(f"topik {t.id!r} tidak punya butir yang dinilai",
                   "tambahkan butir untuk topik itu atau hapus topiknya", "topics")

    points, points_en = {}, {}
    for k, v in (doc.get("likert_points") or {}).items():
        points[int(k)], points_en[int(k)] = c.text(v, f"likert_points.{k}")
    scales = []
    for n, s in enumerate(doc.get("scales") or []):
        where = f"scales[{n}]"
        sid = c.ident(c.get(s, "id", where), where, ids)
        kind = s.get("kind", "attitude")
        if kind not in ("attitude", "reaction"):
            c.fail(f"jenis skala {kind!r} tidak dikenal", "pakai attitude atau reaction", where)
        swaves = tuple(s.get("waves", ("pre", "post") if kind == "attitude" else ("post",)))
        scales.append(Scale(sid, *c.text(c.get(s, "label", where), where), kind, swaves))
    scale_ids = {s.id for s in scales}
    likert = []
    for n, li in enumerate(doc.get("likert_items") or []):
        where = f"likert_items[{n}]"
        lid = c.ident(c.get(li, "id", where), where, ids)
        scale = c.get(li, "scale", where)
        if scale not in scale_ids:
            c.fail(f"skala {scale!r} tidak dikenal", "tambahkan skala itu di 'scales'", where)
        likert.append(LikertItem(lid, scale, *c.text(c.get(li, "text", where), where),
                                 bool(li.get("reverse", False))))
    if likert and sorted(points) != [1, 2, 3, 4, 5]:
        c.fail("likert_points harus 1 sampai 5", "isi likert_points: 1 ... 5", "likert_points")
    open_items = []
    for n, oi in enumerate(doc.get("open_items") or []):
        where = f"open_items[{n}]"
        oid = c.ident(c.get(oi, "id", where), where, ids)
        open_items.append(OpenItem(oid, *c.text(c.get(oi, "text", where), where),
                                   tuple(oi.get("waves", ("post",)))))

    return Instrument(inst_id, version, title, title_en, languages, float(passing), waves,
                      tuple(fields), tuple(topics), tuple(items), MappingProxyType(points),
                      tuple(scales), tuple(likert), tuple(open_items), path,
                      MappingProxyType(points_en))


def load_opd_registry(path="data/opd.csv"):
    """The OPD registry as text columns: kode, nama, singkatan, alias, jenis, kabupaten_kota.

    Codes stay strings ("6400-001"); ``alias`` holds ";"-separated other spellings.

    Example:
        >>> load_opd_registry("data/opd.csv")["kode"].iloc[0]
        '6400-001'
    """
    import pandas as pd
    path = os.fspath(path)
    try:
        reg = pd.read_csv(path, dtype=str, keep_default_na=False)
    except FileNotFoundError:
        raise EvalToolsError("daftar OPD tidak ditemukan", file=path,
                             fix="pakai data/opd.csv atau sebutkan berkasnya",
                             problem_en="OPD registry not found",
                             fix_en="use data/opd.csv or name the file") from None
    missing = [c for c in ("kode", "nama", "singkatan") if c not in reg.columns]
    if missing:
        raise EvalToolsError(f"kolom {', '.join(missing)} tidak ada", file=path, row=1,
                             column=missing[0], fix="kolom wajib: kode, nama, singkatan",
                             problem_en=f"column(s) {', '.join(missing)} missing",
                             fix_en="required columns: kode, nama, singkatan")
    return reg
