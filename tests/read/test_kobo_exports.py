"""Every KoboToolbox export in tests/fixtures/kobo/ against the submissions
that were exported.

The files were written by formpack, the library behind KoboToolbox's "Download
data", from the project's own Kobo XLSForms: one file per option combination of
the export dialog (value and header language, groups in headers, group
separator, select-multiple layout, CSV / XLSX / XLSX as text), per wave. The
expectations (expected.json, canonical/) were written by the generator from the
submissions it invented, never from what evaltools returns
(tests/fixtures/kobo/README.md).
"""

import datetime as dt
import json
from pathlib import Path

import pandas as pd
import pytest

from evaltools.evaluate import evaluate
from evaltools.instrument import load_instrument
from evaltools.read import read_responses

FIXTURES = Path(__file__).parents[1] / "fixtures" / "kobo"
EXPECTED = json.loads((FIXTURES / "expected.json").read_text(encoding="utf-8"))
SESSION = EXPECTED["session"]
WAVES = ("pre", "post")
COMBOS = sorted(p.name for p in (FIXTURES / EXPECTED["pre"]["folder"]).iterdir())
ITEMS = [f"q{i:02d}" for i in range(1, 31)]
# data/opd.csv: "Puskesmas Loa Janan" (typed under "Lainnya") is an alias of this OPD
OPD_ALIAS = {"Puskesmas Loa Janan": "UPT Puskesmas Loa Janan"}
# what every file of 7 submissions leaves in the ledger: Dewi's alias resolved
LEDGER = [("repaired", "opd_canonical", 1)]
STATS = ["n", "mean_pre", "mean_post", "mean_gain", "sd_gain", "t", "df", "p_t", "V", "p_w",
         "d_z", "g_hake", "pass_pre", "pass_post"]

def _params(names, with_wave=True):
    waves = WAVES if with_wave else (None,)
    return [pytest.param(w, n, id=f"{w}/{n}" if w else n)
            for w in waves for n in names]


@pytest.fixture(scope="module")
def instrument():
    return load_instrument("survey/netralitas-asn-pilkada-2024.yaml")


def _written(utc: str) -> pd.Timestamp:
    """Kobo's _submission_time (UTC), kept as written: the reader keeps the
    wall clock of the file (evaltools/read/times.py), it converts no zone."""
    return pd.Timestamp(dt.datetime.fromisoformat(utc))


def _check_row(row: pd.Series, rec: dict, wave: str) -> None:
    """One kept row against the submission the generator made."""
    who = rec["who"]
    assert (row["session"], row["wave"]) == (SESSION, wave), who
    assert row["nip"] == rec["nip"] and isinstance(row["nip"], str), who
    assert row["kode_peserta"] == rec["kode_peserta"], who
    opd = rec["opd_name"]
    assert row["opd"] == OPD_ALIAS.get(opd, opd), who
    for col in ("jenis_pegawai", "jabatan", "jenis_kelamin", "kabupaten_kota"):
        assert row[col] == rec[col], (who, col)
    got = {q: row[q] if isinstance(row[q], str) else "" for q in ITEMS}
    assert got == {q: rec[q] for q in ITEMS}, who
    q31 = row["q31"] if isinstance(row["q31"], str) else ""
    assert sorted(q31.split()) == rec["q31"], who
    likert = [f"sikap_{i}" for i in range(1, 7)]
    if wave == "post":
        likert += [f"reaksi_{i}" for i in range(1, 6)]
        assert (row["saran"] or "") == rec["saran"], who
    assert [int(row[c]) for c in likert] == [int(rec[c]) for c in likert], who
    assert row["submitted_at"] == _written(rec["submitted_utc"]), who


def _check_file(responses, wave: str, rows: list) -> None:
    data = responses.data
    assert responses.n_input_rows == len(data) + responses.n_excluded == len(rows)
    assert sorted(data["nama"]) == sorted(r["nama"] for r in rows)
    assert responses.ledger_counts().values.tolist() == [list(x) for x in LEDGER]
    for rec in rows:
        _check_row(data[data["nama"] == rec["nama"]].iloc[0], rec, wave)


def test_the_fixtures_are_all_there():
    assert len(COMBOS) == 108
    for wave in WAVES:
        folder = FIXTURES / EXPECTED[wave]["folder"]
        assert sorted(p.name for p in folder.iterdir()) == COMBOS
    rows = {w: EXPECTED[w]["rows"] for w in WAVES}
    # the cases the generator promises: 18-digit NIPs kept as text, a NIP
    # from 2000, a code instead of a NIP, "Lainnya" with a name, q31 empty
    nips = [r["nip"] for w in WAVES for r in rows[w] if r["nip"]]
    assert all(len(n) == 18 and n.isdigit() for n in nips)
    assert any(n.startswith("19") for n in nips) and any(n.startswith("20") for n in nips)
    assert [r["kode_peserta"] for r in rows["pre"] if not r["nip"]] == ["HG1204"]
    assert [r["opd_lainnya"] for r in rows["pre"] if r["opd"] == "lainnya"] == ["Puskesmas Loa Janan"]
    assert [r["who"] for r in rows["pre"] if not r["q31"]] == ["hendra"]
    assert {len(r["q31"]) for w in WAVES for r in rows[w]} == {0, 2, 3}


def test_the_canonical_files_hold_the_same_submissions(instrument):
    for wave in WAVES:
        r = read_responses(FIXTURES / "canonical" / f"{wave}-{SESSION}.csv", instrument)
        _check_file(r, wave, EXPECTED[wave]["rows"])


@pytest.fixture(scope="module")
def canonical_eval(instrument):
    files = [FIXTURES / "canonical" / f"{w}-{SESSION}.csv" for w in WAVES]
    return evaluate(files, instrument)


def _pairs(ev) -> list:
    m = ev.pairs.matched
    return sorted(zip(m["pid"], m["match_by"], m["pct_pre"].round(9), m["pct_post"].round(9)))


def _check_wave(responses, k: int, wave: str, rows: list) -> None:
    """The k-th file of a read of several (the pre and post files of one
    combination share their name): its rows, its kept rows."""
    info = responses.sources.iloc[k]
    assert info["rows"] == info["kept"] + info["excluded"] == len(rows) and info["excluded"] == 0
    data = responses.data[responses.data["wave"] == wave]
    assert sorted(data["nama"]) == sorted(r["nama"] for r in rows)
    for rec in rows:
        _check_row(data[data["nama"] == rec["nama"]].iloc[0], rec, wave)


@pytest.mark.parametrize("_, name", _params(COMBOS, with_wave=False))
def test_each_combination_is_read_exactly_and_evaluates_as_the_canonical_files(
        instrument, canonical_eval, _, name):
    """Both waves' files of one combination in one ``evaluate``: each file's
    rows, answers, NIPs and ledger as exported, then the same matched pairs
    and statistics as the canonical files (one evaluate per combination
    keeps the module's time down: it reads both files once)."""
    files = [FIXTURES / EXPECTED[w]["folder"] / name for w in WAVES]
    ev = evaluate(files, instrument, session=SESSION)
    for k, wave in enumerate(WAVES):
        _check_wave(ev.responses, k, wave, EXPECTED[wave]["rows"])
    # each file: Dewi's OPD alias resolved, nothing else
    assert ev.responses.ledger_counts().values.tolist() == [[a, r, 2 * n] for a, r, n in LEDGER]
    assert len(ev.pairs.matched) == 6
    assert _pairs(ev) == _pairs(canonical_eval)
    got, want = ev.summary.iloc[0], canonical_eval.summary.iloc[0]
    assert not want["suppressed"] and not got["suppressed"]
    for col in STATS:
        assert got[col] == pytest.approx(want[col], rel=1e-12, abs=1e-12), col


ALL_VERSIONS = sorted(p.name for p in (FIXTURES / "all-versions").iterdir())


@pytest.mark.parametrize("_, name", _params(ALL_VERSIONS, with_wave=False))
def test_an_all_versions_export_reads_the_older_version_row(instrument, _, name):
    # Andi answered the older deployment (no Kelurahan choice yet, a phone
    # question since dropped: formpack puts its column after __version__)
    r = read_responses(FIXTURES / "all-versions" / name, instrument, session=SESSION)
    _check_file(r, "pre", EXPECTED["pre"]["rows"])
    assert EXPECTED["old_version_row"]["who"] == "andi"
    assert "no_hp" not in r.data.columns


def _dup(instrument):
    return read_responses(FIXTURES / "dup-download" / f"pre-{SESSION}", instrument)


def test_the_same_export_downloaded_twice_keeps_each_submission_once(instrument):
    # the CSV and the XLSX of one export in one session folder: session from the folder name
    r = _dup(instrument)
    assert r.n_input_rows == 14 and len(r.data) == 7 and r.n_excluded == 7
    assert sorted(r.sources["rows"]) == [7, 7]
    for rec in EXPECTED["pre"]["rows"]:
        _check_row(r.data[r.data["nama"] == rec["nama"]].iloc[0], rec, "pre")


def test_the_second_download_is_ledgered_as_the_same_submission(instrument):
    ledger = _dup(instrument).ledger
    excluded = ledger[ledger["action"] == "excluded"]
    assert excluded["reason"].tolist() == ["same_submission"] * 7
    assert excluded["detail"].str.startswith("kiriman yang sama juga ada di baris").all()


REVIEWED = sorted(p.name for p in (FIXTURES / "review").iterdir())


@pytest.mark.parametrize("name", REVIEWED)
def test_not_approved_is_excluded_and_on_hold_flagged(instrument, name):
    review = EXPECTED["review"]
    assert review == {"siti": "Approved", "andi": "Approved", "hendra": "Not Approved",
                      "dewi": "On Hold"}
    r = read_responses(FIXTURES / "review" / name, instrument, session=SESSION)
    assert r.n_input_rows == 7 and len(r.data) == 6 and r.n_excluded == 1
    assert "Hendra Gunawan" not in set(r.data["nama"])
    counts = sorted(map(tuple, r.ledger_counts().values.tolist()))
    assert counts == [("excluded", "review_rejected", 1), ("flagged", "review_on_hold", 1),
                      ("repaired", "opd_canonical", 1)]
    ignored = read_responses(FIXTURES / "review" / name, instrument, session=SESSION,
                             review="ignore")
    _check_file(ignored, "pre", EXPECTED["pre"]["rows"])
