"""Kobo and ODK headers as paths: any group separator, groups in the headers
or not, labels in either language (read.paths, read.formats.map_columns).

The headers are built with formpack's rules (KoboToolbox's exporter,
``formpack/schema/fields.py``): a question's header is its groups' labels and
its own joined by the separator the user typed; a select_multiple "separate
column" is the question's header, the separator and the choice's label. The
exports formpack itself writes are read in test_kobo_exports.py.
"""

from __future__ import annotations

import pandas as pd
import pytest

from evaltools import cli
from evaltools.errors import EvalToolsError
from evaltools.read import read_responses
from evaltools.read.paths import find_separator, strip_groups, vocabulary

SEPARATORS = ["/", ".", "-", " ", "__", "::", " > "]


def _headers(inst, sep: str, lang: str, groups: bool) -> tuple[list, list]:
    """(headers, one row of answers) of a formpack export with only q31's
    separate columns (no summary) and the identifiers."""
    en = lang == "en"
    part = "Participant data" if en else "Data peserta"
    know = "Knowledge test" if en else "Tes pengetahuan"
    nip = next(f for f in inst.participant_fields if f.id == "nip")
    g = (lambda group, label: f"{group}{sep}{label}") if groups else (lambda group, label: label)
    heads, row = [g(part, nip.label_en if en else nip.label)], ["198609262015051001"]
    for n, item in enumerate(inst.items, start=1):
        label = f"{n}. {item.text_en if en else item.text}"
        if item.type == "multi":
            for oid, text in item.options.items():
                heads.append(g(know, label) + sep + (item.options_en[oid] if en else text))
                row.append("1" if oid in ("a", "c") else "0")
        else:
            heads.append(g(know, label))
            row.append(next(iter(item.options)))
    return [*heads, "_uuid", "_submission_time"], [*row, "u1", "2024-11-22T09:00:00"]


@pytest.mark.parametrize("groups", [True, False], ids=["groups", "no-groups"])
@pytest.mark.parametrize("lang", ["id", "en"])
@pytest.mark.parametrize("sep", SEPARATORS, ids=repr)
def test_any_separator_any_language(inst, tmp_path, sep, lang, groups):
    heads, row = _headers(inst, sep, lang, groups)
    path = tmp_path / "uji-2024-11-22" / "pre.csv"
    path.parent.mkdir()
    pd.DataFrame([row], columns=heads).to_csv(path, sep=";", index=False)
    r = read_responses(path, inst)
    assert r.data["q31"].tolist() == ["a c"]  # rebuilt from the 0/1 columns
    assert r.data["nip"].tolist() == ["198609262015051001"]
    assert r.data["q01"].tolist() == [next(iter(inst.items[0].options))]
    assert r.sources["group_sep"].tolist() == [sep]
    assert r.sources["notes"].tolist() == ["q31: disusun dari 5 kolom pilihan terpisah"]
    assert r.sources["notes_en"].tolist() == ["q31: rebuilt from 5 separate choice columns"]


def test_separator_votes_and_groups(inst):
    v = vocabulary(inst)
    assert find_separator(["peserta__nip", "pengetahuan__q01", "pengetahuan__q31__a"], v) == "__"
    assert find_separator(["q31.a", "q31.b", "q01", "nip"], v) == "."
    assert find_separator(["q01", "nip", "_uuid"], v) is None  # nothing tells
    # a group the form does not know: the punctuation before a question's name
    assert find_separator(["bagian_a::nip", "bagian_b::q01"], v) == "::"
    assert strip_groups("Data peserta.Kabupaten/Kota", ".", v) == "Kabupaten/Kota"
    assert strip_groups("sikap / sikap_1", " / ", v) == "sikap_1"


def test_refusal_names_the_separator(inst, tmp_path):
    """A header that cannot be placed: the message says what was tried."""
    path = tmp_path / "uji-2024-11-22" / "pre.csv"
    path.parent.mkdir()
    pd.DataFrame([["198609262015051001", "b"]],
                 columns=["peserta|nip", "lain|soal_satu"]).assign(_uuid="u1").to_csv(path, index=False)
    with pytest.raises(EvalToolsError) as err:
        read_responses(path, inst)
    assert "pemisah grup '|'" in str(err.value) and "label bahasa Indonesia/Inggris" in str(err.value)
    assert err.value.problem_en.endswith("group separator '|')")


def test_a_sheet_title_is_no_path(inst, tmp_path):
    """A hand-made sheet's titles ending in a question's name ("Asal OPD",
    "Tanda tangan nama") are titles, not group paths: no separator is
    guessed from them, and "Tanda tangan nama" is not read as the name."""
    v = vocabulary(inst)
    assert find_separator(["Asal OPD", "Tanda tangan nama"], v, unknown_groups=False) is None
    path = tmp_path / "uji-2024-11-22" / "pre.csv"
    path.parent.mkdir()
    row = ["Ani", "Kesbangpol Prov. Kaltim", "ttd", *[next(iter(i.options)) for i in inst.items]]
    pd.DataFrame([row], columns=["Nama", "Asal OPD", "Tanda tangan nama",
                                 *[i.id for i in inst.items]]).to_csv(path, index=False)
    r = read_responses(path, inst)
    assert r.sources[["format", "group_sep", "ignored_columns"]].values.tolist() == [
        ["sheet", "", "Tanda tangan nama"]]
    assert r.data["opd"].tolist() == ["Kesbangpol Prov. Kaltim"]


def test_validate_names_the_separator_and_the_rebuilt_answer(capsys):
    """``evaltools validate`` on a formpack export with English labels, groups
    joined by ".", and q31 as separate columns only."""
    path = ("tests/fixtures/kobo/pre-loa-janan-2024-11-22/en-groups-dot-details.csv")
    assert cli.main(["validate", path]) == 0
    out = capsys.readouterr().out
    assert "\n      tanggal dibaca tahun/bulan/hari; pemisah grup '.'; q31: disusun dari 5 kolom " \
           "pilihan terpisah\n" in out
    assert "baris dibaca 7, dipakai 7, dikeluarkan 0" in out
