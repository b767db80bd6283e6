"""``ringkasan.xlsx``: the manager's workbook, aggregates only.

Sheets Ringkasan (letterhead, session facts, findings, evaluator's note,
headline numbers, a native chart), Rekomendasi (export.advice),
Per OPD, Per Topik, Per Butir, Sikap & Reaksi, Kualitas Data, Metode; with
``include_participants=True`` also Peserta, pseudonymised. Numbers stay
numbers with formats; every text cell passes :func:`safe_text`; a text that
shows a number writes it with ``evaltools.fmt``.

Example:
    >>> import tempfile
    >>> from openpyxl import load_workbook
    >>> path = write_workbook(ev, Path(tempfile.mkdtemp()) / "ringkasan.xlsx")
    >>> load_workbook(path).sheetnames[:4]
    ['Ringkasan', 'Rekomendasi', 'Per OPD', 'Per Topik']
"""

from __future__ import annotations

import hashlib
import math
import secrets
from pathlib import Path

import pandas as pd

from .. import fmt
from ..charts import title
from ..compare import visible_only
from ..dif import dif_by_item
from ..findings import attrition_sentence
from ..overwrite import atomic_path, claim_file
from ..stats import bf_label, cohen_label, hake_label
from ..findings import hake_sentence, why_missing
from ..read.reasons import REASONS
from .advice import write_advice, write_letterhead, write_note
from .common import (GAIN_FORMAT, P_FORMAT, PCT_FORMAT, Column, bf_text, bold_header,
                     cell_format, cell_number, fit_print, group_columns, safe_text, write_table,
                     write_values)
from .methods import METHODS

# the pooled gain borrows strength from the other OPDs (DerSimonian-Laird)
OPD_COLUMNS = group_columns("n", "mean_pre", "mean_post", "mean_gain", "gain_pooled", "ci_low",
                            "ci_high", "p_t", "p_t_holm", "d_z", "bf10", "min_detectable_gain",
                            "g_hake", "pass_pre", "pass_post")
# the native chart on Ringkasan reads mean_pre and mean_post in columns D and E
TOPIC_COLUMNS = [Column("n_items", "Jumlah butir", "0"),
                 *group_columns("n", "mean_pre", "mean_post", "mean_gain", "ci_low", "ci_high", "p_t",
                                "p_t_holm", "d_z")]
ITEM_COLUMNS = [Column("n", "n", "0"), Column("pct_pre", "% benar pre", "0.0"),
                Column("pct_post", "% benar post", "0.0"),
                Column("change", "Perubahan (poin)", GAIN_FORMAT), Column("b", "benar → salah", "0"),
                Column("c", "salah → benar", "0"), Column("p", "p (McNemar)", P_FORMAT),
                Column("p_bh", "p BH", P_FORMAT), Column("difficulty", "Kesukaran (pre)", "0.00"),
                Column("discrimination", "Daya beda (pre)", "0.00"),
                Column("r_drop", "r_drop (pre)", "0.00"), Column("flags", "Catatan (pre)"),
                # DIF on the post-test: the comparison with the highest ETS class (evaltools.dif)
                Column("dif_ets", "DIF (ETS, post)"), Column("dif_group", "DIF: kelompok"),
                Column("dif_delta", "Delta MH", "0.00"), Column("dif_p_bh", "p BH (DIF)", P_FORMAT),
                Column("dif_note", "Catatan DIF")]
ATTITUDE_COLUMNS = [Column("arah", "Arah"), Column("n", "n", "0"),
                    Column("mean_pre", "Rata-rata pre", "0.00"),
                    Column("mean_post", "Rata-rata post", "0.00"),
                    Column("p", "p (Wilcoxon)", P_FORMAT), Column("p_holm", "p Holm", P_FORMAT),
                    Column("alpha_pre", "alpha pre", "0.00"), Column("alpha_post", "alpha post", "0.00")]
PARTICIPANT_COLUMNS = [Column("pseudonim", "Pseudonim"), Column("opd", "OPD / unit kerja"),
                       Column("pct_pre", "Skor pre (%)", "0.0"), Column("pct_post", "Skor post (%)", "0.0"),
                       Column("gain", "Kenaikan (poin)", GAIN_FORMAT),
                       Column("passed_pre", "Lulus KKM pre"), Column("passed_post", "Lulus KKM post")]


def _wrapped(ws, column: int, text: str, chars_per_line: int) -> None:
    """Wrap the last row's cell in ``column`` and make the row tall enough:
    spreadsheets do not grow a row for wrapped text written by openpyxl."""
    from openpyxl.styles import Alignment
    ws.cell(ws.max_row, column).alignment = Alignment(wrap_text=True, vertical="top")
    ws.row_dimensions[ws.max_row].height = 15 * math.ceil(len(text) / chars_per_line)


def _write_facts(ws, ev) -> None:
    """Title, the synthetic-data warning, the session facts and the instrument."""
    from openpyxl.styles import Font
    meta = ev.meta
    if meta.get("kop"):
        write_letterhead(ws, meta["kop"])
    ws.append([safe_text(meta.get("nama", "Laporan sesi sosialisasi netralitas ASN"))])
    ws.cell(ws.max_row, 1).font = Font(bold=True, size=14)
    if ev.synthetic:
        ws.append(["DATA CONTOH (SINTETIS): bukan data nyata"])
        ws.cell(ws.max_row, 1).font = Font(bold=True, color="D55E00")
    for key, label in (("tanggal", "Tanggal"), ("tempat", "Tempat"),
                       ("penyelenggara", "Penyelenggara"), ("pengumpulan", "Pengumpulan data")):
        if meta.get(key):
            value = fmt.date(meta[key]) if key == "tanggal" else str(meta[key])
            ws.append([label, safe_text(value)])
    ws.append(["Instrumen", safe_text(f"{ev.instrument.id} versi {ev.instrument.version}")])


def _write_findings(ws, ev) -> None:
    ws.append([])
    ws.append(["Temuan utama"])
    bold_header([ws.cell(ws.max_row, 1)])
    for sentence in ev.findings():
        ws.append([safe_text(sentence)])
        ws.merge_cells(start_row=ws.max_row, start_column=1, end_row=ws.max_row, end_column=2)
        _wrapped(ws, 1, sentence, 110)


def _headline_rows(ev) -> list:
    """(label, value, number format) of the session's main results; only n
    for a session under ``min_n``."""
    s = ev.summary.iloc[0]
    kkm = fmt.plain(ev.instrument.passing_score)
    rows = [("Peserta berpasangan (pre dan post)", "n", "0"),
            ("Rata-rata skor pre-test (%)", "mean_pre", "0.0"),
            ("Rata-rata skor post-test (%)", "mean_post", "0.0"),
            ("Kenaikan rata-rata (poin persen)", "mean_gain", GAIN_FORMAT),
            ("IK 95% kenaikan: bawah", "ci_low", "0.0"),
            ("IK 95% kenaikan: atas", "ci_high", "0.0"),
            ("p (uji t berpasangan)", "p_t", P_FORMAT),
            ("p (Wilcoxon)", "p_w", P_FORMAT),
            (_named("Ukuran efek d_z", cohen_label(s["d_z"])), "d_z", "0.00"),
            (_named("Gain Hake <g> kelas, dari skor rata-rata", hake_label(s["g_hake"])), "g_hake",
             "0.00"),
            *([(_named("Gain Hake <g>: rata-rata gain individu", hake_label(s["g_mean"])), "g_mean",
                "0.00")] if hake_sentence(s) else []),
            (f"% lulus KKM {kkm}: pre", "pass_pre", PCT_FORMAT),
            (f"% lulus KKM {kkm}: post", "pass_post", PCT_FORMAT),
            ("p (McNemar, lulus KKM sebelum vs sesudah)", "p_pass", P_FORMAT)]
    # a value that cannot be computed says why in its cell, instead of an empty cell
    rows = [(label, fmt.uncomputable(why_missing(s, key)) if fmt.missing(s[key]) else s[key], f)
            for label, key, f in rows]
    rows += _bayes_power_rows(s)
    return rows[:1] if bool(s["suppressed"]) else rows


def _bayes_power_rows(s) -> list:
    """The Bayes factor (printed by ``fmt.bayes_factor``, with its words) and
    the minimum detectable gain of the session's summary row."""
    bf = s["bf10"]
    bf_row = (_named("Faktor Bayes BF10 (JZS, r = 0,707)", bf_label(bf)),
              fmt.uncomputable(why_missing(s, "bf10")) if pd.isna(bf) else fmt.bayes_factor(bf), "@")
    mdg = s["min_detectable_gain"]
    return [bf_row, ("Kenaikan terkecil yang dapat terlihat (poin; daya uji 80%)",
                     fmt.uncomputable(why_missing(s)) if fmt.missing(mdg) else mdg, "0.0")]


def _named(label: str, words: str) -> str:
    """A label with its value's words in brackets, or alone when there are none."""
    return f"{label} ({words})" if words else label


def _write_attrition(ws, a, min_n: int) -> None:
    from openpyxl.styles import Alignment
    ws.append([])
    ws.append(["Peserta yang tidak ikut post-test", "Nilai"])
    bold_header(ws[ws.max_row])
    rows = [("Peserta pre-test", a["n_pre"], "0"),
            ("Tidak ikut post-test", a["n_dropouts"], "0"),
            ("Tingkat putus (%)", a["attrition_pct"], "0.0")]
    if not bool(a["suppressed"]):
        rows += [("Rata-rata pre-test: yang tidak ikut post-test (%)", a["mean_pre_dropouts"], "0.0"),
                 ("Rata-rata pre-test: yang ikut keduanya (%)", a["mean_pre_completers"], "0.0"),
                 ("Selisih (tidak ikut - ikut, poin persen)", a["diff"], GAIN_FORMAT),
                 ("p (uji t Welch)", a["p_welch"], P_FORMAT),
                 ("p (Mann-Whitney)", a["p_mw"], P_FORMAT)]
    write_values(ws, rows)
    text = attrition_sentence(a, min_n)
    ws.append(["Artinya", safe_text(text)])
    _wrapped(ws, 2, text, 55)
    ws.cell(ws.max_row, 1).alignment = Alignment(vertical="top")


def _write_summary(ws, ev) -> None:
    """The Ringkasan sheet: facts, findings, headline numbers, dropouts."""
    _write_facts(ws, ev)
    _write_findings(ws, ev)
    write_note(ws, ev.meta)
    ws.append([])
    ws.append(["Hasil utama", "Nilai"])
    bold_header([ws.cell(ws.max_row, 1), ws.cell(ws.max_row, 2)])
    write_values(ws, _headline_rows(ev))
    _write_attrition(ws, ev.attrition().iloc[0], ev.min_n)
    ws.column_dimensions["A"].width = 48
    ws.column_dimensions["B"].width = 60
    # printed on one page width, not with the values split onto a second page
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0


def _write_items(ws, ev, note: str) -> None:
    # item analysis of the matched participants: the same people as % benar pre (over all
    # pre-test takers, the difference would give back the answers of those who left)
    cols = ["item", "difficulty", "discrimination", "r_drop", "flags"]
    hidden = bool(ev.summary["suppressed"].iloc[0])  # the rows say "n < 5": nothing to analyse
    ana = pd.DataFrame(columns=cols) if hidden else ev.item_analysis("pre", matched_only=True)[cols]
    it = ev.items().merge(ana, on="item", how="left")
    it["topik"] = it["topic"].map(ev.instrument.topic_label)
    it["nomor"] = it["item"].map(lambda i: str(ev.instrument.item_number(i)))
    it["pertanyaan"] = it["item"].map(lambda i: ev.instrument.item(i).text)
    it = it.merge(dif_by_item(ev.dif(), it["item"], lambda i: f"Butir {ev.instrument.item_number(i)}"),
                  on="item", how="left")
    it["suppressed"] = it["n"] < ev.min_n
    write_table(ws, it, [Column("nomor", "No."), Column("pertanyaan", "Pertanyaan"),
                         Column("topik", "Topik"), Column("item", "Kode butir")], ITEM_COLUMNS, note)
    from openpyxl.styles import Alignment
    for row in ws.iter_rows(min_row=2, min_col=2, max_col=2):  # the question wrapped, row grown
        row[0].alignment = Alignment(wrap_text=True, vertical="top")
        ws.row_dimensions[row[0].row].height = 13 * math.ceil(len(str(row[0].value or "")) / 52)
    for letter, width in zip("ABCD", (5, 48, 22, 9)):
        ws.column_dimensions[letter].width = width
    for j, col in enumerate(ITEM_COLUMNS, start=5):  # the notes wide
        if col.key in ("flags", "dif_note", "dif_group"):
            ws.column_dimensions[ws.cell(1, j).column_letter].width = 48 if col.key == "dif_note" else 32


def _write_scales(ws, ev, note: str) -> None:
    att = ev.attitudes()
    att["suppressed"] = att["n"] < ev.min_n
    att["arah"] = att["reverse"].map({True: "dibalik (6 - x)", False: ""})
    write_table(ws, att, [Column("text", "Pernyataan sikap")], ATTITUDE_COLUMNS, note)
    rea = ev.reaction()
    rea["suppressed"] = rea["n"] < ev.min_n
    ws.append([])
    ws.append(["Penilaian penyelenggaraan (sesudah)", "n", "Rata-rata", "% setuju (4-5)",
               "1", "2", "3", "4", "5"])
    bold_header(ws[ws.max_row])
    for _, r in rea.iterrows():
        if r["suppressed"]:
            ws.append([safe_text(str(r["text"])), note])
            continue
        ws.append([safe_text(str(r["text"])), int(r["n"]), cell_number(r["mean"]),
                   cell_number(r["pct_agree"]), *[int(r[f"n_{k}"]) for k in range(1, 6)]])
        ws.cell(ws.max_row, 3).number_format = cell_format("0.00")
        ws.cell(ws.max_row, 4).number_format = PCT_FORMAT
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
    chart.title = title("per_topik")  # as the chart beside it in ringkasan.pdf
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


ACTION_LABELS = {"excluded": "dikeluarkan", "repaired": "diperbaiki", "flagged": "ditandai (periksa)"}


def ledger_label(action: str, reason: str) -> tuple:
    """A ledger row's action and reason in Indonesian words for the Kualitas
    Data sheet; the code stays beside them for the evaluator.

    Example:
        >>> ledger_label("excluded", "duplicate_submission")[0]
        'dikeluarkan'
    """
    known = REASONS.get(reason)
    return ACTION_LABELS.get(action, action), known.meaning if known else reason


def _write_quality(ws, ev) -> None:
    """Kualitas Data: the quality counts, then the ledger's rows by reason,
    in words, with the ledger's code in a column of its own."""
    from openpyxl.styles import Alignment
    ws.append(["Keterangan", "Jumlah"])
    for _, r in ev.quality().iterrows():
        ws.append([safe_text(r["keterangan"]), int(r["n"])])
    ws.append([])
    ws.append(["Tindakan", "Alasan", "Jumlah baris", "Kode (untuk evaluator)"])
    ledger = ev.responses.ledger_counts()
    for _, r in ledger.iterrows():
        action, reason = ledger_label(str(r["action"]), str(r["reason"]))
        ws.append([action, safe_text(reason), int(r["n"]), safe_text(f"{r['action']}/{r['reason']}")])
        for j in (1, 2, 3, 4):
            ws.cell(ws.max_row, j).alignment = Alignment(wrap_text=j == 2, vertical="top")
        ws.row_dimensions[ws.max_row].height = 13 * math.ceil(len(reason) / 55)
    for row in (ws[1], ws[ws.max_row - len(ledger)]):
        bold_header(row)
    for letter, width in zip("ABCD", (40, 50, 12, 30)):
        ws.column_dimensions[letter].width = width
    ws.freeze_panes = "A2"
    ws.page_setup.orientation = "landscape"  # the four columns on one page width
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0


def _write_methods(ws) -> None:
    from openpyxl.styles import Alignment
    ws.append(["Istilah", "Artinya"])
    bold_header(ws[1])
    for term, text in METHODS:
        ws.append([term, text])
        _wrapped(ws, 2, text, 85)
        ws.cell(ws.max_row, 1).alignment = Alignment(vertical="top")
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
    return "P-" + hashlib.blake2b(pid.encode(), key=salt.encode()[:64], digest_size=5).hexdigest()


def _participants(ev, salt: str) -> pd.DataFrame:
    """One row per matched participant, pseudonymised; the OPD is named only
    where the Per OPD sheet shows it, the rest are "(OPD lain)" (hidden
    groups and the participants without a registry OPD hold at least
    ``min_n`` people in all, see ``compare.secondary_suppression``)."""
    m = ev.pairs.matched
    by = ev.by("opd")  # registry OPDs only: free text is never shown
    shown = set(by.loc[~by["suppressed"], "opd"])
    label = m["opd"].fillna("").astype(str)
    # keyed by session too: the same person must not be followed from a session where their
    # OPD is shown to one where it is hidden
    keys = [f"{s}|{p}" for s, p in zip(m["session"], m["pid"])]
    df = pd.DataFrame({"pseudonim": [pseudonym(k, salt) for k in keys],
                       "opd": label.where(label.isin(shown), "(OPD lain)"),
                       "pct_pre": m["pct_pre"], "pct_post": m["pct_post"], "gain": m["gain"],
                       "passed_pre": m["passed_pre"].map({True: "ya", False: "tidak"}),
                       "passed_post": m["passed_post"].map({True: "ya", False: "tidak"})})
    return df.sort_values("pseudonim").reset_index(drop=True)  # input order could point to people


def _write_participants(ws, ev, salt: str) -> None:
    ws.append([c.label for c in PARTICIPANT_COLUMNS])
    bold_header(ws[1])
    for _, r in _participants(ev, salt).iterrows():
        ws.append([safe_text(r[c.key]) if c.number_format == "@" else cell_number(r[c.key])
                   for c in PARTICIPANT_COLUMNS])
        for j, c in enumerate(PARTICIPANT_COLUMNS, start=1):
            ws.cell(ws.max_row, j).number_format = c.number_format
    for letter, width in zip("ABCDEFG", (16, 44, 12, 12, 14, 14, 14)):
        ws.column_dimensions[letter].width = width
    ws.freeze_panes = "A2"


def write_workbook(ev, path, *, include_participants: bool = False, salt: str | None = None,
                   overwrite: bool = False) -> Path:
    """Write ``ringkasan.xlsx``: Ringkasan (headline numbers, findings, a chart),
    Per OPD, Per Topik, Per Butir, Sikap & Reaksi, Kualitas Data, Metode.

    ``include_participants=True`` adds "Peserta (pseudonim)": each matched
    participant's scores under a salted hash of the session and matching key,
    never the NIP or name (not for a session under ``min_n``). Pass the same
    secret ``salt`` (long and random, e.g. ``secrets.token_hex(16)``, kept by
    the evaluator and never sent with the file: with it anyone could hash a
    staff list) to make the pseudonyms reproducible; without it a random salt
    is used and forgotten. Pseudonyms differ between sessions on purpose. An
    existing ``path`` is replaced only if evaltools wrote it and it is
    unchanged, or with ``overwrite=True`` (``evaltools.overwrite``).

    Example:
        >>> import tempfile
        >>> from openpyxl import load_workbook
        >>> path = write_workbook(ev, Path(tempfile.mkdtemp()) / "ringkasan.xlsx",
        ...                       include_participants=True, salt="rahasia")
        >>> wb = load_workbook(path)
        >>> wb["Ringkasan"]["B3"].value, wb["Peserta (pseudonim)"].max_row - 1
        ('22 November 2024', 52)
    """
    from openpyxl import Workbook
    wb = Workbook()
    ws = wb.active
    ws.title = "Ringkasan"
    _write_summary(ws, ev)
    write_advice(wb.create_sheet("Rekomendasi"), ev.recommendations())
    note = f"n < {fmt.count(ev.min_n)}"
    write_table(wb.create_sheet("Per OPD"), bf_text(visible_only(ev.by("opd"))),
                [Column("opd", "OPD / unit kerja")], OPD_COLUMNS, note)
    topics = ev.topics()
    write_table(wb.create_sheet("Per Topik"), topics, [Column("label", "Topik")], TOPIC_COLUMNS, note)
    _write_items(wb.create_sheet("Per Butir"), ev, note)
    _write_scales(wb.create_sheet("Sikap & Reaksi"), ev, note)
    _topic_chart(ws, wb["Per Topik"], len(topics))
    _write_quality(wb.create_sheet("Kualitas Data"), ev)
    _write_methods(wb.create_sheet("Metode"))
    if include_participants and not bool(ev.summary["suppressed"].iloc[0]):  # under min_n: no people
        _write_participants(wb.create_sheet("Peserta (pseudonim)"), ev,
                            salt if salt is not None else secrets.token_hex(16))
    for sheet in wb.worksheets:  # each prints on one page width, its text wrapped
        fit_print(sheet)
    path = Path(path)
    with claim_file(path, overwrite=overwrite), atomic_path(path) as tmp:
        wb.save(tmp)
    return path
