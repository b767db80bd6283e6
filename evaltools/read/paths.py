"""Headers that are paths: KoboToolbox and ODK write a question's groups in
front of its name or label, and a select_multiple choice after it, joined by
a separator the user may choose (Kobo's export dialog: "/" by default, any
text allowed; ODK: "-").

``find_separator`` finds the separator from the headers against what the
form holds (group names and labels, question names and labels, choice names
and labels, in every language of the form); ``strip_groups`` takes the
known group prefixes off a header. What is left is mapped by ``formats``.

Example:
    >>> v = vocabulary(inst)
    >>> find_separator(["pengetahuan.q01", "peserta.nip", "_uuid"], v)
    '.'
    >>> strip_groups("Participant data.OPD / Work unit", ".", v)
    'OPD / Work unit'
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from ..instrument import Instrument
from ..layout import FORM_GROUPS, LIKERT_GROUPS, OTHER_OPD_LABELS, item_form_label

_MAX_SEP = 8  # a longer run between two known names is not a separator


def _fold(text: str) -> str:
    """Compared as written, but case and runs of spaces aside."""
    return " ".join(str(text).split()).casefold()


@dataclass(frozen=True)
class PathVocab:
    """What a header path can be made of, each folded (``_fold``):
    ``groups`` (names and labels, longest first), ``questions`` (every
    question's name and labels), ``multi`` (select_multiple item -> its names
    and labels) and ``choices`` (select_multiple item -> choice names and labels)."""
    groups: tuple
    questions: frozenset
    multi: dict
    choices: dict


def vocabulary(inst: Instrument) -> PathVocab:
    """The names and labels of the instrument's forms, in both languages.

    Example:
        >>> v = vocabulary(inst)
        >>> "participant data" in v.groups, "q31" in v.multi, "a" in v.choices["q31"]
        (True, True, True)
    """
    groups = set(FORM_GROUPS) | set(LIKERT_GROUPS.values())
    groups |= {label for labels in FORM_GROUPS.values() for label in labels}
    for kind in LIKERT_GROUPS:
        scales = [s for s in inst.scales if s.kind == kind]
        for attr in ("label", "label_en"):
            groups |= {getattr(s, attr) for s in scales}
            groups.add("; ".join(getattr(s, attr) for s in scales))
    questions = {*OTHER_OPD_LABELS, "opd_lainnya"}
    for f in inst.participant_fields:
        questions |= {f.id, f.label, f.label_en}
    multi, choices = {}, {}
    for n, item in enumerate(inst.items, start=1):
        names = {item.id, item.text, item.text_en, item_form_label(n, item.text),
                 item_form_label(n, item.text_en)}
        questions |= names
        if item.type == "multi":
            multi[item.id] = frozenset(_fold(x) for x in names if x)
            choices[item.id] = frozenset(_fold(x) for x in (*item.options, *item.options.values(),
                                                             *item.options_en.values()) if x)
    for item in (*inst.likert_items, *inst.open_items):
        questions |= {item.id, item.text, item.text_en}
    return PathVocab(groups=tuple(sorted({_fold(g) for g in groups if g}, key=len, reverse=True)),
                     questions=frozenset(_fold(q) for q in questions if q), multi=multi,
                     choices=choices)


def find_separator(headers, vocab: PathVocab, unknown_groups: bool = True) -> str | None:
    """The group separator the headers were written with, by vote: each
    header that starts with a known group, or with a select_multiple
    question followed by one of its choices, or that ends in a question's
    name after some prefix, tells what stands between the parts (that last
    one only with ``unknown_groups``: a hand-made sheet's "Asal OPD" is no
    path). None when no header does (no groups in the headers and no choice
    columns).

    Example:
        >>> find_separator(["31. Select ALL actions that are prohibited for ASN: - serving on a "
        ...                 "campaign team", "q01"], vocabulary(inst))
        ' - '
    """
    votes = Counter()
    for header in headers:
        h = _fold(header)
        if h.startswith("_"):
            continue  # the tool's own columns (_uuid, __version__) carry no path
        sep = _after_group(h, vocab) or _after_multi(h, vocab) or \
            (_before_name(h, vocab) if unknown_groups else None)
        if sep:
            votes[sep] += 1
    return votes.most_common(1)[0][0] if votes else None


def _after_group(h: str, vocab: PathVocab) -> str | None:
    """The text between a known group at the start of ``h`` and the known
    group or question that follows it."""
    for g in vocab.groups:
        if h.startswith(g) and len(h) > len(g):
            rest = h[len(g):]
            for j in range(1, min(len(rest), _MAX_SEP + 1)):
                tail = rest[j:]
                if _starts_known(tail, vocab):
                    return rest[:j]
    return None


def _starts_known(tail: str, vocab: PathVocab) -> bool:
    """``tail`` is a known question (whole), or a known group or
    select_multiple question followed by more."""
    if tail in vocab.questions:
        return True
    return any(tail.startswith(g) for g in vocab.groups) or \
        any(tail.startswith(m) for names in vocab.multi.values() for m in names)


def _after_multi(h: str, vocab: PathVocab) -> str | None:
    """The text between a select_multiple question and one of its choices
    (Kobo's "separate columns": "q31.a", "31. Pilih ...:/menjadi tim kampanye")."""
    for item, names in vocab.multi.items():
        for m in names:
            if h.startswith(m) and len(h) > len(m):
                rest = h[len(m):]
                for j in range(1, min(len(rest), _MAX_SEP + 1)):
                    if rest[j:] in vocab.choices[item]:
                        return rest[:j]
    return None


def _before_name(h: str, vocab: PathVocab) -> str | None:
    """The run of punctuation or spaces in front of a question's name that
    ends the header ("grup_lain__nip": "__"), for groups the form does not know."""
    for q in vocab.questions:
        if len(h) > len(q) and h.endswith(q) and re.fullmatch(r"[a-z0-9_]+", q):
            run = re.search(r"[^a-z0-9]+$", h[:-len(q)])
            if run and len(run.group()) <= _MAX_SEP and run.start() > 0:
                return run.group()
    return None


def strip_groups(header: str, sep: str, vocab: PathVocab) -> str:
    """``header`` without the known groups in front of it (any depth).

    Example:
        >>> strip_groups("pengetahuan/q31/a", "/", vocabulary(inst))
        'q31/a'
    """
    text, fsep = " ".join(str(header).split()), sep.casefold()
    while True:
        h = text.casefold()
        g = next((g for g in vocab.groups if h.startswith(g + fsep) and len(h) > len(g + fsep)), None)
        if g is None:
            return text
        text = text[len(g + fsep):]
