"""The recap workbook's sheet comparing sessions or their formats on the
post-test adjusted for the pre-test (``evaltools.sessions_compare``): the
adjusted means, the pairwise differences, the assumption checks, the gain
comparison (Welch), the sentences, and how it is computed (Metode).

Example:
    >>> sheet_name("format"), sheet_name("session")
    ('Format sesi', 'Antar-sesi')
"""

from __future__ import annotations

from ..sessions_compare import SessionComparison
from .common import GAIN_FORMAT, P_FORMAT, Column, bold_header, cell_format, group_columns, \
    safe_text, write_table
from .methods import METHODS

MEANS_COLUMNS = [*group_columns("n", "mean_pre", "mean_post", "mean_gain"),
                 Column("adj_mean", "Rata-rata post disesuaikan", "0.0"),
                 *group_columns("ci_low", "ci_high")]
CHECK_LABELS = {"slopes": "Kemiringan sama (interaksi pre x kelompok)",
                "levene": "Ragam residu sama (Levene, median)",
                "normality": "Residu normal (Shapiro-Wilk)"}
METHOD_TERM = "ANCOVA (post disesuaikan pre)"


def sheet_name(by: str) -> str:
    """The sheet's name: "Format sesi" for ``by="format"``, else "Antar-sesi"."""
    return "Format sesi" if by == "format" else "Antar-sesi"


def _rows(ws, header: list, rows: list, formats: list) -> None:
    """A small table under what is already on the sheet: a bold header, then
    the rows, numbers with their Excel formats."""
    ws.append([])
    ws.append([safe_text(h) for h in header])
    bold_header(ws[ws.max_row])
    for row in rows:
        ws.append([safe_text(v) if isinstance(v, str) else v for v in row])
        for j, f in enumerate(formats, start=1):
            if f:
                ws.cell(ws.max_row, j).number_format = cell_format(f)


def write_ancova_sheet(ws, c: SessionComparison, min_n_note: str) -> None:
    """Fill ``ws`` with the comparison ``c``: the adjusted means per group,
    the differences with Holm's p, the checks, Welch on the gains, the
    sentences and the Metode text; only the sentences when no model could be
    fitted.

    Example:
        >>> from openpyxl import Workbook
        >>> from evaltools.sessions_compare import compare_sessions
        >>> ws = Workbook().active
        >>> write_ancova_sheet(ws, compare_sessions({"loa-janan-2024-11-22": ev}), "n < 5")
        >>> ws["A1"].value[:36]
        'Tidak ada perbandingan menurut sesi:'
    """
    if c.why is not None:
        for s in c.sentences("id"):
            ws.append([safe_text(s)])
        return
    label = "Format" if c.by == "format" else "Sesi"
    write_table(ws, c.means.assign(suppressed=False), [Column("group", label)], MEANS_COLUMNS,
                min_n_note)
    _rows(ws, ["Perbedaan rata-rata disesuaikan", "Selisih", "p Holm"],
          [[r.contrast, r.estimate, r.p_holm] for r in c.pairs.itertuples()],
          [None, GAIN_FORMAT, P_FORMAT])
    _rows(ws, ["Uji syarat ANCOVA", "p", "Hasil"],
          [[CHECK_LABELS[r.check], r.p, "terpenuhi" if r.passed else "tidak terpenuhi"]
           for r in c.checks.itertuples()], [None, P_FORMAT, None])
    g = c.gain.iloc[0]
    test = "Kenaikan: uji t Welch" if g.test == "welch_t" else "Kenaikan: ANOVA Welch"
    _rows(ws, ["Alternatif tanpa asumsi ragam sama", "Statistik", "p"],
          [[test, g.statistic, g.p]], [None, "0.00", P_FORMAT])
    ws.append([])
    ws.append(["Kesimpulan"])
    bold_header(ws[ws.max_row])
    for s in c.sentences("id"):
        ws.append([safe_text(s)])
    ws.append([])
    ws.append([safe_text(f"Metode: {dict(METHODS)[METHOD_TERM]}")])
