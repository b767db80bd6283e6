"""Exports of the recap across sessions: the trend and OPD charts and
``rekap.xlsx`` (Sesi, Per OPD, Topik terlemah, Retensi), aggregates only,
groups under the minimum size blanked.

Example:
    >>> export_recap(et.recap("data/sample", inst), "reports/rekap")  # doctest: +SKIP
"""

from __future__ import annotations

from pathlib import Path

from .. import charts
from ..compare import visible_only
from ..overwrite import claim, claim_file
from .workbook import _GROUP_COLS, P_FORMAT, _write_table

_RET_COLS = [("n", "n (ketiga tes)", "0"), ("mean_pre", "Rata-rata pre", "0.0"),
             ("mean_post", "Rata-rata post", "0.0"), ("mean_followup", "Rata-rata tindak lanjut", "0.0"),
             ("change", "Perubahan post → tindak lanjut", "+0.0;-0.0;0.0"),
             ("ci_low", "IK 95% bawah", "0.0"), ("ci_high", "IK 95% atas", "0.0"),
             ("p_t", "p (uji t)", P_FORMAT), ("kept_pct", "% kenaikan tersimpan", "0"),
             ("n_others", "Responden lain: n", "0"),
             ("mean_others", "Responden lain: rata-rata", "0.0")]


def write_recap_workbook(rc, path, *, overwrite: bool = False) -> Path:
    """``rekap.xlsx``: one sheet per question of the recap. An existing ``path``
    is replaced only if evaltools wrote it and it is unchanged, or with
    ``overwrite=True`` (``evaltools.overwrite``).

    Example:
        >>> write_recap_workbook(rc, "reports/rekap/rekap.xlsx")  # doctest: +SKIP
    """
    from openpyxl import Workbook
    note = f"n < {rc.min_n}"
    wb = Workbook()
    ws = wb.active
    ws.title = "Sesi"
    _write_table(ws, rc.sessions, [("label", "Sesi"), ("date", "Tanggal")],
                 [_GROUP_COLS[0], ("n_opd", "Jumlah OPD", "0")] + _GROUP_COLS[1:6]
                 + [_GROUP_COLS[8], _GROUP_COLS[10], _GROUP_COLS[11]], note)
    by = visible_only(rc.by_opd())
    by = by.assign(rendah=by["low_post"].map({True: "di bawah KKM", False: ""}))
    _write_table(wb.create_sheet("Per OPD"), by, [("opd", "OPD / unit kerja")],
                 [("n_sessions", "Jumlah sesi", "0")] + _GROUP_COLS[:4]
                 + [("gain_pooled", "Kenaikan (dipadukan)", "+0.0;-0.0;0.0")] + _GROUP_COLS[4:6]
                 + [_GROUP_COLS[10], _GROUP_COLS[11], ("rendah", "Post-test", "@")], note)
    weak = rc.weakest_topics().assign(suppressed=False)  # only OPDs with n >= min_n are listed
    _write_table(wb.create_sheet("Topik terlemah"), weak, [("opd", "OPD / unit kerja"),
                                                           ("label", "Topik terlemah")],
                 [("n", "n", "0"), ("mean_pre", "% benar pre", "0.0"),
                  ("mean_post", "% benar post", "0.0")], note)
    ret = rc.retention()
    if len(ret):
        _write_table(wb.create_sheet("Retensi"), ret, [("session", "Sesi"), ("followup", "Tindak lanjut")],
                     _RET_COLS, note)
    path = Path(path)
    with claim_file(path, overwrite=overwrite):
        wb.save(path)
    return path


def export_recap(rc, out_dir, *, lang: str = "id", formats=("png", "svg", "pdf"),
                 overwrite: bool = False) -> list:
    """Write the trend chart (``tren_sesi``), the OPD chart across sessions
    (``rekap_opd``) and ``rekap.xlsx``; return the paths. Files in ``out_dir``
    that evaltools did not write, or that were changed since, are refused
    before anything is written unless ``overwrite=True``.

    Example:
        >>> export_recap(rc, "reports/rekap", formats=("png",))  # doctest: +SKIP
    """
    from matplotlib.figure import Figure

    from . import _save
    out = Path(out_dir)
    names = [f"{c}.{f}" for c in ("tren_sesi", "rekap_opd") for f in formats] + ["rekap.xlsx"]
    syn = any(e.synthetic for e in rc.evaluations.values())
    written = []
    with claim(out, names, overwrite=overwrite):  # checked before anything is written
        fig = Figure(figsize=(7.5, 4.4), layout="constrained")
        charts.trend(rc.sessions, kkm=rc.instrument.passing_score, ax=fig.subplots(), lang=lang,
                     synthetic=syn)
        written += _save(fig, out / "tren_sesi", formats)
        by = visible_only(rc.by_opd())
        fig = Figure(figsize=(7.5, 1.4 + 0.32 * max(len(by), 3)), layout="constrained")
        charts.group_forest(by, ax=fig.subplots(), lang=lang, synthetic=syn)
        written += _save(fig, out / "rekap_opd", formats)
        written.append(write_recap_workbook(rc, out / "rekap.xlsx", overwrite=overwrite))
    return written
