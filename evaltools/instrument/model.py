"""What a loaded instrument holds: the frozen dataclasses and the fixed vocabularies.

Nothing here reads a file; :func:`evaltools.load_instrument` builds these.

Example:
    >>> inst.item("q31").type, sorted(inst.item("q31").key)
    ('multi', ['a', 'c', 'd'])
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Mapping

CANONICAL_FIELDS = ("nama", "nip", "kode_peserta", "opd", "jenis_pegawai",
                    "jabatan", "jenis_kelamin", "kabupaten_kota")
ITEM_TYPES = ("single", "truefalse", "multi")
FIELD_TYPES = ("text", "nip", "code", "opd", "select")
SCALE_KINDS = ("attitude", "reaction")
WAVES = ("pre", "post", "followup")


def short_text(text: str, width: int) -> str:
    """``text`` on one line, cut at a word boundary with "…" to ``width`` characters.

    Example:
        >>> short_text("Pegawai ASN harus bebas dari pengaruh", 20)
        'Pegawai ASN harus…'
    """
    text = " ".join(str(text).split())
    if len(text) <= width:
        return text
    cut = text[:width - 1]
    if text[width - 1] != " " and " " in cut:  # the cut falls inside a word: drop that word
        cut = cut.rsplit(" ", 1)[0]
    return cut.rstrip(" ,;:.") + "…"


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
    """A validated instrument; build it with :func:`evaltools.load_instrument`.

    Example:
        >>> inst.topic_label("sanksi", "en"), len(inst.items_for("pre"))
        ('Sanctions', 6)
    """
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

    def item_number(self, item_id: str) -> int:
        """The item's number as printed on the paper form (its place in the
        instrument, from 1; ``forms.paper`` numbers the items the same way).

        Example:
            >>> inst.item_number("q01"), inst.item_number("q21")
            (1, 21)
        """
        return 1 + next(n for n, i in enumerate(self.items) if i.id == item_id)

    def item_label(self, item_id: str, lang: str = "id", width: int = 40) -> str:
        """"<number>. <short question>": the number on the paper form and the
        question cut at a word boundary with "…" to ``width`` characters.

        Example:
            >>> inst.item_label("q02")
            '2. Yang BUKAN termasuk nilai dasar…'
            >>> inst.item_label("q02", "en", width=200).startswith("2. ")
            True
        """
        it = self.item(item_id)
        head = f"{self.item_number(item_id)}. "
        return head + short_text(it.text if lang == "id" else it.text_en or it.text,
                                 max(width - len(head), 8))

    def option_label(self, item_id: str, option_id: str, lang: str = "id") -> str:
        """An option as a reader sees it: "B. Adaptif"; a true/false option is
        its word once ("Benar", "Salah"; "True", "False" in English).

        Example:
            >>> inst.option_label("q02", "b"), inst.option_label("q04", "benar")
            ('B. Adaptif', 'Benar')
            >>> inst.option_label("q04", "salah", "en")
            'False'
        """
        it = self.item(item_id)
        opts = it.options if lang == "id" else (it.options_en or it.options)
        text = str(opts.get(option_id, "")).strip()
        if it.type == "truefalse":
            if lang != "id" and not it.options_en:
                return {"benar": "True", "salah": "False"}.get(option_id, text or option_id)
            return text or option_id.capitalize()
        return f"{option_id.upper()}. {text}".strip(". ")

    def field(self, field_id: str) -> Field:
        return next(f for f in self.participant_fields if f.id == field_id)

    def items_for(self, wave: str) -> tuple:
        """Likert items asked in a wave (attitude pre/post, reaction post)."""
        scales = {s.id for s in self.scales if wave in s.waves}
        return tuple(i for i in self.likert_items if i.scale in scales)
