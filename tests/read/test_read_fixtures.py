"""Every reader fixture in tests/fixtures/read/ against its expected.yaml.

The fixtures are written the way each collection tool writes its export (see
tests/fixtures/read/README.md); the expectations were written row by row
beside the data by make_fixtures.py, not taken from what evaltools returns.
"""

from pathlib import Path

import pandas as pd
import pytest
import yaml

from evaltools.errors import EvalToolsError
from evaltools.pair import pair
from evaltools.read import read_responses
from evaltools.score import score

FIXTURES = Path(__file__).parents[1] / "fixtures" / "read"
FOLDERS = sorted(p.parent.name for p in FIXTURES.glob("*/expected.yaml"))


_READ: dict = {}


def _load(folder, instrument):
    """Read a fixture once per test run (the tests only look at the result)."""
    if (folder, id(instrument)) in _READ:
        return _READ[folder, id(instrument)]
    exp = yaml.safe_load((FIXTURES / folder / "expected.yaml").read_text(encoding="utf-8"))
    files = [FIXTURES / folder / f for f in exp["files"]]
    r = read_responses(files, instrument, **(exp.get("args") or {}))
    _READ[folder, id(instrument)] = exp, r
    return exp, r


def _counts(ledger, action):
    sub = ledger[ledger["action"] == action]
    return {k: int(v) for k, v in sub["reason"].value_counts().items()}


def test_every_format_has_a_fixture():
    assert FOLDERS == ["entry-template", "excel-id-csv", "google-csv-en", "google-csv-id",
                       "google-sheets-xlsx", "kobo-csv-labels", "kobo-csv-xml", "kobo-xlsx",
                       "matching", "odk-briefcase"]


@pytest.mark.parametrize("folder", FOLDERS)
def test_no_row_is_lost(folder, inst):
    exp, r = _load(folder, inst)
    assert r.n_input_rows == exp["input_rows"]
    assert len(r.data) == exp["kept"]
    assert _counts(r.ledger, "excluded") == exp["excluded"]
    assert r.n_input_rows == len(r.data) + r.n_excluded


@pytest.mark.parametrize("folder", FOLDERS)
def test_repairs_and_flags(folder, inst):
    exp, r = _load(folder, inst)
    assert _counts(r.ledger, "repaired") == exp["repaired"]
    assert _counts(r.ledger, "flagged") == exp["flagged"]
    # every ledger row names a file and an Excel row
    assert (r.ledger["source"] != "").all() and (r.ledger["row"] >= 2).all()


def _same(got, want):
    if want is None:
        return pd.isna(got) or got == ""
    if isinstance(want, (int, float)) and not isinstance(want, bool):
        return not pd.isna(got) and float(got) == float(want)
    return str(got) == str(want)


@pytest.mark.parametrize("folder", FOLDERS)
def test_spot_checked_rows(folder, inst):
    exp, r = _load(folder, inst)
    for spot in exp.get("rows") or []:
        spot = dict(spot)
        name, row = Path(spot.pop("file")).name, spot.pop("row")
        hit = r.data[(r.data["source"] == name) & (r.data["row"] == row)]
        assert len(hit) == 1, f"{name} row {row} not kept"
        got = hit.iloc[0]
        wrong = {k: (got[k], v) for k, v in spot.items() if not _same(got[k], v)}
        assert not wrong, f"{name} row {row}: (got, expected) {wrong}"


def test_identifiers_stay_text(inst):
    for folder in FOLDERS:
        _, r = _load(folder, inst)
        nips = r.data["nip"].dropna()
        assert all(isinstance(v, str) for v in nips), folder
        assert all(v == "" or len(v) == 18 for v in nips), folder


def test_matching_fixture_pairs_and_refuses_ambiguity(inst):
    exp, r = _load("matching", inst)
    audit = pair(score(r, inst)).audit
    matched = audit[audit["status"] == "matched"]
    got = sorted((int(a.split(":")[-1]), int(b.split(":")[-1]), m)
                 for a, b, m in zip(matched["row_pre"], matched["row_post"], matched["match_by"]))
    want = sorted((m["pre_row"], m["post_row"], m["match_by"]) for m in exp["matches"])
    assert got == want
    amb = audit[audit["status"] == "ambiguous"]
    rows = {x for x in list(amb["row_pre"]) + list(amb["row_post"]) if x}
    want_rows = ({f"pre-loa-janan-2024-11-22.csv:{m['pre_row']}" for m in exp["ambiguous"]}
                 | {f"post-loa-janan-2024-11-22.csv:{m['post_row']}" for m in exp["ambiguous"]})
    assert rows == want_rows
    # an ambiguous candidate is never paired
    assert not set(matched["row_post"]) & want_rows


# Submission times as each tool writes them (copied from the files): Google's
# 12-hour clock with "GMT+8", Indonesian Excel's "08.15", Briefcase's
# "Nov 22, 2024 ...", Kobo's ISO time (UTC, kept as written).
TIMES = [
    ("google-csv-en", 2, "2024-11-22 08:15:02"),
    ("google-csv-id", 3, "2024-11-22 12:03:45"),   # 12:03:45 PM is noon
    ("google-csv-id", 7, "2024-11-22 20:15:02"),   # 8:15:02 PM
    ("excel-id-csv", 4, "2024-11-22 08:15:00"),    # 22/11/2024 08.15, day first
    ("excel-id-csv", 5, "2024-11-22 08:15:00"),    # 22/11/2024 8:15
    ("odk-briefcase", 2, "2024-11-22 11:49:12"),
    ("kobo-csv-xml", 2, "2024-11-22 00:41:32"),
]


@pytest.mark.parametrize("folder,row,when", TIMES)
def test_submission_times(folder, row, when, inst):
    _, r = _load(folder, inst)
    got = r.data.loc[r.data["row"] == row, "submitted_at"]
    assert got.tolist() == [pd.Timestamp(when)]


def test_day_first_is_sniffed_per_column():
    from evaltools.read.times import parse_times
    us = parse_times(pd.Series(["11/22/2024 8:15", "12/01/2024 9:00"]))
    ind = parse_times(pd.Series(["22/11/2024 08.15", "12/01/2024 9:00"]))
    both = parse_times(pd.Series(["12/01/2024 9:00", ""]))  # undecidable: Indonesian day first
    assert us.tolist() == [pd.Timestamp("2024-11-22 08:15"), pd.Timestamp("2024-12-01 09:00")]
    assert ind.tolist() == [pd.Timestamp("2024-11-22 08:15"), pd.Timestamp("2024-01-12 09:00")]
    assert both.iloc[0] == pd.Timestamp("2024-01-12 09:00") and pd.isna(both.iloc[1])


def test_a_date_that_starts_with_its_year_is_never_read_day_first():
    """Google Forms writes 2024/11/01 and Kobo 2024-11-02: 1 and 2 November,
    also beside Indonesian day-first dates (dateutil's dayfirst made them
    11 January and 11 February); a column parses with one layout, the odd
    value by itself."""
    from evaltools.read.times import parse_times
    got = parse_times(pd.Series(["2024/11/01 8:15:00 AM GMT+8", "2024-11-02 08:00:00",
                                 "03/11/2024 08.15", "", "Nov 4, 2024 11:49:12 AM", "x"]))
    assert got.iloc[:3].tolist() == [pd.Timestamp("2024-11-01 08:15"), pd.Timestamp("2024-11-02 08:00"),
                                     pd.Timestamp("2024-11-03 08:15")]
    assert pd.isna(got.iloc[3]) and got.iloc[4] == pd.Timestamp("2024-11-04 11:49:12")
    assert pd.isna(got.iloc[5]) and str(got.dtype) == "datetime64[us]"


def test_kobo_select_multiple_from_the_01_columns_alone(inst, tmp_path):
    """Exports with "split select_multiple" and no summary column: q31 is
    rebuilt from the "q31/<choice>" 0/1 columns, for XML names and labels."""
    import csv
    for folder in ("kobo-csv-xml", "kobo-csv-labels"):
        exp, full = _load(folder, inst)
        src = FIXTURES / folder / exp["files"][0]
        rows = list(csv.reader(src.read_text(encoding="utf-8").splitlines(), delimiter=";"))
        summary = next(k for k, h in enumerate(rows[0])
                       if h.endswith(("/q31", "dilarang bagi ASN:")))
        out = tmp_path / folder / src.parent.name / src.name
        out.parent.mkdir(parents=True)
        with open(out, "w", encoding="utf-8", newline="") as fh:
            csv.writer(fh, delimiter=";", quoting=csv.QUOTE_ALL).writerows(
                [r[:summary] + r[summary + 1:] for r in rows])
        split = read_responses(out, inst, **(exp.get("args") or {}))
        assert split.data["q31"].tolist() == full.data["q31"].tolist(), folder
        assert (full.data["q31"] != "").sum() >= 4, folder


@pytest.mark.parametrize("folder,header,sep,column", [
    ("kobo-csv-xml", "_uuid", ";", "submission_id"), ("kobo-csv-xml", "_id", ";", "submission_no"),
    ("kobo-csv-xml", "_index", ";", "export_index"), ("odk-briefcase", "KEY", ",", "submission_id")])
def test_the_tools_own_ids_are_kept(folder, header, sep, column, inst):
    import csv
    exp, r = _load(folder, inst)
    src = FIXTURES / folder / exp["files"][0]
    rows = list(csv.reader(src.read_text(encoding="utf-8").splitlines(), delimiter=sep))
    want = rows[1][rows[0].index(header)]
    assert want and r.data.loc[r.data["row"] == 2, column].tolist() == [want]


def test_kobo_labels_export_in_english(inst, tmp_path):
    """The same Kobo export with labels in "English (en)": every Indonesian
    label of the generated XLSForm replaced by its English label (longest
    first), headers and answers alike. It must read to the same data."""
    import csv

    from openpyxl import load_workbook
    wb = load_workbook(Path(__file__).parents[2] / "survey" / "forms"
                       / "netralitas-asn-pilkada-2024-post-kobo.xlsx", read_only=True)
    pairs = {}
    for sheet in ("survey", "choices"):
        rows = list(wb[sheet].iter_rows(values_only=True))
        i, e = rows[0].index("label::Indonesian (id)"), rows[0].index("label::English (en)")
        pairs.update({str(r[i]): str(r[e]) for r in rows[1:] if r[i] and r[e] and r[i] != r[e]})
    exp, ind = _load("kobo-csv-labels", inst)
    src = FIXTURES / "kobo-csv-labels" / exp["files"][0]

    def english(cell):
        if cell in pairs:  # an answer: one choice label
            return pairs[cell]
        # headers (group/label paths) and multi-select summaries: the long
        # labels inside, longest first (short ones like "PNS" sit inside texts)
        for k in sorted((k for k in pairs if len(k) >= 12), key=len, reverse=True):
            cell = cell.replace(k, pairs[k])
        return cell
    rows = [[english(c) for c in r] for r in csv.reader(
        src.read_text(encoding="utf-8").splitlines(), delimiter=";")]
    assert "Participant data/Other OPD / work unit" in rows[0]
    out = tmp_path / src.parent.name / src.name
    out.parent.mkdir()
    with open(out, "w", encoding="utf-8", newline="") as fh:
        csv.writer(fh, delimiter=";", quoting=csv.QUOTE_ALL, lineterminator="\r\n").writerows(rows)
    en = read_responses(out, inst)
    cols = [c for c in ind.data.columns if c != "submitted_at"]
    pd.testing.assert_frame_equal(en.data[cols], ind.data[cols])
    assert en.ledger["reason"].tolist() == ind.ledger["reason"].tolist()


FORMAT_OF = {"entry-template": "template", "excel-id-csv": "sheet", "google-csv-en": "google",
             "google-csv-id": "google", "google-sheets-xlsx": "google", "kobo-csv-labels": "kobo",
             "kobo-csv-xml": "kobo", "kobo-xlsx": "kobo", "matching": "sheet",
             "odk-briefcase": "briefcase"}


@pytest.mark.parametrize("folder", FOLDERS)
def test_the_writing_tool_is_detected(folder, inst):
    _, r = _load(folder, inst)
    assert set(r.sources["format"]) == {FORMAT_OF[folder]}


def test_format_can_be_forced(inst):
    exp, detected = _load("odk-briefcase", inst)
    files = [FIXTURES / "odk-briefcase" / f for f in exp["files"]]
    args = exp.get("args") or {}
    forced = read_responses(files, inst, format="briefcase", **args)
    assert forced.sources["format"].tolist() == ["briefcase"]
    pd.testing.assert_frame_equal(forced.data, detected.data)
    # forced as Kobo, the separator "-" is still found from the headers ("pengetahuan-q01");
    # forced as Google Forms (titles, no paths), the items are not found
    as_kobo = read_responses(files, inst, format="kobo", **args)
    pd.testing.assert_frame_equal(as_kobo.data, detected.data)
    assert as_kobo.sources["group_sep"].tolist() == ["-"]
    with pytest.raises(EvalToolsError, match="kolom butir q01"):
        read_responses(files, inst, format="google", **args)
    with pytest.raises(EvalToolsError, match="format 'excel' tidak dikenal"):
        read_responses(files, inst, format="excel", **args)
