"""Files for managers: charts (PNG) and an Excel summary, aggregates only.

No names, NIPs or codes leave through here; groups under the minimum size
are blanked with "n < 5"; every text cell is guarded against formula
injection (OWASP: a leading = + - @ tab CR LF gets an apostrophe).

Example:
    >>> export_session(ev, "reports/loa-janan-2024-11-22")  # doctest: +SKIP
"""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd

from . import charts
from .findings import attrition_sentence
from .stats import cohen_label, hake_label

_DANGEROUS = ("=", "+", "-", "@", "\t", "\r", "\n")
P_FORMAT = '[<0.001]"< 0.001";0.000'  # a tiny p must not read as zero
DPI = 200


def safe_text(value):
    """Neutralise a text value that a spreadsheet would run as a formula.

    Example:
        >>> safe_text("=HYPERLINK(\\"x\\")"), safe_text(-3), safe_text("- tambah waktu")
        ('\\'=HYPERLINK("x")', -3, "'- tambah waktu")
    """
    if isinstance(value, str) and value.startswith(_DANGEROUS):
        return "'" + value
    return value


def _num(v):
    if v is None:
        return None
    try:
        f = float(v)
    except (TypeError, ValueError):
        return v
    return None if math.isnan(f) else f


_GROUP_COLS = [("n", "n", "0"), ("mean_pre", "Rata-rata pre", "0.0"),
               ("mean_post", "Rata-rata post", "0.0"), ("mean_gain", "Kenaikan", "+0.0;-0.0;0.0"),
               ("ci_low", "IK 95% bawah", "0.0"), ("ci_high", "IK 95% atas", "0.0"),
               ("p_t", "p (uji t)", P_FORMAT), ("p_t_holm", "p Holm", P_FORMAT),
               ("d_z", "d_z", "0.00"), ("g_hake", "Gain Hake <g>", "0.00"),
               ("pass_pre", "% lulus pre", "0.0"), ("pass_post", "% lulus post", "0.0")]


def _write_table(ws, df: pd.DataFrame, label_cols: list, cols: list, min_n_note: str):
    from openpyxl.styles import Alignment, Font, PatternFill
    header = [lab for _, lab in label_cols] + [lab for _, lab, _ in cols]
    ws.append([safe_text(h) for h in header])
    for c in ws[1]:
        c.font = Font(bold=True, color="FFFFFF")
        c.fill = PatternFill("solid", fgColor="0072B2")
        c.alignment = Alignment(wrap_text=True, vertical="center")
    for _, r in df.iterrows():
        row = [safe_text(str(r[k])) for k, _ in label_cols]
        if bool(r.get("suppressed", False)):
            row += [min_n_note] + [None] * (len(cols) - 1)
        else:
            row += [_num(r.get(k)) for k, _, _ in cols]
        ws.append(row)
        for j, (_, _, fmt) in enumerate(cols, start=len(label_cols) + 1):
            ws.cell(ws.max_row, j).number_format = fmt
    ws.freeze_panes = ws.cell(2, len(label_cols) + 1)
    for j in range(1, len(header) + 1):
        letter = ws.cell(1, j).column_letter
        ws.column_dimensions[letter].width = 42 if j <= len(label_cols) else 13
    ws.row_dimensions[1].height = 32
    # printed landscape on one page width; the header row repeats on every page
    ws.page_setup.orientation = "landscape"
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    ws.print_title_rows = "1:1"


def _write_attrition(ws, a, min_n: int):
    from openpyxl.styles import Alignment, Font
    ws.append([])
    ws.append(["Peserta yang tidak ikut post-test", "Nilai"])
    for c in ws[ws.max_row]:
        c.font = Font(bold=True)
    rows = [("Peserta pre-test", a["n_pre"], "0"),
            ("Tidak ikut post-test", a["n_dropouts"], "0"),
            ("Tingkat putus (%)", a["attrition_pct"], "0.0")]
    if not bool(a["suppressed"]):
        rows += [("Rata-rata pre-test: yang tidak ikut post-test (%)", a["mean_pre_dropouts"], "0.0"),
                 ("Rata-rata pre-test: yang ikut keduanya (%)", a["mean_pre_completers"], "0.0"),
                 ("Selisih (tidak ikut - ikut, poin persen)", a["diff"], "+0.0;-0.0;0.0"),
                 ("p (uji t Welch)", a["p_welch"], P_FORMAT),
                 ("p (Mann-Whitney)", a["p_mw"], P_FORMAT)]
    for label, value, fmt in rows:
        ws.append([label, _num(value)])
        ws.cell(ws.max_row, 2).number_format = fmt
    text = attrition_sentence(a, min_n)
    ws.append(["Artinya", safe_text(text)])
    # spreadsheets do not grow a row for wrapped text written by openpyxl
    ws.row_dimensions[ws.max_row].height = 15 * math.ceil(len(text) / 55)
    ws.cell(ws.max_row, 1).alignment = Alignment(vertical="top")
    ws.cell(ws.max_row, 2).alignment = Alignment(wrap_text=True, vertical="top")


def write_workbook(ev, path) -> Path:
    """Write ``ringkasan.xlsx``: Ringkasan, Per OPD, Per Topik, Kualitas Data.

    Example:
        >>> write_workbook(ev, "reports/x/ringkasan.xlsx")  # doctest: +SKIP
    """
    from openpyxl import Workbook
    from openpyxl.styles import Font
    path = Path(path)
    wb = Workbook()
    ws = wb.active
    ws.title = "Ringkasan"
    meta = ev.meta
    s = ev.summary.iloc[0]
    ws.append([safe_text(meta.get("nama", "Laporan sesi sosialisasi netralitas ASN"))])
    ws["A1"].font = Font(bold=True, size=14)
    if ev.synthetic:
        ws.append(["DATA CONTOH (SINTETIS): bukan data nyata"])
        ws["A2"].font = Font(bold=True, color="D55E00")
    for key, label in (("tanggal", "Tanggal"), ("tempat", "Tempat"),
                       ("penyelenggara", "Penyelenggara"), ("pengumpulan", "Pengumpulan data")):
        if meta.get(key):
            ws.append([label, safe_text(str(meta[key]))])
    ws.append(["Instrumen", safe_text(f"{ev.instrument.id} versi {ev.instrument.version}")])
    ws.append([])
    ws.append(["Hasil utama", "Nilai"])
    ws.cell(ws.max_row, 1).font = Font(bold=True)
    ws.cell(ws.max_row, 2).font = Font(bold=True)
    rows = [("Peserta berpasangan (pre dan post)", s["n"], "0"),
            ("Rata-rata skor pre-test (%)", s["mean_pre"], "0.0"),
            ("Rata-rata skor post-test (%)", s["mean_post"], "0.0"),
            ("Kenaikan rata-rata (poin persen)", s["mean_gain"], "+0.0;-0.0;0.0"),
            ("IK 95% kenaikan: bawah", s["ci_low"], "0.0"),
            ("IK 95% kenaikan: atas", s["ci_high"], "0.0"),
            ("p (uji t berpasangan)", s["p_t"], P_FORMAT),
            ("p (Wilcoxon)", s["p_w"], P_FORMAT),
            (f"Ukuran efek d_z ({cohen_label(s['d_z'])})", s["d_z"], "0.00"),
            (f"Gain ternormalisasi Hake <g> ({hake_label(s['g_hake'])})", s["g_hake"], "0.00"),
            (f"% lulus KKM {ev.instrument.passing_score:g}: pre", s["pass_pre"], "0.0"),
            (f"% lulus KKM {ev.instrument.passing_score:g}: post", s["pass_post"], "0.0"),
            ("p (McNemar, lulus KKM sebelum vs sesudah)", s["p_pass"], P_FORMAT)]
    if bool(s["suppressed"]):
        rows = rows[:1]
    for label, value, fmt in rows:
        ws.append([label, _num(value)])
        ws.cell(ws.max_row, 2).number_format = fmt
    _write_attrition(ws, ev.attrition().iloc[0], ev.min_n)
    ws.column_dimensions["A"].width = 48
    ws.column_dimensions["B"].width = 60
    # printed on one page width, not with the values split onto a second page
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0

    note = f"n < {ev.min_n}"
    by = ev.by("opd")
    # the pooled gain borrows strength from the other OPDs (DerSimonian-Laird)
    opd_cols = _GROUP_COLS[:4] + [("gain_pooled", "Kenaikan (dipadukan)", "+0.0;-0.0;0.0")] \
        + _GROUP_COLS[4:]
    _write_table(wb.create_sheet("Per OPD"), by, [("opd", "OPD / unit kerja")], opd_cols, note)
    topics = ev.topics()
    _write_table(wb.create_sheet("Per Topik"), topics, [("label", "Topik")],
                 [("n_items", "Jumlah butir", "0")] + _GROUP_COLS[:8] + [_GROUP_COLS[8]], note)

    q = wb.create_sheet("Kualitas Data")
    q.append(["Keterangan", "Jumlah"])
    for _, r in ev.quality().iterrows():
        q.append([safe_text(r["keterangan"]), int(r["n"])])
    q.append([])
    q.append(["Tindakan", "Alasan", "Jumlah baris"])
    for _, r in ev.responses.ledger_counts().iterrows():
        q.append([safe_text(str(r["action"])), safe_text(str(r["reason"])), int(r["n"])])
    for row in (q[1], q[q.max_row - len(ev.responses.ledger_counts())]):
        for c in row:
            c.font = Font(bold=True)
    q.column_dimensions["A"].width = 40
    q.column_dimensions["B"].width = 28
    q.column_dimensions["C"].width = 14
    q.freeze_panes = "A2"
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)
    return path


def _save(fig, stem: Path, formats) -> list:
    """One chart in each format: PNG at 200 dpi; SVG with real text (searchable,
    and checked for personal data) and fixed ids; PDF without a creation date."""
    import matplotlib
    out = []
    with matplotlib.rc_context({"svg.fonttype": "none", "svg.hashsalt": "evaltools"}):
        for fmt in formats:
            path = stem.with_suffix(f".{fmt}")
            meta = {"png": {"Software": None}, "svg": {"Date": None},
                    "pdf": {"CreationDate": None}}.get(fmt, {})
            fig.savefig(path, dpi=DPI, metadata=meta)
            out.append(path)
    return out


FORMATS = ("png", "svg", "pdf")


def export_session(ev, out_dir, *, lang: str = "id", formats=FORMATS) -> list:
    """Write the session's charts (each in ``formats``; PNG at 200 dpi) and
    ``ringkasan.xlsx``. Returns the written paths.

    Example:
        >>> paths = export_session(ev, "reports/loa-janan-2024-11-22", formats=("png",))  # doctest: +SKIP
    """
    from matplotlib.figure import Figure  # no pyplot: nothing global, nothing shown
    bad = [f for f in formats if f not in FORMATS]
    if bad:
        from .errors import EvalToolsError
        raise EvalToolsError(f"format grafik {bad[0]!r} tidak dikenal", fix="pakai png, svg atau pdf",
                             problem_en=f"unknown chart format {bad[0]!r}", fix_en="use png, svg or pdf")
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    syn = ev.synthetic
    written = []

    def chart(name, draw, size):
        fig = Figure(figsize=size, layout="constrained")
        draw(fig.subplots())
        written.extend(_save(fig, out / name, formats))

    m = ev.pairs.matched
    chart("skor_pre_post", lambda ax: charts.score_slopes(
        m, kkm=ev.instrument.passing_score, ax=ax, lang=lang, synthetic=syn), (6.4, 4.8))
    chart("per_topik", lambda ax: charts.topic_dumbbell(ev.topics(), ax=ax, lang=lang,
                                                        synthetic=syn), (6.4, 4.2))
    by = ev.by("opd")
    chart("per_opd", lambda ax: charts.group_forest(
        by, overall=float(ev.summary["mean_gain"].iloc[0]), ax=ax, lang=lang, synthetic=syn),
        (7.5, 1.4 + 0.32 * max(len(by), 3)))
    items = ev.items()
    chart("per_butir", lambda ax: charts.item_change(items, ax=ax, lang=lang, synthetic=syn),
          (6.4, 1.6 + 0.2 * max(len(items), 5)))
    chart("peta_butir", lambda ax: charts.item_map(ev.item_analysis("pre", lang=lang), wave="pre",
                                                   ax=ax, lang=lang, synthetic=syn), (6.4, 4.8))
    att = ev.attitudes()
    chart("sikap", lambda ax: charts.attitude_dumbbell(att, ax=ax, lang=lang, synthetic=syn),
          (7.5, 1.6 + 0.42 * max(len(att), 3)))
    rea = ev.reaction()
    chart("reaksi", lambda ax: charts.reaction_bars(rea, ax=ax, lang=lang, synthetic=syn),
          (7.5, 1.9 + 0.42 * max(len(rea), 3)))
    written.append(write_workbook(ev, out / "ringkasan.xlsx"))
    return written
