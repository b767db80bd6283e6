"""Submission dates: day-first or month-first decided per column (issue 20,
point 5). A field over 12 settles it; a column whose dates all read both
ways takes the order that puts them at the session's date, else the
Indonesian day first, and says so in the ledger; a column holding both
orders is refused naming its cells. The order is ``sources["date_order"]``
and ``validate`` says it in words."""

from __future__ import annotations

import csv
import io
import re

import numpy as np
import pandas as pd
import pytest
from conftest import INSTRUMENT, LOA_JANAN, ROOT
from hypothesis import given
from hypothesis import strategies as st
from propsettings import budget

import evaltools as et
from evaltools import cli
from evaltools.errors import EvalToolsError
from evaltools.read.times import NEAR_SESSION, read_times

FIXTURES = ROOT / "tests" / "fixtures" / "read"
GOOGLE_EN = next((FIXTURES / "google-csv-en").glob("*.csv"))
# what a Google Sheet linked to the form gives from File > Download > CSV (the sheet's name, the tab's)
SHEET_CSV = "Tes Pemahaman Netralitas ASN (Responses) - Form Responses 1.csv"


def _sheet_csv(folder, dates) -> tuple:
    """The google-csv-en fixture as a linked Sheet's CSV download: its 8
    responses with their times of day, each on the date written by
    ``dates(k)`` (k: 0-7) in the US-locale layout "M/D/YYYY H:MM:SS"."""
    rows = list(csv.reader(io.StringIO(GOOGLE_EN.read_text(encoding="utf-8-sig"), newline="")))
    for k, r in enumerate(rows[1:]):
        m = re.fullmatch(r"\d{4}/\d\d/\d\d (\d+):(\d\d:\d\d) (AM|PM) GMT\+8", r[0])
        hour = int(m.group(1)) % 12 + (12 if m.group(3) == "PM" else 0)
        r[0] = f"{dates(k)} {hour}:{m.group(2)}"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / SHEET_CSV
    buf = io.StringIO(newline="")
    csv.writer(buf, lineterminator="\r\n").writerows(rows)
    path.write_bytes(buf.getvalue().encode("utf-8"))
    return path, [r[0] for r in rows[1:]]


def test_us_locale_sheet_csv_is_read_by_the_session_date(inst, tmp_path):
    """The issue's case: '11/5/2024 8:05:38' on a session of 5 November 2024
    is 5 November (month first), not 11 May; the choice is ledgered."""
    path, written = _sheet_csv(tmp_path / "loa-janan-2024-11-05", lambda k: "11/5/2024")
    r = et.read_responses(path, inst, wave="pre")
    assert r.sources["date_order"].tolist() == ["month_first"]
    assert r.sources["format"].tolist() == ["google"]
    assert (r.data["submitted_at"].dt.strftime("%Y-%m-%d") == "2024-11-05").all()
    assert r.data.set_index("row").loc[2, "submitted_at"] == pd.Timestamp("2024-11-05 08:15:02")
    # the same participant twice (rows 5 and 9): the later one, by time of day, is kept
    dup = r.ledger[r.ledger["reason"] == "duplicate_submission"]
    assert dup[["row", "detail"]].values.tolist() == [
        [5, "peserta sama mengisi lagi; dipakai baris 9 (" + SHEET_CSV + ")"]]
    flagged = r.ledger[r.ledger["reason"] == "date_order_assumed"]
    assert flagged["row"].tolist() == [2, 3, 4, 6, 7, 8, 9]  # every kept row (row 5 was dropped)
    assert set(flagged["action"]) == {"flagged"} and set(flagged["column"]) == {"submitted_at"}
    # each row quotes its own date as written (all 11/5/2024 here) and as read
    assert set(flagged["detail"]) == {
        "tanggal dibaca bulan/hari/tahun ('11/5/2024' = 2024-11-05): hanya urutan ini yang "
        "menaruh tanggalnya dekat tanggal sesi 2024-11-05"}
    assert written[0] == "11/5/2024 8:15:02"
    assert r.sources["notes"].tolist() == [
        "tanggal kirim dibaca bulan/hari/tahun (dipilih dari tanggal sesi 2024-11-05)"]
    assert r.sources["notes_en"].tolist() == [
        "submission dates read month/day/year (chosen by the session date 2024-11-05)"]


def test_a_month_first_column_is_read_month_first_without_a_flag(inst, tmp_path):
    """11/22/2024 can only be month first: every date of the column follows,
    12/1/2024 included (1 December, not 12 January)."""
    path, _ = _sheet_csv(tmp_path / "loa-janan-2024-11-22",
                         lambda k: "12/1/2024" if k == 7 else "11/22/2024")
    r = et.read_responses(path, inst, wave="pre")
    assert r.sources["date_order"].tolist() == ["month_first"]
    days = r.data.set_index("row")["submitted_at"].dt.strftime("%Y-%m-%d")
    assert days.loc[2] == "2024-11-22" and days.loc[9] == "2024-12-01"
    assert "date_order_assumed" not in set(r.ledger["reason"])


def test_a_column_with_both_orders_is_refused_naming_its_cells(inst, tmp_path):
    path, _ = _sheet_csv(tmp_path / "loa-janan-2024-11-22",
                         lambda k: "11/22/2024" if k in (3, 6) else "22/11/2024")
    with pytest.raises(EvalToolsError) as err:
        et.read_responses(path, inst, wave="pre")
    e = err.value
    assert (e.file, e.row, e.column) == (SHEET_CSV, 5, "Timestamp")
    assert e.problem == (
        "tanggal di kolom waktu kirim bertentangan: A2 '22/11/2024 8:15:02', A3 '22/11/2024 8:16:40', "
        "A4 '22/11/2024 8:18:05' (+3) hanya dapat dibaca hari/bulan/tahun, sedangkan "
        "A5 '11/22/2024 8:20:31', A8 '11/22/2024 8:31:12' hanya dapat dibaca bulan/hari/tahun")
    assert e.fix.startswith("samakan urutan tanggal di kolom itu")
    assert "evaltools never swaps day and month silently" in str(e)


def test_indonesian_excel_csv_is_day_first_by_its_values(inst):
    """The excel-id-csv fixture: 22/11/2024 08.15 can only be day first."""
    r = et.read_responses(FIXTURES / "excel-id-csv", inst, session="loa-janan-2024-11-22")
    assert r.sources["date_order"].tolist() == ["day_first"]
    assert r.data.set_index("row").loc[4, "submitted_at"] == pd.Timestamp("2024-11-22 08:15")
    assert "date_order_assumed" not in set(r.ledger["reason"])


def test_ambiguous_indonesian_dates_by_session_then_by_default(inst, tmp_path):
    """05/11/2024 and 06/11/2024 read both ways: on a session of 5 November
    they are day first by its date; on a session neither reading is near,
    day first by default. Either way the ledger says which and why."""
    text = (FIXTURES / "excel-id-csv" / "pre-test-loa-janan.csv").read_bytes().replace(
        b"22/11/2024 08.15", b"05/11/2024 08.15").replace(b"22/11/2024", b"06/11/2024")
    for session, why in (
            ("loa-janan-2024-11-05", "hanya urutan ini yang menaruh tanggalnya dekat tanggal sesi "
                                     "2024-11-05"),
            ("loa-janan-2024-08-17", "tidak ada tanggal yang memastikan urutannya, juga tanggal sesi "
                                     "tidak; dipakai kebiasaan Indonesia (hari dulu)")):
        path = tmp_path / session / "pre-test-loa-janan.csv"
        path.parent.mkdir()
        path.write_bytes(text)
        r = et.read_responses(path, inst)
        assert r.sources["date_order"].tolist() == ["day_first"]
        assert r.data.set_index("row").loc[4, "submitted_at"] == pd.Timestamp("2024-11-05 08:15")
        flagged = r.ledger[r.ledger["reason"] == "date_order_assumed"]
        assert flagged["row"].tolist() == [4, 5, 6, 7, 9, 10]  # row 8 excluded (no identifier)
        # each row quotes its own date (row 4: 05/11, the others 06/11)
        assert flagged.set_index("row")["detail"].to_dict() == {
            k: f"tanggal dibaca hari/bulan/tahun ('{d}/11/2024' = 2024-11-{d}): {why}"
            for k, d in ((4, "05"), (5, "06"), (6, "06"), (7, "06"), (9, "06"), (10, "06"))}
        assert r.sources["notes"].iloc[0].startswith("tanggal kirim dibaca hari/bulan/tahun (")


def test_iso_and_google_forms_dates_are_year_first(inst):
    """Kobo writes ISO, Google Forms' own download yyyy/mm/dd: year first,
    no question; the entry template of the sample has no times: ""."""
    r = et.read_responses(LOA_JANAN, inst)
    assert r.sources["date_order"].tolist() == ["year_first", ""]
    g = et.read_responses(FIXTURES / "google-csv-en", inst, session="loa-janan-2024-11-22")
    assert g.sources["date_order"].tolist() == ["year_first"]
    assert "date_order_assumed" not in set(r.ledger["reason"]) | set(g.ledger["reason"])


def test_read_times_keeps_dates_where_day_equals_month_out_of_the_question():
    """11/11/2024 reads the same both ways: it is not flagged, and alone it
    leaves the default (day first) with nothing assumed."""
    days = pd.Series(pd.to_datetime(["2024-11-11"] * 2))
    t, o = read_times(pd.Series(["11/11/2024 8:00", "11/11/2024 9:00"]), days)
    assert (o.order, o.basis, o.assumed.tolist()) == ("day_first", "default", [False, False])
    assert t.dt.strftime("%Y-%m-%d").tolist() == ["2024-11-11", "2024-11-11"]
    assert NEAR_SESSION == pd.Timedelta(days=7)


def test_read_times_stays_vectorised_on_a_large_column(monkeypatch):
    """200,000 ambiguous US-locale times with a session date: the order is
    decided and each of the 600 distinct times parsed once, in one call with
    one format (no value left to dateutil's value-by-value "mixed" parse)."""
    from evaltools.read import times
    calls = []
    real = pd.to_datetime

    def counted(arg, *a, **k):
        calls.append((int(pd.Series(arg).notna().sum()), k.get("format")))  # values to parse
        return real(arg, *a, **k)
    n = 200_000
    minutes = np.arange(n) % 600
    values = pd.Series([f"11/5/2024 {8 + m // 60}:{m % 60:02d}:00" for m in minutes], dtype="str")
    days = pd.Series(np.full(n, np.datetime64("2024-11-05"), dtype="datetime64[us]"))
    arrow_calls = []
    real_arrow = times._arrow_times

    def counted_arrow(v, layout):
        arrow_calls.append((int(v.notna().sum()), layout))
        out = real_arrow(v, layout)
        arrow_calls.append(("taken", int(out.notna().sum())))
        return out
    monkeypatch.setattr(times.pd, "to_datetime", counted)
    monkeypatch.setattr(times, "_arrow_times", counted_arrow)
    t, o = read_times(values, days)
    monkeypatch.undo()
    assert (o.order, o.basis, int(o.assumed.sum())) == ("month_first", "session", n)
    assert t.iloc[-1] == pd.Timestamp("2024-11-05") + pd.Timedelta(minutes=8 * 60 + int(minutes[-1]))
    assert t.iloc[600] == t.iloc[0] and t.nunique() == 600
    # the one distinct date read both ways (the order), then the 600 distinct times with one
    # format, all by Arrow (``times._arrow_times``): none left to pandas, none to "mixed"
    assert calls == [(1, "mixed"), (1, "mixed"), (0, "mixed")], calls
    assert arrow_calls == [(600, "%m/%d/%Y %H:%M:%S"), ("taken", 600)], arrow_calls


def test_validate_says_each_files_date_order_in_words(tmp_path, capsys):
    path, _ = _sheet_csv(tmp_path / "loa-janan-2024-11-05", lambda k: "11/5/2024")
    assert cli.main(["validate", str(path.parent), "--wave", "pre", "--instrument", str(INSTRUMENT)]) == 0
    out = capsys.readouterr().out
    files, attention = out.split("\nPerlu perhatian:\n")
    assert "\n      tanggal dibaca bulan/hari/tahun" in files  # under the file's name
    assert ("- Urutan hari dan bulan tanggal kirim tidak tampak dari isinya" in attention
            and "[1] tanggal dibaca bulan/hari/tahun ('11/5/2024' = 2024-11-05): hanya urutan ini "
                "yang menaruh tanggalnya dekat tanggal sesi 2024-11-05" in " ".join(attention.split()))
    assert cli.main(["validate", str(LOA_JANAN), "--instrument", str(INSTRUMENT)]) == 0
    out = capsys.readouterr().out
    assert "tanggal dibaca tahun/bulan/hari" in out and "Urutan hari dan bulan" not in out


@st.composite
def _written_column(draw):
    """(session day, true times, the order they are written in, the texts):
    submissions within 3 days of the session, written day- or month-first
    as a sheet's locale would, with or without leading zeros, the year in full or short."""
    session = pd.Timestamp(draw(st.dates(pd.Timestamp("2020-01-01").date(),
                                         pd.Timestamp("2030-12-31").date())))
    offsets = draw(st.lists(st.integers(-3 * 24 * 60, 3 * 24 * 60), min_size=1, max_size=8))
    times = [session + pd.Timedelta(minutes=m) for m in offsets]
    order = draw(st.sampled_from(["day_first", "month_first"]))
    pad, short = draw(st.booleans()), draw(st.booleans())  # 05/11/2024 or 5/11/2024; 5/11/24
    f = "%02d" if pad else "%d"
    texts = []
    for t in times:
        a, b = (t.day, t.month) if order == "day_first" else (t.month, t.day)
        year = t.year % 100 if short else t.year
        texts.append(f"{f % a}/{f % b}/{year:02d} {t.hour}:{t.minute:02d}")
    return session, times, order, texts


@budget(60)
@given(case=_written_column())
def test_read_times_reads_what_was_written_near_its_session(case):
    """Whatever the locale, a column of times near its session reads as
    written: the values settle the order, or the session's date does (the
    other reading of an ambiguous date is a month or more away); only a
    column where every day equals its month is left to the default."""
    session, times, order, texts = case
    got, how = read_times(pd.Series(texts, dtype="str"), pd.Series([session] * len(texts)))
    assert got.tolist() == times
    if any(t.day != t.month for t in times):
        assert how.order == order and how.basis in ("values", "session")
    else:
        assert (how.order, how.basis) == ("day_first", "default") and not how.assumed.any()


def test_a_workbook_column_with_both_orders_names_its_cells_by_letter(inst, tmp_path):
    """Dates typed as text into a sheet, in two locales: the cells are named
    as Excel shows them (column C, rows 2-4)."""
    import openpyxl
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["nama", "nip", "Waktu isi", *inst.item_ids])
    for nama, nip, waktu in (("Ani Lestari", "198609262015052001", "22/11/2024 08.15"),
                             ("Budi Santoso", "198703152010012003", "11/23/2024 09.00"),
                             ("Citra Dewi", "198801012015052002", "23/11/2024 08.30")):
        ws.append([nama, nip, waktu, "b"])
    path = tmp_path / "pre.xlsx"
    wb.save(path)
    with pytest.raises(EvalToolsError) as err:
        et.read_responses(path, inst, session="loa-janan-2024-11-22", columns={"Waktu isi": "submitted_at"})
    e = err.value
    assert (e.file, e.row, e.column) == ("pre.xlsx", 3, "Waktu isi")
    assert e.problem == ("tanggal di kolom waktu kirim bertentangan: C2 '22/11/2024 08.15', "
                         "C4 '23/11/2024 08.30' hanya dapat dibaca hari/bulan/tahun, sedangkan "
                         "C3 '11/23/2024 09.00' hanya dapat dibaca bulan/hari/tahun")
