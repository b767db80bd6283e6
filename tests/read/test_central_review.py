"""ODK Central exports, review status (Kobo ``_validation_status``, Central
``ReviewState``) and the same submission read from two files.

The Central files are written by tests/fixtures/central/make_central_exports.py
from Central's documented layout, with their expectations (expected.json);
the Kobo files are the reader fixtures' Kobo exports with review statuses
written in (and an XLSX made from the CSV, as Kobo's XLSX download of the
same export), in the test's own folder.
"""

import csv
import json
import shutil
import zipfile
from pathlib import Path

import openpyxl
import pytest

from evaltools.cli import main
from evaltools.errors import EvalToolsError
from evaltools.evaluate import evaluate
from evaltools.read import ReadOptions, read_responses
from evaltools.read.files import read_table
from evaltools.read.formats import detect_format

CENTRAL = Path(__file__).parents[1] / "fixtures" / "central"
EXPECTED = json.loads((CENTRAL / "expected.json").read_text(encoding="utf-8"))
SESSION = EXPECTED["session"]
READ = Path(__file__).parents[1] / "fixtures" / "read"
KOBO_XML = READ / "kobo-csv-xml" / SESSION / \
    "Tes Pemahaman Netralitas ASN - all versions - xml - 2024-11-22-11-40-02.csv"
KOBO_LABELS = READ / "kobo-csv-labels" / SESSION / \
    "Tes Pemahaman Netralitas ASN - Post-test - latest version - labels - 2024-11-22-12-30-05.csv"
ITEMS = [f"q{k:02d}" for k in range(1, 31)]


def _counts(ledger, action):
    sub = ledger[ledger["action"] == action]
    return {k: int(v) for k, v in sub["reason"].value_counts().items()}


@pytest.mark.parametrize("mode", ["exclude", "flag", "ignore"])
@pytest.mark.parametrize("folder", sorted(EXPECTED["folders"]))
def test_central_counts_per_review_mode(folder, mode, inst):
    exp = EXPECTED["folders"][folder]["read"][mode]
    r = read_responses(CENTRAL / folder, inst, session=SESSION, review=mode)
    assert r.sources["format"].tolist() == ["central"] * len(EXPECTED["folders"][folder]["files"])
    assert sorted(r.sources["source"]) == sorted(EXPECTED["folders"][folder]["files"])
    assert r.n_input_rows == exp["rows"]
    assert len(r.data) == exp["kept"]
    assert r.n_input_rows == len(r.data) + r.n_excluded
    assert _counts(r.ledger, "excluded") == exp["excluded"]
    assert _counts(r.ledger, "flagged") == exp["flagged"]
    assert _counts(r.ledger, "repaired") == {}
    assert int(r.sources["kept"].sum()) == exp["kept"]
    assert int(r.sources["excluded"].sum()) == r.n_excluded


@pytest.mark.parametrize("folder", sorted(f for f in EXPECTED["folders"] if f != "same-download"))
def test_central_answers_nips_and_review_rows(folder, inst):
    r = read_responses(CENTRAL / folder, inst, session=SESSION, review="flag")
    for wave, subs in EXPECTED["submissions"].items():
        got = r.data[r.data["wave"] == wave].set_index("submission_id")
        assert sorted(got.index) == sorted(s["key"] for s in subs)
        for s in subs:
            row = got.loc[s["key"]]
            assert (row["nama"], row["nip"], row["kode_peserta"]) == (s["nama"], s["nip"], s["kode_peserta"])
            assert [row[q] for q in ITEMS] == [s[q] for q in ITEMS]
            assert set(row["q31"].split()) == set(s["q31"].split())
            assert [int(row[f"sikap_{k}"]) for k in range(1, 7)] == [int(s[f"sikap_{k}"]) for k in range(1, 7)]
            assert row["submitted_at"].year == 2024 and row["session"] == SESSION
            assert row["row"] == s["row"]
    assert r.data["nip"].map(type).eq(str).all()
    # the ledger names each reviewed row and its status as Central wrote it
    flagged = r.ledger[r.ledger["action"] == "flagged"]
    assert sorted(zip(flagged["row"], flagged["reason"], flagged["detail"])) == [
        (3, "review_on_hold", "status pemeriksaan 'hasIssues': tetap dipakai"),
        (4, "review_rejected_kept", "status pemeriksaan 'rejected': ditolak, tetap dipakai (review='flag')"),
        (5, "review_on_hold", "status pemeriksaan 'hasIssues': tetap dipakai"),
        (7, "review_rejected_kept", "status pemeriksaan 'rejected': ditolak, tetap dipakai (review='flag')"),
    ]


def test_central_rejected_rows_are_the_excluded_ones(inst):
    r = read_responses(CENTRAL / "groups", inst, session=SESSION)
    out = r.ledger[r.ledger["action"] == "excluded"]
    assert sorted(zip(out["source"], out["row"], out["reason"], out["column"])) == [
        ("netralitas-asn-pilkada-2024-post.csv", 7, "review_rejected", "review"),
        ("netralitas-asn-pilkada-2024-pre.csv", 4, "review_rejected", "review"),
    ]
    rejected = {s["key"] for subs in EXPECTED["submissions"].values() for s in subs
                if s["review"] == "rejected"}
    assert rejected.isdisjoint(r.data["submission_id"])
    assert "review" not in r.data.columns and "instance_id" not in r.data.columns


def test_central_detected_not_briefcase():
    table = read_table(CENTRAL / "no-groups" / "netralitas-asn-pilkada-2024-pre.csv")
    assert detect_format(table) == "central"
    briefcase = next((READ / "odk-briefcase").glob("*.csv"))
    assert detect_format(read_table(briefcase)) == "briefcase"
    zipped = read_table(CENTRAL / "groups-zip" / "netralitas-asn-pilkada-2024-post.csv.zip")
    assert (detect_format(zipped), zipped.meta["member"]) == ("central", "netralitas-asn-pilkada-2024-post.csv")


def test_central_same_download_kept_once(inst):
    r = read_responses(CENTRAL / "same-download", inst, session=SESSION, review="ignore")
    assert (r.n_input_rows, len(r.data)) == (12, 6)
    assert r.sources[["source", "rows", "kept", "excluded"]].values.tolist() == [
        ["netralitas-asn-pilkada-2024-pre.csv", 6, 6, 0],
        ["netralitas-asn-pilkada-2024-pre.csv.zip", 6, 0, 6]]
    assert r.ledger["reason"].tolist() == ["same_submission"] * 6
    assert r.ledger["detail"].iloc[0] == "kiriman yang sama juga ada di baris 2 (netralitas-asn-pilkada-2024-pre.csv)"


def test_central_evaluate_same_pairs_in_every_variant(inst):
    # every download option gives the pairs and scores of the plain .csv
    cols = ["pid", "match_by", "pct_pre", "pct_post", "gain"]
    plain = evaluate(CENTRAL / "groups", inst, session=SESSION, meta={})
    # 5 kept per wave; Dewi Lestari rejected in pre, Nurul Hidayah in post
    assert sorted(plain.pairs.matched["nama"]) == ["Andi Saputra", "Hendra Gunawan", "Sri Wahyuni",
                                                   "Yusuf Rahman"]
    for folder in ("groups-zip", "no-groups", "split", "no-groups-split-zip"):
        other = evaluate(CENTRAL / folder, inst, session=SESSION, meta={})
        assert other.pairs.matched[cols].equals(plain.pairs.matched[cols]), folder
    flagged = evaluate(CENTRAL / "groups", inst, session=SESSION, meta={}, review="flag")
    assert len(flagged.pairs.matched) == 6


def _kobo_with_review(src: Path, dest: Path, statuses: dict) -> Path:
    """A copy of a Kobo CSV export with ``_validation_status`` filled in
    (Excel row -> status as Kobo writes it)."""
    with open(src, encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh, delimiter=";"))
    col = rows[0].index("_validation_status")
    for excel_row, status in statuses.items():
        rows[excel_row - 1][col] = status
    dest.parent.mkdir(parents=True, exist_ok=True)
    with open(dest, "w", encoding="utf-8", newline="") as fh:
        csv.writer(fh, delimiter=";", quoting=csv.QUOTE_ALL, lineterminator="\r\n").writerows(rows)
    return dest


# the label formpack writes, the status id, and the record Kobo's API gives
KOBO_STATUSES = {2: "Approved", 3: "Not Approved", 4: "On Hold",
                 5: '{"uid": "validation_status_approved", "label": "Approved"}',
                 6: "validation_status_not_approved",
                 9: '{"timestamp": 1732240000, "uid": "validation_status_on_hold", "by_whom": "evaluator", '
                    '"label": "On Hold"}'}


@pytest.mark.parametrize("mode, kept, excluded, flagged", [
    ("exclude", 4, {"no_identifier": 1, "wrong_instrument": 1, "review_rejected": 2},
     {"nip_implausible": 1, "review_on_hold": 2}),
    ("flag", 6, {"no_identifier": 1, "wrong_instrument": 1},
     {"nip_implausible": 1, "review_on_hold": 2, "review_rejected_kept": 2}),
    ("ignore", 6, {"no_identifier": 1, "wrong_instrument": 1}, {"nip_implausible": 1}),
])
def test_kobo_validation_status(tmp_path, inst, mode, kept, excluded, flagged):
    path = _kobo_with_review(KOBO_XML, tmp_path / SESSION / KOBO_XML.name, KOBO_STATUSES)
    r = read_responses(path, inst, options=ReadOptions(review=mode))
    assert r.sources["format"].tolist() == ["kobo"]
    assert (r.n_input_rows, len(r.data)) == (8, kept)
    assert _counts(r.ledger, "excluded") == excluded
    assert _counts(r.ledger, "flagged") == flagged
    review = r.ledger[r.ledger["reason"].str.startswith("review")]
    rows = sorted(zip(review["row"], review["reason"]))
    if mode == "exclude":
        assert rows == [(3, "review_rejected"), (4, "review_on_hold"), (6, "review_rejected"),
                        (9, "review_on_hold")]
        assert set(r.data["row"]) == {2, 4, 5, 9}
    elif mode == "flag":
        assert rows == [(3, "review_rejected_kept"), (4, "review_on_hold"), (6, "review_rejected_kept"),
                        (9, "review_on_hold")]


def test_review_option_checked(inst):
    with pytest.raises(EvalToolsError) as err:
        read_responses(CENTRAL / "groups", inst, session=SESSION, review="drop")
    assert err.value.problem_en == "unknown review='drop'"


def _xlsx_copy(csv_path: Path, dest: Path) -> Path:
    """Kobo's XLSX download of the same export: one sheet, every value text."""
    with open(csv_path, encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh, delimiter=";"))
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Tes Pemahaman Netralitas ASN - "
    for row in rows:
        ws.append(row)
    wb.save(dest)
    return dest


@pytest.mark.parametrize("src, n, kept, resubmitted, unusable", [(KOBO_XML, 8, 6, 0, 2),
                                                                   (KOBO_LABELS, 7, 6, 1, 0)])
def test_kobo_csv_and_xlsx_of_one_export(tmp_path, inst, src, n, kept, resubmitted, unusable):
    folder = tmp_path / SESSION
    folder.mkdir()
    shutil.copy(src, folder / src.name)
    _xlsx_copy(src, folder / (src.stem + ".xlsx"))
    r = read_responses(folder, inst)
    assert r.sources["format"].tolist() == ["kobo", "kobo"]
    assert (r.n_input_rows, len(r.data)) == (2 * n, kept)
    assert r.n_input_rows == len(r.data) + r.n_excluded
    xlsx = r.ledger[r.ledger["source"] == src.stem + ".xlsx"].set_index("row")
    first = r.ledger[r.ledger["source"] == src.name].set_index("row")
    # a row the file itself rules out (another form version, no identifier) has that reason in
    # both copies; every other row of the second copy is the same submission as the first's
    ruled_out = first[first["reason"].isin(["wrong_instrument", "no_identifier"])]
    assert xlsx.loc[ruled_out.index, "reason"].tolist() == ruled_out["reason"].tolist()
    same = xlsx.drop(ruled_out.index)
    assert sorted(same.index) == sorted(set(range(2, n + 2)) - set(ruled_out.index))
    assert same["reason"].tolist() == ["same_submission"] * len(same)
    assert same["detail"].tolist() == [f"kiriman yang sama juga ada di baris {k} ({src.name})"
                                       for k in same.index]
    assert _counts(r.ledger, "excluded").get("duplicate_submission", 0) == resubmitted
    assert _counts(r.ledger, "excluded")["same_submission"] == n - unusable
    assert r.sources.set_index("source").loc[src.stem + ".xlsx", ["kept", "excluded"]].tolist() == [0, n]
    assert r.sources.set_index("source").loc[src.name, "kept"] == kept


def test_cli_validate_review(capsys):
    assert main(["validate", str(CENTRAL / "groups"), "--session", SESSION]) == 0
    out = capsys.readouterr().out
    assert "baris dibaca 12, dipakai 10, dikeluarkan 2" in out
    said = " ".join(out.split())
    assert "(rejected) (2; dikeluarkan). [1] baris 4 [2] baris 7" in said
    assert "(hasIssues): tetap dipakai, periksa (2; dipakai, ditandai). [1] baris 3 [2] baris 5" in said
    assert main(["validate", str(CENTRAL / "groups"), "--session", SESSION, "--review", "ignore"]) == 0
    assert "baris dibaca 12, dipakai 12, dikeluarkan 0" in capsys.readouterr().out


@pytest.mark.parametrize("command", ["validate", "report", "recap"])
def test_cli_review_option_on_every_reading_command(command, capsys):
    with pytest.raises(SystemExit):
        main([command, "--help"])
    assert "--review {exclude,flag,ignore}" in capsys.readouterr().out


def test_central_zip_with_repeat_table_and_media(tmp_path, inst):
    # Central's full download: the main table, a repeat group's table and the attachments
    main = (CENTRAL / "groups" / "netralitas-asn-pilkada-2024-pre.csv").read_bytes()
    path = tmp_path / "netralitas-asn-pilkada-2024-pre.zip"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("netralitas-asn-pilkada-2024-pre.csv", main)
        z.writestr("netralitas-asn-pilkada-2024-pre-lampiran.csv", "foto,PARENT_KEY,KEY\n")
        z.writestr("media/1700000000000.jpg", b"\xff\xd8\xff")
    r = read_responses(path, inst, session=SESSION)
    assert r.sources[["format", "rows", "kept"]].values.tolist() == [["central", 6, 5]]
    two = tmp_path / "dua.zip"
    with zipfile.ZipFile(two, "w") as z:
        z.writestr("pre.csv", main)
        z.writestr("post.csv", main)
    with pytest.raises(EvalToolsError) as err:
        read_responses(two, inst, session=SESSION)
    assert err.value.problem_en == "a zip archive with several CSV files"


STATS = ["n", "mean_pre", "mean_post", "mean_gain", "sd_gain", "t", "df", "p_t", "V", "p_w", "d_z",
         "g_hake", "pass_pre", "pass_post"]


def _canonical_from_submissions(folder: Path) -> list:
    """The generator's submissions (expected.json, every review state) as
    canonical CSV files: what each Central variant must evaluate like."""
    paths = []
    for wave, subs in EXPECTED["submissions"].items():
        cols = [c for c in subs[0] if c not in ("row", "key", "review")]
        path = folder / f"{wave}-{SESSION}.csv"
        with open(path, "w", encoding="utf-8", newline="") as fh:
            w = csv.writer(fh)
            w.writerow(["session", *cols])
            w.writerows([SESSION, *(s[c] for c in cols)] for s in subs)
        paths.append(path)
    return paths


# "same-download" holds one pre-test export twice: nothing to pair
@pytest.mark.parametrize("folder", sorted(set(EXPECTED["folders"]) - {"same-download"}))
def test_central_variant_evaluates_as_the_canonical_files(tmp_path, inst, folder):
    """Every Central download option, review status ignored, against the
    submissions written as canonical files: the same matched pairs and the
    same session statistics."""
    canon = evaluate(_canonical_from_submissions(tmp_path), inst, meta={})
    got = evaluate(CENTRAL / folder, inst, session=SESSION, meta={}, review="ignore")
    cols = ["pid", "match_by", "pct_pre", "pct_post"]
    assert len(got.pairs.matched) == 6
    assert got.pairs.matched[cols].sort_values("pid").values.tolist() == \
        canon.pairs.matched[cols].sort_values("pid").values.tolist()
    a, b = got.summary.iloc[0], canon.summary.iloc[0]
    for col in STATS:
        assert a[col] == pytest.approx(b[col], rel=1e-12, abs=1e-12), col
