"""OPDs the manager can act on (issue 19): a name that is no registry OPD is
never a statistical group; the evaluator corrects it per session
(koreksi.csv, koreksi_opd in sesi.yaml) without touching data/opd.csv;
validate lists its candidates; small groups stay protected when the
participants without a registry OPD are left out."""

import hashlib
import shutil
from pathlib import Path

import pandas as pd
import pytest

import evaltools as et
from evaltools.compare import secondary_suppression
from evaltools.errors import EvalToolsError
from evaltools.read.opd import OpdResolver, load_opd_registry

from conftest import KALTIM, ROOT

REGISTRY = ROOT / "data" / "opd.csv"
OPD_COLUMN = "OPD / Unit kerja"  # the Google Forms header of the Kaltim sample
MISSPELT = "Bapeda Kaltim"        # the 9 matched participants of Bappeda Prov. Kaltim
FREE_TEXT = "Ajudan Wagub (Fitri Anggraini)"  # no OPD at all, naming a person


def _sha(path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def _session(folder: Path, free_text: int = 0) -> Path:
    """The Kaltim sample with Bappeda written "Bapeda Kaltim" in both waves,
    and the first ``free_text`` people of Kesbangpol Prov. Kaltim in the
    pre-test (by name) given free text instead of an OPD in both waves."""
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copy(KALTIM / "sesi.yaml", folder / "sesi.yaml")
    frames = {src.name: pd.read_csv(src, dtype=str, keep_default_na=False)
              for src in sorted(KALTIM.glob("*.csv"))}
    pre = next(df for name, df in frames.items() if "Pre-test" in name)
    names = pre.loc[pre[OPD_COLUMN] == "Kesbangpol Prov. Kaltim", "Nama lengkap"].iloc[:free_text]
    for name, df in frames.items():
        df[OPD_COLUMN] = df[OPD_COLUMN].replace("Bappeda Prov. Kaltim", MISSPELT)
        df.loc[df["Nama lengkap"].isin(names) & (df[OPD_COLUMN] == "Kesbangpol Prov. Kaltim"),
               OPD_COLUMN] = FREE_TEXT
        df.to_csv(folder / name, index=False)
    return folder


@pytest.fixture(scope="module")
def misspelt(tmp_path_factory):
    return _session(tmp_path_factory.mktemp("opd") / "kaltim-salah-ketik-2024-10-17", free_text=2)


@pytest.fixture(scope="module")
def ev_misspelt(misspelt, inst):
    return et.evaluate(misspelt, inst)


def test_unresolved_names_are_no_group_anywhere(ev_misspelt, inst, tmp_path):
    ev = ev_misspelt
    m = ev.pairs.matched
    outside = m[~m["opd"].isin(load_opd_registry(REGISTRY)["singkatan"])]
    # 9 Bappeda participants misspelt; Kesbangpol Prov. Kaltim's 3 first rows of each wave are
    # free text: 2 of them are matched participants whose pre and post rows both say so
    assert sorted(outside["opd"].value_counts().items()) == [(FREE_TEXT, 2), (MISSPELT, 9)]
    assert ev.n_outside_opd == 11 and len(ev.matched_opd) == 263 - 11
    registry = set(load_opd_registry(REGISTRY)["singkatan"])
    by = ev.by("opd")
    assert set(by["opd"]) <= registry and len(by) == 31  # 32 of the sample, Bappeda left out
    assert int(by["n"].sum()) == 252
    assert ev.summary["n"].iloc[0] == 263  # the session still counts everyone
    # every table shown to managers: the workbook's Per OPD sheet and the participant sheet
    from openpyxl import load_workbook
    from evaltools.export import write_workbook
    wb = load_workbook(write_workbook(ev, tmp_path / "r.xlsx", include_participants=True, salt="uji"))
    per_opd = {r[0] for r in wb["Per OPD"].iter_rows(min_row=2, values_only=True) if r[0]}
    assert per_opd == set(by["opd"])
    people = {r[1] for r in wb["Peserta (pseudonim)"].iter_rows(min_row=2, values_only=True)}
    assert not {MISSPELT, FREE_TEXT} & people and "(OPD lain)" in people
    text = "".join(str(c.value) for ws in wb.worksheets for row in ws.iter_rows() for c in row)
    assert MISSPELT not in text and "Fitri" not in text


def test_recap_groups_registry_opds_only(misspelt, inst, tmp_path):
    data = tmp_path / "data"
    shutil.copytree(misspelt, data / misspelt.name)
    shutil.copytree(ROOT / "data" / "sample" / "loa-janan-2024-11-22", data / "loa-janan-2024-11-22")
    rc = et.recap(data, inst)
    registry = set(load_opd_registry(REGISTRY)["singkatan"])
    by = rc.by_opd()
    assert set(by["opd"]) <= registry and len(by) == 31 + 5
    assert set(rc.weakest_topics()["opd"]) <= registry
    assert set(rc.matched["opd"]) <= registry
    # n_opd counts registry OPDs only
    assert rc.sessions.set_index("session").loc[misspelt.name, "n_opd"] == 31


def test_quality_counts_the_unresolved_names(ev_misspelt):
    q = ev_misspelt.quality().set_index("description")["n"]
    assert q["OPD names not in the registry"] == 2
    assert q["matched without a registry OPD"] == 11
    u = ev_misspelt.responses.unresolved_opds
    assert u["written"].tolist() == [MISSPELT, FREE_TEXT]
    assert u["n"].tolist() == [18, 4]  # rows, both waves
    assert u["candidates"].iloc[0].split("; ")[:2] == ["Bapenda Prov. Kaltim", "Bappeda Prov. Kaltim"]
    assert u["candidates"].iloc[1] == ""  # nothing near: the line says what to write
    assert u["koreksi"].tolist() == ["Bapeda Kaltim,Bapenda Prov. Kaltim",
                                     "Ajudan Wagub (Fitri Anggraini),<OPD di data/opd.csv>"]
    s = et.findings.quality_sentence(ev_misspelt)
    assert "; 2 nama OPD tidak ada di daftar OPD (11 peserta berpasangan tidak dihitung per OPD)." in s
    en = et.findings.quality_sentence(ev_misspelt, "en")
    assert "; 2 OPD names not in the registry (11 matched participants not counted per OPD)." in en


def test_koreksi_csv_resolves_without_touching_the_registry(misspelt, inst, tmp_path):
    before = _sha(REGISTRY)
    folder = tmp_path / misspelt.name
    shutil.copytree(misspelt, folder)
    # Excel's ";" and a blank line: the row numbers stay those Excel shows
    (folder / "koreksi.csv").write_text("tertulis;opd\n\nbapeda  KALTIM;Bappeda Kaltim\n", encoding="utf-8")
    ev = et.evaluate(folder, inst)
    by = ev.by("opd").set_index("opd")
    assert by.loc["Bappeda Prov. Kaltim", "n"] == 9 and len(by) == 32
    led = ev.responses.ledger
    fixed = led[led["reason"] == "opd_corrected"]
    assert len(fixed) == 18 and set(fixed["action"]) == {"repaired"}
    assert set(fixed["detail"]) == {"'Bapeda Kaltim' -> 'Bappeda Prov. Kaltim' (koreksi.csv baris 3)"}
    assert ev.responses.unresolved_opds["written"].tolist() == [FREE_TEXT]
    assert "koreksi.csv" not in set(ev.responses.sources["source"])  # not read as responses
    assert _sha(REGISTRY) == before
    meaning = et.read.reasons.explain_reasons().set_index("reason").loc["opd_corrected", "arti"]
    assert meaning.startswith("nama OPD dibetulkan oleh evaluator")


def test_sesi_yaml_koreksi_opd_resolves_without_touching_the_registry(misspelt, inst, tmp_path):
    before = _sha(REGISTRY)
    folder = tmp_path / misspelt.name
    shutil.copytree(misspelt, folder)
    with open(folder / "sesi.yaml", "a", encoding="utf-8") as f:
        f.write('koreksi_opd:\n  "Bapeda Kaltim": "Bappeda Prov. Kaltim"\n'
                f'  "{FREE_TEXT}": "Kesbangpol Kaltim"\n')
    ev = et.evaluate(folder, inst)
    assert ev.n_outside_opd == 0 and ev.responses.unresolved_opds.empty
    by = ev.by("opd").set_index("opd")
    assert by.loc["Bappeda Prov. Kaltim", "n"] == 9
    assert by.loc["Kesbangpol Prov. Kaltim", "n"] == 13  # as in the sample: nobody lost
    details = set(ev.responses.ledger.query("reason == 'opd_corrected'")["detail"])
    assert "'Bapeda Kaltim' -> 'Bappeda Prov. Kaltim' (sesi.yaml koreksi_opd)" in details
    assert _sha(REGISTRY) == before


def test_candidates_include_aliases_and_abbreviations():
    r = OpdResolver(load_opd_registry(REGISTRY))
    got = r.candidates("Bapeda Kaltim")
    # rapidfuzz ratio("bapeda kaltim", "bappeda kaltim") = 2 * 13 / 27 = 96.3 (the aliases)
    assert [o for o, _ in got[:2]] == ["Bapenda Prov. Kaltim", "Bappeda Prov. Kaltim"]
    assert got[0][1] == pytest.approx(2 * 13 / 27 * 100)
    # an abbreviation written out on both sides: "Diskominfo Kukar" is the expanded alias
    assert r.candidates("Diskominfo Kukarr", k=1)[0][0] == "Diskominfo Kab. Kutai Kartanegara"
    assert r.candidates("zzzz qqqq") == []
    # the ledger's suggestions are the same candidates
    assert "mungkin: Bapenda Prov. Kaltim (96); Bappeda Prov. Kaltim (96)" in r.resolve(MISSPELT).detail


def test_validate_lists_unresolved_names_and_the_fix(misspelt, capsys):
    from evaltools.cli import main
    assert main(["validate", str(misspelt)]) == 0
    out = capsys.readouterr().out
    block = out[out.index("OPD yang tidak ada di daftar OPD"):]
    assert "'Bapeda Kaltim' (18 baris); calon: Bapenda Prov. Kaltim; Bappeda Prov. Kaltim; BPBD " \
           "Prov. Kaltim" in " ".join(block.split())
    assert f"{misspelt / 'koreksi.csv'}" in block and "  tertulis,opd\n" in block
    assert "  Bapeda Kaltim,Bapenda Prov. Kaltim\n" in block


def test_suppression_covers_the_participants_left_out():
    t = pd.DataFrame({"opd": list("abcd"), "n": [4, 6, 9, 12],
                      "suppressed": [True, False, False, False]})
    # 4 hidden + 0 outside < 5: the next smallest is hidden with it
    assert secondary_suppression(t)["suppressed"].tolist() == [True, True, False, False]
    # 4 hidden + 1 left out = 5: the total minus the shown mixes five people
    assert secondary_suppression(t, outside=1)["suppressed"].tolist() == [True, False, False, False]
    # nobody hidden, 2 left out: the total minus the shown would be those two
    t["suppressed"] = False
    out = secondary_suppression(t, outside=2)
    assert out["suppressed"].tolist() == [True, False, False, False]
    assert out["suppressed_secondary"].tolist() == [True, False, False, False]
    assert secondary_suppression(t, outside=5)["suppressed"].tolist() == [False] * 4


def test_two_free_text_participants_cannot_be_recovered(tmp_path, inst):
    # Balikpapan: BKPSDM 9, DP3AKB 8, Diskominfo 8, Kesbangpol 6, nobody under 5. Two BKPSDM
    # people write free text in both tests: without more, the session (31) minus the OPDs
    # shown (29) would be those two. Kesbangpol, the smallest, is hidden with them.
    from openpyxl import load_workbook
    src = ROOT / "data" / "sample" / "kesbangpol-balikpapan-2023-10-20"
    folder = tmp_path / src.name
    shutil.copytree(src, folder)
    nips = {"198102082002122047", "197008282001091093"}  # two BKPSDM people matched by NIP
    for wave in ("pre", "post"):
        path = folder / f"{wave}-entri-kertas-sintetis.xlsx"
        wb = load_workbook(path)
        ws = wb["Jawaban"]
        for r in ws.iter_rows(min_row=3):
            if "".join(ch for ch in str(r[1].value) if ch.isdigit()) in nips:
                r[3].value = FREE_TEXT
        wb.save(path)
    ev = et.evaluate(folder, inst)
    assert ev.n_outside_opd == 2 and ev.summary["n"].iloc[0] == 31
    by = ev.by("opd").set_index("opd")
    assert by["n"].to_dict() == {"BKPSDM Kota Balikpapan": 7, "DP3AKB Kota Balikpapan": 8,
                                 "Diskominfo Kota Balikpapan": 8, "Kesbangpol Kota Balikpapan": 6}
    assert by["suppressed"].to_dict() == {"BKPSDM Kota Balikpapan": False, "DP3AKB Kota Balikpapan": False,
                                          "Diskominfo Kota Balikpapan": False,
                                          "Kesbangpol Kota Balikpapan": True}
    assert bool(by.loc["Kesbangpol Kota Balikpapan", "suppressed_secondary"])


@pytest.mark.parametrize("text, row, column, problem", [
    ("nama,opd\nBapeda Kaltim,Bappeda Kaltim\n", 1, "tertulis", "kolom tertulis tidak ada"),
    ("tertulis,opd\nBapeda Kaltim,Bappeda Kaltim\nX,Bapeda\n", 3, "opd",
     "'Bapeda' bukan OPD di daftar OPD"),
    ("tertulis,opd\n,Bappeda Kaltim\n", 2, "tertulis", "kolom tertulis kosong"),
    ("tertulis,opd\nBapeda Kaltim,\n", 2, "opd", "nama OPD kosong"),
    ("tertulis,opd\nBapeda Kaltim,Bappeda Kaltim\nbapeda kaltim,Bapenda Kaltim\n", 3, "tertulis",
     "'bapeda kaltim' sudah dikoreksi ke 'Bappeda Prov. Kaltim' (koreksi.csv baris 2)"),
])
def test_bad_koreksi_csv_is_refused_with_its_row_and_fix(tmp_path, inst, text, row, column, problem):
    shutil.copy(KALTIM / "sesi.yaml", tmp_path / "sesi.yaml")
    for src in sorted(KALTIM.glob("*.csv")):
        shutil.copy(src, tmp_path / src.name)
    (tmp_path / "koreksi.csv").write_text(text, encoding="utf-8")
    with pytest.raises(EvalToolsError) as err:
        et.read_responses(tmp_path, inst)
    e = err.value
    assert (Path(e.file).name, e.row, e.column, e.problem) == ("koreksi.csv", row, column, problem)
    assert e.fix and e.message_en
    if problem.startswith("'Bapeda'"):
        assert "Bapenda Prov. Kaltim; Bappeda Prov. Kaltim" in e.fix  # the names that fit


def test_bad_koreksi_opd_in_sesi_yaml_is_refused(tmp_path, inst):
    shutil.copy(KALTIM / "sesi.yaml", tmp_path / "sesi.yaml")
    for src in sorted(KALTIM.glob("*.csv")):
        shutil.copy(src, tmp_path / src.name)
    with open(tmp_path / "sesi.yaml", "a", encoding="utf-8") as f:
        f.write("koreksi_opd:\n  - Bapeda Kaltim\n")
    with pytest.raises(EvalToolsError, match="koreksi_opd harus berisi pasangan"):
        et.read_responses(tmp_path, inst)
    (tmp_path / "koreksi.csv").write_text("tertulis,opd\nBapeda Kaltim,Bapenda Kaltim\n", encoding="utf-8")
    text = (tmp_path / "sesi.yaml").read_text(encoding="utf-8").replace(
        "  - Bapeda Kaltim\n", '  "Bapeda Kaltim": "Bappeda Kaltim"\n')
    (tmp_path / "sesi.yaml").write_text(text, encoding="utf-8")
    with pytest.raises(EvalToolsError, match="dikoreksi dua kali dengan OPD berbeda"):
        et.read_responses(tmp_path, inst)


def test_pair_takes_the_opd_columns_from_one_wave():
    from evaltools.pair import pair
    base = {"session": "s", "nip": ["198609262015051001"] * 2, "kode_peserta": "", "nama": "Ani",
            "n_items": 1, "pct": [40.0, 80.0], "passed": [False, True]}
    scores = pd.DataFrame({**base, "wave": ["pre", "post"], "pid": ["nip:1", "nip:1"],
                           "opd": ["Bapeda Kaltim", "Bappeda Prov. Kaltim"],
                           "opd_induk": ["Bapeda Kaltim", "Bappeda Prov. Kaltim"],
                           "opd_terdaftar": [False, True]})
    m = pair(scores).matched.iloc[0]
    assert (m["opd"], m["opd_induk"], bool(m["opd_terdaftar"])) == \
        ("Bappeda Prov. Kaltim", "Bappeda Prov. Kaltim", True)
    # the pre-test's OPD, whole, when it is a registry OPD
    scores["opd_terdaftar"] = True
    scores["opd"] = ["Dinas Sosial Prov. Kaltim", ""]
    m = pair(scores).matched.iloc[0]
    assert (m["opd"], m["opd_induk"]) == ("Dinas Sosial Prov. Kaltim", "Bapeda Kaltim")
