"""Exports of the recap across sessions: the trend and OPD charts and
``rekap.xlsx`` (Sesi, Per OPD, Topik terlemah, Retensi, Format sesi or Antar-sesi), aggregates only,
groups under the minimum size blanked.

Example:
    >>> [c.key for c in SESSION_COLUMNS][:3]
    ['n', 'n_opd', 'mean_pre']
"""

from __future__ import annotations

from pathlib import Path

from .. import charts, fmt
from ..compare import visible_only
from ..overwrite import SEND, atomic_path, claim, claim_file, retire
from ..sessions_compare import compare_sessions, compared_by
from .advice import write_advice
from .ancova import sheet_name, write_ancova_sheet
from .common import (FORMATS, GAIN_FORMAT, P_FORMAT, Column, check_formats, fit_print,
                     group_columns, save_figure, write_table)
from .session import chart_names

SESSION_COLUMNS = [Column("n", "n", "0"), Column("n_opd", "Jumlah OPD", "0"),
                   *group_columns("mean_pre", "mean_post", "mean_gain", "ci_low", "ci_high", "d_z",
                                  "pass_pre", "pass_post")]
OPD_COLUMNS = [Column("n_sessions", "Jumlah sesi", "0"),
               *group_columns("n", "mean_pre", "mean_post", "mean_gain", "gain_pooled", "ci_low",
                              "ci_high", "pass_pre", "pass_post"),
               Column("rendah", "Post-test")]
WEAKEST_COLUMNS = [Column("n", "n", "0"), Column("mean_pre", "% benar pre", "0.0"),
                   Column("mean_post", "% benar post", "0.0")]
RETENTION_COLUMNS = [
    Column("n", "n (ketiga tes)", "0"), Column("mean_pre", "Rata-rata pre", "0.0"),
    Column("mean_post", "Rata-rata post", "0.0"),
    Column("mean_followup", "Rata-rata tindak lanjut", "0.0"),
    Column("change", "Perubahan post → tindak lanjut", GAIN_FORMAT),
    Column("ci_low", "IK 95% bawah", "0.0"), Column("ci_high", "IK 95% atas", "0.0"),
    Column("p_t", "p (uji t)", P_FORMAT), Column("kept_pct", "% kenaikan tersimpan", "0"),
    Column("n_others", "Responden lain: n", "0"),
    Column("mean_others", "Responden lain: rata-rata", "0.0")]


def write_recap_workbook(rc, path, *, overwrite: bool = False) -> Path:
    """``rekap.xlsx``: one sheet per question of the recap. An existing ``path``
    is replaced only if evaltools wrote it and it is unchanged, or with
    ``overwrite=True`` (``evaltools.overwrite``).

    Example:
        >>> import tempfile
        >>> from openpyxl import load_workbook
        >>> rc = et.recap("data/sample", inst)
        >>> path = write_recap_workbook(rc, Path(tempfile.mkdtemp()) / "rekap.xlsx")
        >>> load_workbook(path).sheetnames
        ['Sesi', 'Rekomendasi', 'Per OPD', 'Topik terlemah', 'Retensi', 'Format sesi']
    """
    from openpyxl import Workbook
    note = f"n < {fmt.count(rc.min_n)}"
    wb = Workbook()
    ws = wb.active
    ws.title = "Sesi"
    write_table(ws, rc.sessions, [Column("label", "Sesi"), Column("date", "Tanggal")],
                SESSION_COLUMNS, note)
    kops = [e.meta["kop"] for e in rc.sessions_only.values() if e.meta.get("kop")]
    write_advice(wb.create_sheet("Rekomendasi"), rc.recommendations(), kop=kops[-1] if kops else None)
    by = visible_only(rc.by_opd())
    by = by.assign(rendah=by["low_post"].map({True: "di bawah KKM", False: ""}))
    write_table(wb.create_sheet("Per OPD"), by, [Column("opd", "OPD / unit kerja")], OPD_COLUMNS,
                note)
    weak = rc.weakest_topics().assign(suppressed=False)  # only OPDs with n >= min_n are listed
    write_table(wb.create_sheet("Topik terlemah"), weak,
                [Column("opd", "OPD / unit kerja"), Column("label", "Topik terlemah")],
                WEAKEST_COLUMNS, note)
    ret = rc.retention()
    if len(ret):
        write_table(wb.create_sheet("Retensi"), ret,
                    [Column("session", "Sesi"), Column("followup", "Tindak lanjut")],
                    RETENTION_COLUMNS, note)
    cmp = compare_sessions(rc.sessions_only, by=compared_by(rc.sessions_only), min_n=rc.min_n)
    write_ancova_sheet(wb.create_sheet(sheet_name(cmp.by)), cmp, note)
    for sheet in wb.worksheets:  # each prints on one page width, its text wrapped
        fit_print(sheet)
    path = Path(path)
    with claim_file(path, overwrite=overwrite), atomic_path(path) as tmp:
        wb.save(tmp)
    return path


def _save_chart(fig, out: Path, name: str, formats) -> list:
    """The PNG in ``out/kirim/`` for managers, the other formats in ``out``."""
    others = [f for f in formats if f != "png"]
    return (save_figure(fig, out / SEND / name, ("png",)) if "png" in formats else []) \
        + save_figure(fig, out / name, others)


def recap_names(formats=FORMATS) -> list:
    """Every name below the recap folder that :func:`export_recap` writes.

    Example:
        >>> recap_names(("png",))
        ['kirim/tren_sesi.png', 'kirim/rekap_opd.png', 'kirim/rekap.xlsx']
    """
    return chart_names(("tren_sesi", "rekap_opd"), formats) + [f"{SEND}/rekap.xlsx"]


def export_recap(rc, out_dir, *, lang: str = "id", formats=FORMATS,
                 overwrite: bool = False) -> list:
    """Write the trend chart (``tren_sesi``), the OPD chart across sessions
    (``rekap_opd``) and ``rekap.xlsx``; return the paths. What managers get
    (``rekap.xlsx``, the PNG charts) goes to ``out_dir/kirim/``, the charts'
    other formats stay in ``out_dir``. Files that evaltools did not write, or
    that were changed since, are refused before anything is written unless
    ``overwrite=True``; an older layout's unchanged files are removed.

    Example:
        >>> import tempfile
        >>> rc = et.recap("data/sample", inst)
        >>> [f"{p.parent.name}/{p.name}" for p in export_recap(rc, tempfile.mkdtemp(),
        ...                                                      formats=("png",))]
        ['kirim/tren_sesi.png', 'kirim/rekap_opd.png', 'kirim/rekap.xlsx']
    """
    from matplotlib.figure import Figure
    check_formats(formats)
    out = Path(out_dir)
    names = recap_names(formats)
    syn = any(e.synthetic for e in rc.evaluations.values())
    written = []
    # checked before anything is written; the old files stay until every new one is complete
    with claim(out, names, overwrite=overwrite, staged=True):
        fig = Figure(figsize=(7.5, 4.4 + 0.17 * len(rc.sessions)), layout="constrained")
        charts.trend(rc.sessions, kkm=rc.instrument.passing_score, ax=fig.subplots(), lang=lang,
                     synthetic=syn)
        written += _save_chart(fig, out, "tren_sesi", formats)
        by = visible_only(rc.by_opd())
        fig = Figure(figsize=(7.5, 1.4 + 0.32 * max(len(by), 3)), layout="constrained")
        charts.group_forest(by, ax=fig.subplots(), lang=lang, synthetic=syn)
        written += _save_chart(fig, out, "rekap_opd", formats)
        written.append(write_recap_workbook(rc, out / SEND / "rekap.xlsx", overwrite=overwrite))
    retire(out, ["tren_sesi.png", "rekap_opd.png", "rekap.xlsx"])
    return written
