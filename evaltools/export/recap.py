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
from ..retention import trajectory_sentences, wave_label
from ..sessions_compare import compare_sessions, compared_by
from .advice import write_advice
from .ancova import sheet_name, write_ancova_sheet
from .common import (FORMATS, GAIN_FORMAT, P_FORMAT, Column, bold_header, cell_format, cell_number,
                     check_formats, figure_bytes, fit_print, group_columns, safe_text, write_table)
from .session import chart_names, write_chart

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

# the trajectory over several follow-ups (Recap.trajectory): the line of the participants who
# took every test, then each follow-up against the post-test on all who took both
TRAJECTORY_WAVE = [Column("n_complete", "n (semua tes)", "0"),
                   Column("mean", "Rata-rata (semua tes)", "0.0"), Column("sd", "SB", "0.0"),
                   Column("ci_low", "IK 95% bawah", "0.0"), Column("ci_high", "IK 95% atas", "0.0"),
                   Column("kept_pct", "% kenaikan tersimpan", "0")]
TRAJECTORY_PAIR = [Column("n_pair", "n (post dan tindak lanjut)", "0"),
                   Column("mean_post_pair", "Rata-rata post", "0.0"),
                   Column("mean_pair", "Rata-rata tindak lanjut", "0.0"),
                   Column("change", "Perubahan dari post", GAIN_FORMAT),
                   Column("change_ci_low", "IK 95% bawah", "0.0"),
                   Column("change_ci_high", "IK 95% atas", "0.0"),
                   Column("p_t", "p (uji t)", P_FORMAT), Column("p_holm", "p Holm", P_FORMAT),
                   Column("d_z", "d_z", "0.00")]


def _block(r, cols: list, hidden: bool, note: str) -> list:
    """A row's cells of ``cols``: numbers, or ``note`` then blanks when hidden."""
    return [note] + [None] * (len(cols) - 1) if hidden else [cell_number(r[c.key]) for c in cols]


def write_trajectory(ws, traj, min_n: int) -> None:
    """Under the retention table of ``ws``: each session's trajectory
    sentences, then one row per wave (``Recap.trajectory()``); a block under
    ``min_n`` shows "n < 5", as every table.

    Example:
        >>> from openpyxl import Workbook
        >>> from evaltools.retention import trajectory
        >>> w = pd.DataFrame({"pre": [50, 55, 60, 40, 45, 70.0], "post": [70, 75, 80, 60, 65, 85.0],
        ...                   "a": [65, 70, 72, 58, 60, 80.0], "b": [60, 62, 70, 50, 55, 78.0]})
        >>> ws = Workbook().active
        >>> write_trajectory(ws, trajectory(w, {"post": "2024-11-22", "a": "2024-12-20",
        ...                                     "b": "2025-02-21"}, session="s"), 5)
        >>> [c.value for c in ws[6]][:4], [c.value for c in ws[10]][1:5]
        (['Sesi', 'Gelombang', 'n (mengisi)', 'n (semua tes)'], ['3 bulan (21 Februari 2025)', 6.0, 6.0, 62.5])
    """
    note = f"n < {fmt.count(min_n)}"
    ws.append(["Lintasan retensi"])
    bold_header(ws[ws.max_row])
    for _, rows in traj.groupby("session", sort=False):
        for text in trajectory_sentences(rows, min_n=min_n):
            ws.append([safe_text(text)])
    ws.append([])
    cols = [Column("session", "Sesi"), Column("label", "Gelombang"),
            Column("n_available", "n (mengisi)", "0"), *TRAJECTORY_WAVE, *TRAJECTORY_PAIR]
    ws.append([c.label for c in cols])
    bold_header(ws[ws.max_row], fill="0072B2")
    for _, r in traj.iterrows():
        label = wave_label(r)
        label = label[0].upper() + label[1:] if r["wave"] in ("pre", "post") else \
            f"{label} ({fmt.date(r['date'])})"
        shown_n = cell_number(r["n_available"]) if r["n_available"] >= min_n else note
        pair = [None] * len(TRAJECTORY_PAIR) if r["wave"] in ("pre", "post") else \
            _block(r, TRAJECTORY_PAIR, bool(r["suppressed_pair"]), note)
        ws.append([safe_text(r["session"]), label, shown_n,
                   *_block(r, TRAJECTORY_WAVE, bool(r["suppressed"]), note), *pair])
        for j, c in enumerate(cols[2:], start=3):
            ws.cell(ws.max_row, j).number_format = cell_format(c.number_format)
    ws.append([TRAJECTORY_NOTE])


TRAJECTORY_NOTE = ("Rata-rata (semua tes): peserta yang mengisi setiap tes, sehingga garisnya memuat "
                   "orang yang sama. Perubahan dari post: semua peserta yang mengisi post-test dan "
                   "survei itu (uji t berpasangan; p Holm di antara survei tindak lanjut sesi itu).")


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
        kept = wb.create_sheet("Retensi")
        write_table(kept, ret, [Column("session", "Sesi"), Column("followup", "Tindak lanjut")],
                    RETENTION_COLUMNS, note)
        kept.append([])
        write_trajectory(kept, rc.trajectory(), rc.min_n)
    cmp = compare_sessions(rc.sessions_only, by=compared_by(rc.sessions_only), min_n=rc.min_n)
    write_ancova_sheet(wb.create_sheet(sheet_name(cmp.by)), cmp, note)
    for sheet in wb.worksheets:  # each prints on one page width, its text wrapped
        fit_print(sheet)
    path = Path(path)
    with claim_file(path, overwrite=overwrite), atomic_path(path) as tmp:
        wb.save(tmp)
    return path


def _save_chart(fig, out: Path, name: str, formats) -> list:
    """The PNG in ``out/kirim/`` for managers, the other formats in ``out``:
    laid out once, for every format (``figure_bytes``)."""
    return write_chart(figure_bytes(fig, formats), out, name)


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
        charts.group_forest(by, ax=fig.subplots(), lang=lang, synthetic=syn, why=rc.no_opd_reason())
        written += _save_chart(fig, out, "rekap_opd", formats)
        written.append(write_recap_workbook(rc, out / SEND / "rekap.xlsx", overwrite=overwrite))
    retire(out, ["tren_sesi.png", "rekap_opd.png", "rekap.xlsx"])
    return written
