"""``ringkasan.xlsx``: the manager's workbook, aggregates only.

Sheets Ringkasan (session facts, findings, headline numbers, a native chart),
Per OPD, Per Topik, Per Butir, Sikap & Reaksi, Kualitas Data, Metode; with
``include_participants=True`` also Peserta, pseudonymised. Numbers stay
numbers with formats; every text cell passes :func:`safe_text`.

Example:
    >>> write_workbook(ev, "reports/x/ringkasan.xlsx")  # doctest: +SKIP
"""


from __future__ import annotations

import math
from pathlib import Path

import pandas as pd

from ..compare import visible_only
from ..findings import attrition_sentence
from ..overwrite import claim_file
from ..stats import cohen_label, hake_label

_DANGEROUS = ("=", "+", "-", "@", "\t", "\r", "\n")
P_FORMAT = '[<0.001]"< 0.001";0.000'  # a tiny p must not read as zero


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
            # a group hidden only so that a smaller one cannot be derived says so
            why = "disembunyikan (melindungi kelompok kecil)" if bool(r.get("suppressed_secondary", False)) \
                else min_n_note
            row += [why] + [None] * (len(cols) - 1)
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


_ITEM_COLS = [("n", "n", "0"), ("pct_pre", "% benar pre", "0.0"), ("pct_post", "% benar post", "0.0"),
              ("change", "Perubahan (poin)", "+0.0;-0.0;0.0"), ("b", "benar → salah", "0"),
              ("c", "salah → benar", "0"), ("p", "p (McNemar)", P_FORMAT),
              ("p_bh", "p BH", P_FORMAT), ("difficulty", "Kesukaran (pre)", "0.00"),
              ("discrimination", "Daya beda (pre)", "0.00"), ("r_drop", "r_drop (pre)", "0.00"),
              ("flags", "Catatan (pre)", "@")]


def _write_items(ws, ev, note: str):
    # item analysis of the matched participants: the same people as % benar pre (over all
    # pre-test takers, the difference would give back the answers of those who left)
    cols = ["item", "difficulty", "discrimination", "r_drop", "flags"]
    hidden = bool(ev.summary["suppressed"].iloc[0])  # the rows say "n < 5": nothing to analyse
    ana = pd.DataFrame(columns=cols) if hidden else ev.item_analysis("pre", matched_only=True)[cols]
    it = ev.items().merge(ana, on="item", how="left")
    it["topik"] = it["topic"].map(ev.instrument.topic_label)
    it["suppressed"] = it["n"] < ev.min_n
    _write_table(ws, it, [("item", "Butir"), ("topik", "Topik")], _ITEM_COLS, note)
    ws.column_dimensions["A"].width = 8
    ws.column_dimensions["B"].width = 26
    ws.column_dimensions[ws.cell(1, ws.max_column).column_letter].width = 32  # the flags


def _write_scales(ws, ev, note: str):
    from openpyxl.styles import Font
    att = ev.attitudes()
    att["suppressed"] = att["n"] < ev.min_n
    att["arah"] = att["reverse"].map({True: "dibalik (6 - x)", False: ""})
    _write_table(ws, att, [("text", "Pernyataan sikap")],
                 [("arah", "Arah", "@"), ("n", "n", "0"), ("mean_pre", "Rata-rata pre", "0.00"),
                  ("mean_post", "Rata-rata post", "0.00"), ("p", "p (Wilcoxon)", P_FORMAT),
                  ("p_holm", "p Holm", P_FORMAT), ("alpha_pre", "alpha pre", "0.00"),
                  ("alpha_post", "alpha post", "0.00")], note)
    rea = ev.reaction()
    rea["suppressed"] = rea["n"] < ev.min_n
    ws.append([])
    start = ws.max_row + 1
    header = ["Penilaian penyelenggaraan (sesudah)", "n", "Rata-rata", "% setuju (4-5)",
              "1", "2", "3", "4", "5"]
    ws.append(header)
    for c in ws[start]:
        c.font = Font(bold=True)
    for _, r in rea.iterrows():
        if r["suppressed"]:
            ws.append([safe_text(str(r["text"])), note])
            continue
        ws.append([safe_text(str(r["text"])), int(r["n"]), _num(r["mean"]), _num(r["pct_agree"]),
                   *[int(r[f"n_{k}"]) for k in range(1, 6)]])
        ws.cell(ws.max_row, 3).number_format = "0.00"
        ws.cell(ws.max_row, 4).number_format = "0.0"
    ws.column_dimensions["A"].width = 60


def _topic_chart(ws, topics_ws, n_topics: int):
    """A native Excel bar chart of percent correct per topic, pre and post,
    on the Ringkasan sheet (it reads the numbers of the Per Topik sheet)."""
    from openpyxl.chart import BarChart, Reference
    if n_topics == 0 or topics_ws.cell(2, 4).value in (None, "") or \
            isinstance(topics_ws.cell(2, 3).value, str):
        return  # suppressed: nothing to draw
    chart = BarChart()
    chart.type = "bar"
    chart.title = "Persentase benar per topik"
    chart.y_axis.title = "% benar"
    chart.y_axis.scaling.min, chart.y_axis.scaling.max = 0, 100
    # columns: A Topik, B Jumlah butir, C n, D Rata-rata pre, E Rata-rata post
    data = Reference(topics_ws, min_col=4, max_col=5, min_row=1, max_row=n_topics + 1)
    cats = Reference(topics_ws, min_col=1, min_row=2, max_row=n_topics + 1)
    chart.add_data(data, titles_from_data=True)
    chart.set_categories(cats)
    for series, color in zip(chart.series, ("8C8C8C", "0072B2")):  # the charts' pre/post colours
        series.graphicalProperties.solidFill = color
        series.graphicalProperties.line.solidFill = color
    chart.y_axis.number_format = "0"
    chart.y_axis.majorUnit = 20
    chart.height, chart.width = 8.5, 16
    ws.add_chart(chart, f"A{ws.max_row + 2}")  # below the numbers: the page stays narrow


METHODS = [
    ("Skor", "Persen jawaban benar dari butir yang dinilai (butir yang dasar hukumnya belum "
             "pasti tidak dihitung)."),
    ("Peserta berpasangan", "Peserta yang pre-test dan post-test-nya dapat dicocokkan (NIP, kode "
                            "peserta, atau nama di OPD yang sama). Semua perbandingan utama hanya "
                            "memakai mereka."),
    ("Kenaikan dan IK 95%", "Rata-rata (post - pre) dengan selang kepercayaan 95% dari uji t "
                            "berpasangan: rentang yang wajar untuk kenaikan sebenarnya."),
    ("p", "Peluang mendapat selisih sebesar ini bila sosialisasi sebenarnya tidak berpengaruh; "
          "p < 0,05 dibaca 'berubah nyata'. Uji t dan Wilcoxon (tanpa asumsi normal) dilaporkan "
          "keduanya."),
    ("d_z", "Ukuran efek: kenaikan rata-rata dibagi simpangan baku kenaikan (Cohen): < 0,2 sangat "
            "kecil, < 0,5 kecil, < 0,8 sedang, selebihnya besar."),
    ("Gain Hake <g>", "Bagian dari ruang yang tersisa untuk naik yang benar-benar tercapai: "
                      "(post - pre) / (100 - pre); < 0,3 rendah, 0,3-0,7 sedang, >= 0,7 tinggi."),
    ("Lulus KKM", "Persen peserta dengan skor >= KKM; perubahan diuji McNemar."),
    ("p Holm / p BH", "p yang disesuaikan karena banyak kelompok (OPD, topik: Holm) atau banyak "
                      "butir (Benjamini-Hochberg) diuji sekaligus."),
    ("Kenaikan (dipadukan)", "Kenaikan OPD yang ditarik ke arah rata-rata semua OPD sesuai "
                             "ketelitiannya (partial pooling, DerSimonian-Laird): lebih stabil "
                             "untuk OPD kecil."),
    ("n < 5", "Kelompok dengan kurang dari 5 peserta tidak ditampilkan angkanya (privasi dan "
              "ketidakpastian besar)."),
    ("disembunyikan (melindungi kelompok kecil)", "Kelompok yang cukup besar tetapi ikut "
     "disembunyikan: tanpa itu, angka kelompok n < 5 dapat dihitung dari total sesi dikurangi "
     "kelompok yang tampil."),
    ("Peserta yang tidak ikut post-test", "Skor pre-test mereka dibandingkan dengan peserta yang "
                                         "lengkap (uji t Welch, Mann-Whitney): bila lebih rendah, "
                                         "kenaikan bisa tampak lebih besar dari sebenarnya."),
    ("Keandalan (alpha)", "Cronbach's alpha / KR-20 dengan IK 95% Feldt; >= 0,70 memadai untuk "
                          "menilai kelompok."),
    ("Kesukaran, daya beda", "Proporsi benar; selisih proporsi benar 27% peserta terbaik dan "
                             "27% terendah. Butir dengan daya beda atau r_drop < 0,20 perlu "
                             "direvisi; r_drop negatif: periksa kunci."),
    ("Sikap", "Skala 1-5; pernyataan bernada sebaliknya dibalik (6 - x); pre vs post diuji "
              "Wilcoxon."),
    ("Rujukan", "Semua angka sama dengan R (t.test, wilcox.test, effectsize, mcnemar.test, "
                "p.adjust, metafor, psych) hingga 1e-9; lihat README evaltools."),
]


def _write_methods(ws):
    from openpyxl.styles import Alignment, Font
    ws.append(["Istilah", "Artinya"])
    for c in ws[1]:
        c.font = Font(bold=True)
    for term, text in METHODS:
        ws.append([term, text])
        ws.cell(ws.max_row, 2).alignment = Alignment(wrap_text=True, vertical="top")
        ws.cell(ws.max_row, 1).alignment = Alignment(vertical="top")
        ws.row_dimensions[ws.max_row].height = 15 * math.ceil(len(text) / 85)
    ws.column_dimensions["A"].width = 30
    ws.column_dimensions["B"].width = 90


def pseudonym(pid: str, salt: str) -> str:
    """A participant's pseudonym: a salted BLAKE2 hash of the matching key.
    Without the salt nobody can go back to the NIP (18 digits of dates and a
    serial are few enough to try them all against an unsalted hash).

    Example:
        >>> pseudonym("nip:199302072021012139", "rahasia")
        'P-b3fc82cec1'
    """
    import hashlib
    return "P-" + hashlib.blake2b(pid.encode(), key=salt.encode()[:64], digest_size=5).hexdigest()


def _write_participants(ws, ev, salt: str):
    """One row per matched participant, pseudonymised; the OPD is named only
    where the Per OPD sheet shows it, the rest are "(OPD lain)" (hidden
    groups hold at least ``min_n`` people from two OPDs or more, see
    ``compare.secondary_suppression``)."""
    from openpyxl.styles import Font

    from ..compare import opd_labels
    m = ev.pairs.matched
    by = ev.by("opd")
    shown = set(by.loc[~by["suppressed"], "opd"])
    label = opd_labels(m)
    # keyed by session too: the same person must not be followed from a session where their
    # OPD is shown to one where it is hidden
    keys = [f"{s}|{p}" for s, p in zip(m["session"], m["pid"])]
    df = pd.DataFrame({"pseudonim": [pseudonym(k, salt) for k in keys],
                       "opd": label.where(label.isin(shown), "(OPD lain)"),
                       "pct_pre": m["pct_pre"], "pct_post": m["pct_post"], "gain": m["gain"],
                       "passed_pre": m["passed_pre"].map({True: "ya", False: "tidak"}),
                       "passed_post": m["passed_post"].map({True: "ya", False: "tidak"})})
    df = df.sort_values("pseudonim").reset_index(drop=True)  # input order could point to people
    cols = [("pseudonim", "Pseudonim", "@"), ("opd", "OPD / unit kerja", "@"),
            ("pct_pre", "Skor pre (%)", "0.0"), ("pct_post", "Skor post (%)", "0.0"),
            ("gain", "Kenaikan (poin)", "+0.0;-0.0;0.0"), ("passed_pre", "Lulus KKM pre", "@"),
            ("passed_post", "Lulus KKM post", "@")]
    ws.append([lab for _, lab, _ in cols])
    for c in ws[1]:
        c.font = Font(bold=True)
    for _, r in df.iterrows():
        ws.append([safe_text(r[k]) if fmt == "@" else _num(r[k]) for k, _, fmt in cols])
        for j, (_, _, fmt) in enumerate(cols, start=1):
            ws.cell(ws.max_row, j).number_format = fmt
    for letter, width in zip("ABCDEFG", (16, 44, 12, 12, 14, 14, 14)):
        ws.column_dimensions[letter].width = width
    ws.freeze_panes = "A2"


def write_workbook(ev, path, *, include_participants: bool = False, salt: str | None = None,
                   overwrite: bool = False) -> Path:
    """Write ``ringkasan.xlsx``: Ringkasan (headline numbers, findings, a chart),
    Per OPD, Per Topik, Per Butir, Sikap & Reaksi, Kualitas Data, Metode.

    ``include_participants=True`` adds "Peserta (pseudonim)": each matched
    participant's scores under a salted hash of the session and matching key,
    never the NIP or name (not for a session under ``min_n``). Pass the same secret ``salt`` (long and random, e.g.
    ``secrets.token_hex(16)``, kept by the evaluator and never sent with the
    file: with it anyone could hash a staff list) to make the pseudonyms
    reproducible; without it a random salt is used and forgotten. Pseudonyms
    differ between sessions on purpose. An existing ``path`` is replaced only if
    evaltools wrote it and it is unchanged, or with ``overwrite=True``
    (``evaltools.overwrite``).

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
    ws.append(["Temuan utama"])
    ws.cell(ws.max_row, 1).font = Font(bold=True)
    from openpyxl.styles import Alignment
    for sentence in ev.findings():
        ws.append([safe_text(sentence)])
        ws.merge_cells(start_row=ws.max_row, start_column=1, end_row=ws.max_row, end_column=2)
        ws.cell(ws.max_row, 1).alignment = Alignment(wrap_text=True, vertical="top")
        ws.row_dimensions[ws.max_row].height = 15 * math.ceil(len(sentence) / 110)
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
    by = visible_only(ev.by("opd"))
    # the pooled gain borrows strength from the other OPDs (DerSimonian-Laird)
    opd_cols = _GROUP_COLS[:4] + [("gain_pooled", "Kenaikan (dipadukan)", "+0.0;-0.0;0.0")] \
        + _GROUP_COLS[4:]
    _write_table(wb.create_sheet("Per OPD"), by, [("opd", "OPD / unit kerja")], opd_cols, note)
    topics = ev.topics()
    _write_table(wb.create_sheet("Per Topik"), topics, [("label", "Topik")],
                 [("n_items", "Jumlah butir", "0")] + _GROUP_COLS[:8] + [_GROUP_COLS[8]], note)

    _write_items(wb.create_sheet("Per Butir"), ev, note)
    _write_scales(wb.create_sheet("Sikap & Reaksi"), ev, note)
    _topic_chart(ws, wb["Per Topik"], len(topics))

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
    _write_methods(wb.create_sheet("Metode"))
    if include_participants and not bool(s["suppressed"]):  # under min_n: no rows of people
        import secrets
        _write_participants(wb.create_sheet("Peserta (pseudonim)"), ev,
                            salt if salt is not None else secrets.token_hex(16))
    with claim_file(path, overwrite=overwrite):
        wb.save(path)
    return path
