"""The read options (``read.options.ReadOptions``) shared by
``read_responses`` and ``evaluate``: checked once when made, the keyword
arguments still working, and ``evaluate(format=...)``."""

from __future__ import annotations

import dataclasses

import pandas as pd
import pytest

import evaltools as et
from evaltools.read import ReadOptions, load_opd_registry

from conftest import LOA_JANAN, ROOT

BRIEFCASE = ROOT / "tests" / "fixtures" / "read" / "odk-briefcase"


def test_defaults_and_frozen():
    opts = ReadOptions()
    assert (opts.wave, opts.session, opts.columns, opts.registry, opts.anonymous, opts.format) == (
        None, None, None, None, False, None)
    with pytest.raises(dataclasses.FrozenInstanceError):
        opts.wave = "pre"
    cols = {"Asal Instansi": "opd"}
    opts = ReadOptions(columns=cols)
    cols["Asal Instansi"] = "nama"  # the caller's dict changing later changes nothing
    assert dict(opts.columns) == {"Asal Instansi": "opd"}
    with pytest.raises(TypeError):
        opts.columns["TTD"] = None  # read-only
    assert ReadOptions(wave="pre") == ReadOptions(wave="pre") != ReadOptions(wave="post")


@pytest.mark.parametrize("kwargs, problem_id, problem_en", [
    ({"wave": "tengah"}, "gelombang 'tengah' tidak dikenal", "unknown wave 'tengah'"),
    ({"format": "xlsx"}, "format 'xlsx' tidak dikenal", "unknown format 'xlsx'"),
    ({"anonymous": "ya"}, "anonymous='ya' tidak sah (str)", "anonymous='ya' is not valid (str)"),
    ({"session": 20241122}, "session=20241122 tidak sah (int)", "session=20241122 is not valid (int)"),
    ({"registry": 5}, "registry=5 tidak sah (int)", "registry=5 is not valid (int)"),
    ({"columns": ["nip"]}, "columns=['nip'] tidak sah", "columns=['nip'] is not valid"),
    ({"columns": {"NIP Pegawai": 3}}, "columns={'NIP Pegawai': 3} tidak sah",
     "columns={'NIP Pegawai': 3} is not valid"),
])
def test_each_option_is_checked_when_made(kwargs, problem_id, problem_en):
    with pytest.raises(et.EvalToolsError) as err:
        ReadOptions(**kwargs)
    assert err.value.problem.startswith(problem_id), err.value.problem
    assert err.value.problem_en.startswith(problem_en), err.value.problem_en
    assert err.value.fix and err.value.fix_en


def test_of_puts_the_given_keywords_in():
    base = ReadOptions(wave="pre", columns={"Instansi": "opd"})
    assert ReadOptions.of(None) == ReadOptions()
    assert ReadOptions.of(base) is base
    assert ReadOptions.of(base, session="loa-janan-2024-11-22", wave=None, anonymous=False) == ReadOptions(
        wave="pre", session="loa-janan-2024-11-22", columns={"Instansi": "opd"})
    assert ReadOptions.of(base, wave="post").wave == "post"
    with pytest.raises(et.EvalToolsError, match="options harus ReadOptions"):
        ReadOptions.of({"wave": "pre"})
    with pytest.raises(et.EvalToolsError, match="tengah"):
        ReadOptions.of(base, wave="tengah")  # checked again when changed


def test_read_responses_takes_keywords_or_options(inst, tmp_path):
    """``read_responses(folder, inst, wave=...)`` as before, or one ReadOptions: the same read."""
    one = tmp_path / "jawaban.csv"  # no wave in the data or the name: the option says it
    one.write_text("nama,nip," + ",".join(inst.item_ids) + "\n"
                   "Ani,198609262015051001," + ",".join("a" for _ in inst.item_ids) + "\n",
                   encoding="utf-8")
    by_keywords = et.read_responses(one, inst, wave="post", session="uji-2024-01-01")
    by_options = et.read_responses(one, inst, ReadOptions(wave="post", session="uji-2024-01-01"))
    mixed = et.read_responses(one, inst, ReadOptions(wave="pre"), wave="post", session="uji-2024-01-01")
    for r in (by_options, mixed):
        pd.testing.assert_frame_equal(r.data, by_keywords.data)
        pd.testing.assert_frame_equal(r.ledger, by_keywords.ledger)
    assert by_keywords.data["wave"].tolist() == ["post"]
    with pytest.raises(et.EvalToolsError, match="gelombang 'tengah'"):
        et.read_responses(one, inst, wave="tengah")


def test_read_responses_checks_column_targets_against_the_instrument(inst):
    with pytest.raises(et.EvalToolsError) as err:
        et.read_responses(LOA_JANAN, inst, ReadOptions(columns={"Asal Instansi": "instansi"}))
    assert err.value.problem_en == "'instansi' is not a column id" and err.value.column == "Asal Instansi"


def test_evaluate_takes_format(inst):
    """``evaluate(format=...)`` reaches the reader: an ODK Briefcase export
    read as Briefcase finds its group paths ("grp-q01"), read as Kobo too (the
    separator is found from the headers), read as Google Forms it does not
    (a Google form's titles are no paths)."""
    ev = et.evaluate(BRIEFCASE, inst, session="uji-2024-01-01", format="briefcase")
    assert ev.responses.sources[["format", "rows", "kept"]].values.tolist() == [["briefcase", 6, 6]]
    ev = et.evaluate(BRIEFCASE, inst, session="uji-2024-01-01", format="kobo")
    assert ev.responses.sources[["format", "rows", "kept"]].values.tolist() == [["kobo", 6, 6]]
    with pytest.raises(et.EvalToolsError) as err:
        et.evaluate(BRIEFCASE, inst, session="uji-2024-01-01", format="google")
    assert err.value.problem_en.startswith("item column(s) q01, q02")
    with pytest.raises(et.EvalToolsError, match="format 'xlsx' tidak dikenal"):
        et.evaluate(BRIEFCASE, "no/such/instrument.yaml", format="xlsx")  # refused before anything is read


def test_evaluate_takes_read_options(inst, ev_loa):
    registry = load_opd_registry(ROOT / "data" / "opd.csv")
    ev = et.evaluate(LOA_JANAN, inst, ReadOptions(registry=registry, format="sheet"))
    assert ev.responses.sources["format"].tolist() == ["sheet", "sheet"]
    pd.testing.assert_frame_equal(ev.summary, ev_loa.summary)
