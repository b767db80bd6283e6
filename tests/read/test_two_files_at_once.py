"""``read_responses`` reads two large text files at a time, each in a thread
of its own (``read._read_files``; workbooks and small files one after the
other, here): what it returns and what it refuses are still those of a read
one file after the other, and the threads leave what the process shares
(warning filters, the csv field limit, the zip limits of ``use_limits``) as
they found them or as the caller set them. The tests take the threads for
small files (``files.streamed``) and check that they were taken."""

from __future__ import annotations

import threading
import time
import warnings

import pandas as pd
import pytest
from conftest import LOA_JANAN, ROOT
from test_dates import SHEET_CSV, _sheet_csv

import evaltools as et
import evaltools.read as read
from evaltools.read import files, guard, rows, text
from evaltools.errors import EvalToolsError
from evaltools.read import times

PDF = ROOT / "survey" / "forms" / "netralitas-asn-pilkada-2024-pre-kertas.pdf"
WORKBOOK = LOA_JANAN / "post-entri-kertas-sintetis.xlsx"


@pytest.fixture
def threads(monkeypatch):
    """Every file read as a large text file would be (two at a time); the
    names of the threads that checked rows."""
    monkeypatch.setattr(files, "streamed", lambda path: True)
    names, real = [], rows.read_one

    def read_one(*a, **k):
        names.append(threading.current_thread().name)
        return real(*a, **k)
    monkeypatch.setattr(read, "read_one", read_one)
    yield names
    _join_readers()  # a file stopped after a refusal ends at its next step: not in the next test


def _join_readers():
    for t in threading.enumerate():
        if t.name.startswith("evaltools-read"):
            t.join(10)


def _both_refused(tmp_path):
    """A Sheet's CSV refused late (after its rows are parsed: its dates are
    in both orders) and a PDF named .csv refused at once, by its first bytes."""
    late, _ = _sheet_csv(tmp_path / "loa-janan-2024-11-22",
                         lambda k: "11/22/2024" if k in (3, 6) else "22/11/2024")
    early = tmp_path / "loa-janan-2024-11-22" / "post.csv"
    early.write_bytes(PDF.read_bytes())
    return late, early


def test_the_first_files_refusal_is_the_one_raised_though_the_second_fails_sooner(inst, tmp_path, threads):
    late, early = _both_refused(tmp_path)
    with pytest.raises(EvalToolsError) as err:
        et.read_responses([late, early], inst, wave="pre")
    assert (err.value.file, err.value.row, err.value.column) == (SHEET_CSV, 5, "Timestamp")
    assert threads == ["evaltools-read_0"] or threads == ["evaltools-read_1"]
    with pytest.raises(EvalToolsError) as err:  # the other order: the PDF comes first
        et.read_responses([early, late], inst, wave="pre")
    assert err.value.file == "post.csv" and "PDF" in err.value.problem


def test_a_refusal_stops_the_other_file_at_its_next_step(inst, tmp_path, monkeypatch, threads):
    """The first file is refused at once while the second is still being
    read: the call raises, and the second file's reading stops at its next
    block (a Ctrl+C likewise) instead of running on to its end."""
    (tmp_path / "a.csv").write_bytes(PDF.read_bytes())
    (tmp_path / "b.csv").write_text("x\n1\n", encoding="utf-8")
    real, ended, b_started = read.read_table, [], threading.Event()

    def slow(path, progress=None):
        if path.name != "b.csv":
            b_started.wait(5)  # (else b may not have started, and is rightly never started)
            return real(path, progress=progress)
        b_started.set()
        try:
            for _ in range(500):  # a large file's blocks: 5 s at most
                progress(1)
                time.sleep(0.01)
        except Exception as e:
            ended.append(type(e).__name__)
            raise
        ended.append("read to its end")
        return real(path, progress=progress)

    monkeypatch.setattr(read, "read_table", slow)
    with pytest.raises(EvalToolsError) as err:
        et.read_responses([tmp_path / "a.csv", tmp_path / "b.csv"], inst, wave="pre")
    assert err.value.file == "a.csv" and threads == []  # a.csv is refused before its rows
    _join_readers()
    assert ended == ["_Stopped"]


def test_two_files_read_at_once_equal_each_read_alone(inst, threads):
    """The sample's two files: the rows, ledger and accounting of one read of
    both are those of each file read by itself, in order (rows numbered per
    file; no duplicate across the two)."""
    paths = sorted(p for p in LOA_JANAN.iterdir() if p.suffix in (".csv", ".xlsx"))
    assert len(paths) == 2
    both = et.read_responses(paths, inst)
    alone = [et.read_responses(p, inst, session=LOA_JANAN.name) for p in paths]
    assert both.sources["source"].tolist() == [p.name for p in paths]
    pd.testing.assert_frame_equal(both.ledger, pd.concat([a.ledger for a in alone], ignore_index=True))
    # the categories of answers are the union of the files' (same_categories): values compared
    pd.testing.assert_frame_equal(both.data.astype(object),
                                  pd.concat([a.data.astype(object) for a in alone], ignore_index=True))
    # 58 records of the Kobo CSV + the workbook's 56 rows from row 3 (one of them blank)
    assert both.n_input_rows == sum(a.n_input_rows for a in alone) == 58 + 56
    assert threads[:2] and all(n.startswith("evaltools-read") for n in threads[:2])


def test_a_workbook_and_small_files_are_read_here_one_after_the_other(inst, monkeypatch):
    names, real = [], rows.read_one
    monkeypatch.setattr(read, "read_one", lambda *a, **k: names.append(
        threading.current_thread().name) or real(*a, **k))
    et.read_responses(LOA_JANAN, inst)
    assert names == [threading.current_thread().name] * 2


@pytest.mark.parametrize("at_once", [False, True])
def test_the_zip_limits_set_by_the_caller_hold_for_every_file(inst, monkeypatch, at_once):
    """``guard.use_limits`` lives in the caller's context; a file read in a
    thread reads in a copy of it (a thread of its own would see the defaults)."""
    if at_once:
        monkeypatch.setattr(files, "streamed", lambda path: True)
    csv_file = next(LOA_JANAN.glob("*.csv"))
    with guard.use_limits(max_member_bytes=2_000), pytest.raises(EvalToolsError) as err:
        et.read_responses([csv_file, WORKBOOK], inst)
    # xl/theme/theme1.xml: 10,140 bytes unpacked, 1,552 packed (unzip -lv)
    assert err.value.file == WORKBOOK.name and err.value.problem_en == (
        "archive refused for safety: member unpacks to 9.9 KB (1.5 KB compressed), over the "
        "limit of 2.0 KB per member")


def test_the_csv_field_limit_is_raised_until_the_last_file_is_read():
    """Two files read at once, the first ending while the second reads: the
    process-wide limit stays raised until the second ends, then is put back."""
    import csv
    before = csv.field_size_limit()
    first, second = text.wide_fields(), text.wide_fields()
    first.__enter__()
    second.__enter__()
    first.__exit__(None, None, None)
    assert csv.field_size_limit() == 2**31 - 1
    second.__exit__(None, None, None)
    assert csv.field_size_limit() == before == 131_072


def test_two_files_never_set_the_warning_filters_at_the_same_time(monkeypatch):
    """``warnings.catch_warnings`` saves the process's filters and puts them
    back: two threads inside it together would leave "ignore" set for good.
    Each waits for the other inside the guess of the time layout; they must
    never both get there."""
    meet = threading.Barrier(2)
    together = []
    real = times.guess_datetime_format

    def guess(value, dayfirst=False):
        try:
            meet.wait(timeout=0.5)
            together.append(True)
        except threading.BrokenBarrierError:
            pass
        return real(value, dayfirst=dayfirst)

    monkeypatch.setattr(times, "guess_datetime_format", guess)
    before = list(warnings.filters)
    values = pd.Series(["22/11/2024 08:15:02", "22/11/2024 08:16:40"], dtype="str")
    threads = [threading.Thread(target=times._parse_times, args=(values, True)) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert together == []
    assert warnings.filters == before


def test_a_filter_left_set_in_a_files_thread_is_gone_when_the_read_returns(inst, monkeypatch, threads):
    """pandas sets and restores the warning filters inside some steps; from two
    threads at once a filter can stay set (the threads' saves and restores
    interleave). Here one thread leaves one set: the read puts them back."""
    real = read.read_one

    def leaves_a_filter(*a, **k):
        warnings.simplefilter("ignore")  # set, never restored: what an interleaving leaves
        return real(*a, **k)
    monkeypatch.setattr(read, "read_one", leaves_a_filter)
    before = list(warnings.filters)
    et.read_responses(LOA_JANAN, inst)
    assert warnings.filters == before


def test_the_bar_names_every_file_being_checked():
    # two files at once, each naming only itself beside the bar, made the name flip between them
    import io

    from tqdm import tqdm

    from evaltools.read import _Bar
    with tqdm(total=200, file=io.StringIO()) as bar:
        lock, reading = threading.Lock(), []
        pre, post = (_Bar(bar, 100, lock, reading=reading) for _ in range(2))
        pre.label("pre.csv")
        post.label("post.csv")
        assert bar.postfix == "pre.csv, post.csv"
        pre.done("pre.csv")
        assert (bar.postfix, bar.n) == ("post.csv", 100)
        post.done("post.csv")
        assert (bar.postfix, bar.n) == ("", 200)
