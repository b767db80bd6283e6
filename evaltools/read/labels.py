"""The entry template's row 2: the typists' column labels under the ids of
row 1 ("Nama lengkap", "1. Undang-undang tentang ASN ..."). It is no
participant: it is read aside, or dropped when a template that lost its
sheet Petunjuk reads as a plain sheet; a row 2 a typist overwrote with a
participant is refused (that row would never be read).
"""

from __future__ import annotations

import re

import pandas as pd

from ..errors import EvalToolsError
from ..instrument import Instrument
from ..normalize import norm_text
from .formats import map_columns
from .table import Table


def _label_forms(inst: Instrument) -> dict:
    """Column id -> (its labels, texts a shortened label starts with), all
    ``norm_text``: what the entry template writes in row 2 for the typist
    ("Nama lengkap", "1. Undang-undang tentang ASN yang berlaku saat ini…",
    "Saya tetap netral walaupun calon adalah kerabat… (1-5)")."""
    forms = {f.id: ({norm_text(f.label), norm_text(f.label_en)} - {""}, []) for f in inst.participant_fields}
    for i in (*inst.items, *inst.likert_items, *inst.open_items):
        forms[i.id] = (set(), [t for t in (norm_text(i.text), norm_text(i.text_en)) if t])
    return forms


def _is_label(cell: str, forms: tuple) -> bool:
    labels, texts = forms
    # a hint in brackets at the end ("(1-5)", "(boleh lebih dari satu: a c d)") is not the text
    c = norm_text(re.sub(r"\s*\([^()]*\)\s*$", "", cell))
    # a shortened label keeps its first 40-odd characters: a short answer never passes as one
    return bool(c) and (c in labels or c in texts or any(len(c) >= 20 and t.startswith(c) for t in texts))


def _judge_labels(row: pd.Series, inst: Instrument) -> tuple[list, list]:
    """(columns holding their label, filled columns holding something else) of
    one canonical row; columns without a label (control columns) are not judged."""
    forms = _label_forms(inst)
    labels, other = [], []
    for cid, v in row.items():
        v = "" if not isinstance(v, str) else v.strip()
        if cid in forms and v:
            (labels if _is_label(v, forms[cid]) else other).append(cid)
    return labels, other


def _template_row2(table: Table) -> list[str] | None:
    """Row 2 of an entry template's sheet Jawaban as text, one cell per column
    of ``table`` (the file level reads the template's data from row 3 and
    keeps row 2 aside); None if the sheet has no row 2."""
    skipped = table.meta.get("skipped_rows")
    if not skipped:
        return None
    width = table.df.shape[1]
    cells = list(skipped[0])[:width]
    return cells + [""] * (width - len(cells))


def labels_row(table: Table, df: pd.DataFrame, inst: Instrument, columns: dict | None,
               fmt: str) -> tuple[Table, pd.DataFrame]:
    """The entry template's row 2 (the typists' column labels, under the ids
    of row 1) is no participant. Returns the table and its canonical frame
    (``map_columns``) without that row, and marks the table as the template,
    when row 2 is read as data (the sheet Petunjuk was deleted, so the file
    reads as a plain sheet). Refuses a template whose row 2 a typist
    overwrote with a participant: the file level never reads that row as data.

    Example:
        >>> from pathlib import Path
        >>> from evaltools.read.files import read_table
        >>> t = read_table(Path(folder) / "post-entri-kertas-sintetis.xlsx")
        >>> labels_row(t, map_columns(t, inst, None, "template")[0], inst, None, "template")[0] is t
        True
    """
    label_row = table.header_row + 1
    if table.meta.get("format") == "template":
        row = _template_labels(table, df, inst, columns, fmt)
        if row is None:
            return table, df
        other = _judge_labels(row, inst)[1]
    else:
        if table.first_row != label_row or not len(df):
            return table, df
        labels, other = _judge_labels(df.iloc[0], inst)
        if len(labels) < 2 or len(labels) < len(other):
            return table, df  # a participant
    if other:
        _refuse_overwritten(table, label_row, other)
    if table.first_row != label_row:
        return table, df  # the file level kept the labels aside
    keep = {k: v[1:] for k, v in table.meta.items() if k in ("overflow", "short") and v}
    out = Table(table.df.iloc[1:].reset_index(drop=True), table.name, table.path, label_row + 1,
                {**table.meta, **keep, "format": "template"}, table.header_row,
                None if table.blank is None else table.blank.iloc[1:].reset_index(drop=True))
    return out, df.iloc[1:].reset_index(drop=True)


def _template_labels(table: Table, df: pd.DataFrame, inst: Instrument, columns: dict | None,
                     fmt: str) -> pd.Series | None:
    """Row 2 of a template of this instrument in canonical columns; None for
    another instrument's template (refused as such later) or no row 2."""
    m = table.meta
    if (m.get("instrumen") or inst.id) != inst.id or (m.get("versi") or inst.version) != inst.version:
        return None
    if table.first_row == table.header_row + 1:  # read as data
        return df.iloc[0] if len(df) else pd.Series(dtype="str")
    cells = _template_row2(table)
    if cells is None:
        return None
    one = Table(pd.DataFrame([cells], columns=table.df.columns, dtype="str"), table.name,
                table.path, meta=table.meta)
    return map_columns(one, inst, columns, fmt)[0].iloc[0]


def _refuse_overwritten(table: Table, row: int, columns: list) -> None:
    cols = ", ".join(columns[:5]) + (", ..." if len(columns) > 5 else "")
    raise EvalToolsError(
        f"baris {row} templat entri harus berisi keterangan kolom, tetapi berisi isian lain "
        f"(kolom {cols}): isian itu tidak akan terbaca",
        file=table.name, row=row, column=columns[0],
        fix=f"pindahkan isian baris {row} ke baris kosong di bawah tabel, lalu kembalikan "
            f"keterangan kolom di baris {row} (salin dari templat kosong)",
        problem_en=f"row {row} of the entry template must hold the column labels, but holds "
                   f"other entries (columns {cols}): they would not be read",
        fix_en=f"move the entries of row {row} to an empty row below the table, then restore the "
               f"column labels in row {row} (copy them from a blank template)")

