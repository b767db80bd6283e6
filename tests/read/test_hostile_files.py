"""Hostile spreadsheets are refused before they cost anything: XML bombs and
external entities (XXE) in any part of a workbook, zip bombs in a workbook
or in Google Forms' .zip download. The files are built here, from a real
small workbook (benchmarks/hostile.py, which also times them). No timing
here: a refusal "before decompression" is asserted as a memory bound
(tracemalloc's peak), and the limits are shown to be configurable."""

import io
import tracemalloc
import zipfile

import pytest

from benchmarks import hostile
from evaltools.errors import EvalToolsError
from evaltools.read import guard, xmlguard
from evaltools.read.files import read_table

MB = 1 << 20
PEAK_BOUND = 50 * MB  # far below what any of these files unpacks to
ENTITY_ID = "buku kerja berisi deklarasi entitas XML"
ENTITY_EN = "the workbook contains XML entity declarations"
CSV_MEMBER = "Tes Pemahaman (Respons).csv"


def _write(tmp_path, name, data):
    path = tmp_path / name
    path.write_bytes(data)
    return path


def _refused(path):
    """The EvalToolsError ``read_table(path)`` raises, and the peak of Python's
    allocations while it ran."""
    tracemalloc.start()
    try:
        with pytest.raises(EvalToolsError) as caught:
            read_table(path)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    return caught.value, peak


@pytest.fixture(scope="module")
def shared():
    """The real workbook with its strings in xl/sharedStrings.xml, as Excel saves them."""
    return hostile.shared_strings(hostile.genuine())


def test_the_workbook_the_attacks_are_made_from_reads_as_the_original(shared, tmp_path):
    as_excel = read_table(_write(tmp_path, "excel.xlsx", shared))
    with zipfile.ZipFile(io.BytesIO(shared)) as z:
        assert hostile.SHARED_STRINGS in z.namelist()
    assert as_excel.df.equals(read_table(hostile.GENUINE).df) and len(as_excel.df) == 6


@pytest.mark.parametrize("member", hostile.XML_MEMBERS)
@pytest.mark.parametrize("attack", list(hostile.ATTACKS))
def test_xml_entities_in_any_part_are_refused_plainly(attack, member, tmp_path):
    path = _write(tmp_path, "jawaban.xlsx", hostile.xml_attack(attack, member))
    err, peak = _refused(path)
    assert err.problem.startswith(ENTITY_ID) and err.problem_en.startswith(ENTITY_EN)
    assert err.file == "jawaban.xlsx" and err.location == member
    assert "simpan ulang sebagai .xlsx" in err.fix and "save again as .xlsx" in err.fix_en
    assert "tidak dapat dibuka" not in str(err)  # not the generic "cannot be opened"
    assert peak < PEAK_BOUND


def test_a_dtd_in_utf16_or_behind_a_long_comment_or_in_an_unused_part_is_refused(shared, tmp_path):
    dtd, ref = hostile.ATTACKS["billion-laughs"]
    utf16 = hostile.rewrite(shared, {hostile.SHEET: lambda x: hostile.with_dtd(
        x.replace(b'encoding="UTF-8"', b'encoding="UTF-16"'), dtd, ref).decode().encode("utf-16")})
    err, _ = _refused(_write(tmp_path, "utf16.xlsx", utf16))
    assert err.problem_en.startswith(ENTITY_EN) and err.location == hostile.SHEET
    # a DTD after a comment longer than the bytes looked at: refused as unverifiable
    hidden = hostile.rewrite(shared, {hostile.SHARED_STRINGS: lambda x: hostile.with_dtd(
        x, "<!--" + "x" * 20_000 + "-->" + dtd, ref)})
    err, _ = _refused(_write(tmp_path, "hidden.xlsx", hidden))
    assert "does not start its first element" in err.problem_en
    assert err.location == hostile.SHARED_STRINGS
    # a part no relationship points at is checked as well
    unused = hostile.rewrite(shared, {"docProps/custom.xml": ('<?xml version="1.0"?>' + dtd
                                                              + "<Properties>" + ref + "</Properties>")})
    err, _ = _refused(_write(tmp_path, "unused.xlsx", unused))
    assert err.problem_en.startswith(ENTITY_EN) and err.location == "docProps/custom.xml"


def test_comments_and_declarations_before_the_root_element_are_fine(shared, tmp_path):
    commented = hostile.rewrite(shared, {hostile.SHEET: lambda x: x.replace(
        b"?>", b"?>\r\n<!-- dibuat oleh alat lain --><?mso-application progid=\"Excel.Sheet\"?>", 1)})
    assert read_table(_write(tmp_path, "komentar.xlsx", commented)).df.shape == (6, 49)


def test_defusedxml_refusal_is_said_plainly():
    """openpyxl parses with defusedxml when lxml is absent; defusedxml's refusal
    (a ValueError) becomes the same plain message. With lxml (installed beside
    python-pptx) openpyxl's parser does not resolve entities, and evaltools'
    own guard refuses such a workbook before openpyxl opens it either way."""
    from defusedxml import ElementTree as DefusedET
    hostile_book = hostile.xml_attack("xxe-file", "xl/workbook.xml")
    part = zipfile.ZipFile(io.BytesIO(hostile_book)).read("xl/workbook.xml")
    with pytest.raises(ValueError) as raw:
        DefusedET.fromstring(part)
    with pytest.raises(EvalToolsError) as plain:
        xmlguard.refuse_xml_attack(raw.value, "jawaban.xlsx")
    assert plain.value.problem_en.startswith(ENTITY_EN) and plain.value.file == "jawaban.xlsx"
    xmlguard.refuse_xml_attack(ValueError("bad XML"), "jawaban.xlsx")  # anything else: untouched


def test_a_real_zip_bomb_workbook_is_refused_before_it_is_unpacked(tmp_path):
    data = hostile.bomb_xlsx(64 * MB)  # a valid workbook: 64 MB of sheet from ~70 KB
    assert len(data) < MB
    err, peak = _refused(_write(tmp_path, "bom.xlsx", data))
    assert err.location == hostile.SHEET and err.file == "bom.xlsx"
    assert "membengkak" in err.problem and "swells" in err.problem_en
    assert "EVALTOOLS_ZIP_MAX_RATIO=" in err.fix and "use_limits(max_ratio=...)" in err.fix_en
    assert peak < PEAK_BOUND


@pytest.mark.parametrize("name, data, member", [
    ("bom-5gb.xlsx", hostile.declared(hostile.genuine(), {hostile.SHEET: 5 << 30}), hostile.SHEET),
    ("bom-5gb.zip", hostile.declared(hostile.forms_zip(b"Timestamp,NIP\r\n2024-11-22,1987\r\n"),
                                     {CSV_MEMBER: 5 << 30}), CSV_MEMBER),
])
def test_a_member_declared_5_gb_is_refused_from_the_directory(name, data, member, tmp_path):
    err, peak = _refused(_write(tmp_path, name, data))
    assert err.location == member and err.file == name
    assert "5,0 GB setelah dibuka" in err.problem and "batas 1,0 GB per bagian" in err.problem
    assert "unpacks to 5.0 GB" in err.problem_en
    assert "EVALTOOLS_ZIP_MAX_MEMBER_MB=5120" in err.fix_en
    assert peak < PEAK_BOUND


def test_a_google_forms_download_with_a_bomb_csv_is_refused_before_z_read(tmp_path):
    data = hostile.bomb_forms_zip(64 * MB)
    assert len(data) < MB
    err, peak = _refused(_write(tmp_path, "Tes Pemahaman.csv.zip", data))
    assert err.location == CSV_MEMBER and "swells" in err.problem_en
    assert peak < PEAK_BOUND  # z.read would have held 64 MB


def test_the_total_and_the_member_count_are_limited(tmp_path):
    parts = hostile.declared(hostile.genuine(), {hostile.SHEET: 900 * MB, "xl/styles.xml": 900 * MB,
                                                 "xl/theme/theme1.xml": 900 * MB})
    err, _ = _refused(_write(tmp_path, "total.xlsx", parts))
    assert "the archive unpacks to 2.6 GB (9 members, largest" in err.problem_en
    assert err.location is None and "EVALTOOLS_ZIP_MAX_TOTAL_MB=2701" in err.fix_en
    err, peak = _refused(_write(tmp_path, "banyak.zip", hostile.many_members(10_001)))
    assert "holds 10001 members, over the limit of 10000" in err.problem_en
    assert peak < PEAK_BOUND


def test_limits_are_configurable_and_a_genuine_file_reads_again_with_the_defaults(tmp_path,
                                                                               monkeypatch):
    genuine = hostile.GENUINE  # its sheet unpacks to 23,308 bytes, its other parts to 10 KB at most
    with guard.use_limits(max_member_bytes=20_000) as lowered:
        assert guard.current_limits() is lowered
        with pytest.raises(EvalToolsError) as caught:
            read_table(genuine)
    err = caught.value
    assert err.location == hostile.SHEET and "over the limit of 19.5 KB per member" in err.problem_en
    assert guard.current_limits() == guard.DEFAULT_LIMITS
    assert read_table(genuine).df.shape == (6, 49)
    # the same through the environment, in MB
    monkeypatch.setenv("EVALTOOLS_ZIP_MAX_MEMBER_MB", "0,02")
    assert guard.current_limits().max_member_bytes == 20_971
    with pytest.raises(EvalToolsError, match="per bagian"):
        read_table(genuine)
    monkeypatch.setenv("EVALTOOLS_ZIP_MAX_MEMBER_MB", "sepuluh")
    with pytest.raises(EvalToolsError, match="EVALTOOLS_ZIP_MAX_MEMBER_MB='sepuluh'"):
        read_table(genuine)
    monkeypatch.delenv("EVALTOOLS_ZIP_MAX_MEMBER_MB")
    assert read_table(genuine).df.shape == (6, 49)


def test_the_ratio_applies_above_its_size_and_can_be_raised(tmp_path):
    """A small member may swell as it likes; a genuine, very repetitive
    file goes through once the ratio is raised."""
    path = _write(tmp_path, "padat.xlsx", hostile.bomb_xlsx(4 * MB))  # valid, swells ~900 times
    assert read_table(path).df.shape == (6, 49)  # under 16 MB: not checked
    with guard.use_limits(ratio_from_bytes=MB):
        err, _ = _refused(path)
        assert "swells" in err.problem_en
        with guard.use_limits(max_ratio=2000):
            assert read_table(path).df.shape == (6, 49)
