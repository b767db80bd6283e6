"""File level: which reader a file needs, decided by its content, not its
name (a workbook saved as "x.csv" is a workbook), and the refusal, with the
fix, of what is no answer file (old .xls, .ods, PDFs, web pages, other
binary files). CSV text is read row by row here (``text``), or streamed
through Arrow when large (``columnar``); workbooks by ``workbook``."""

from __future__ import annotations

import errno
import os
import stat
import zipfile
from pathlib import Path

import numpy as np
import pandas as pd

from ..errors import EvalToolsError
from ..normalize import per_category
from . import guard
from .columnar import read_csv_columnar
from .table import Table, as_text, frame, is_coded, refuse_nul
from .text import csv_rows, decode, drop_end_lines, looks_binary, looks_html, wide_fields
from .workbook import read_xlsx

SUFFIXES = (".csv", ".tsv", ".txt", ".xlsx", ".xlsm", ".zip")  # .zip: Google Forms' download
# spreadsheets we cannot read: listed from a folder so that they fail loudly
# instead of being skipped (a PDF beside the exports is a scan, not data)
REFUSED_SUFFIXES = (".xls", ".ods")
_OLE = b"\xd0\xcf\x11\xe0"  # Excel 97-2003 .xls, and any password-protected workbook
# A CSV at least this large is streamed through Arrow in blocks (``columnar``)
# when it is well formed; anything unusual in it sends it to the row-by-row
# reader, which explains every problem. Both give the same table.
COLUMNAR_FROM_BYTES = 16_000_000
ZIP_HEAD = b"PK\x03\x04"  # a workbook, or a Google Forms download


def read_table(path: Path, progress=None) -> Table:
    """Read a CSV or XLSX file into a :class:`Table` of text, its blank rows
    marked (``table.blank``: a line of separators is a row, an empty line at
    the end of a CSV or a valueless row at the end of a sheet is none).
    ``progress``, if given, is called with each number of bytes read from a
    large CSV (``columnar``: block by block), to move a progress bar.

    The content decides, not the name: a workbook saved as "x.csv" is read as
    a workbook, a CSV named "x.xlsx" as text; old .xls, .ods, password-protected
    workbooks, PDFs, web pages (HTML) and other binary files are refused with
    the fix, and so is a file without a filled cell or a text with a NUL byte
    (naming its cell).

    Example:
        >>> t = read_table(Path(folder) / "post-entri-kertas-sintetis.xlsx")
        >>> t.df.shape, t.first_row
        ((56, 51), 3)
    """
    refuse_not_regular(path)  # a named pipe would be waited on forever
    suffix = path.suffix.lower()
    if suffix not in (*SUFFIXES, *REFUSED_SUFFIXES, ".pdf", ".zip"):
        _refuse(path, f"jenis berkas {suffix or '(tanpa akhiran)'} tidak didukung",
                "simpan sebagai .csv atau .xlsx",
                f"file type {suffix or '(none)'} is not supported", "save as .csv or .xlsx")
    with open(path, "rb") as fh:
        head = fh.read(4096)
    _refuse_by_head(path, head)
    if head.startswith(ZIP_HEAD):
        table = _read_zip(path)
    else:
        _refuse_not_text(path, head)
        table = _read_text(path, progress=progress)
    if table.df.shape[1] == 0:
        raise EvalToolsError("berkas kosong: tidak ada baris judul kolom", file=path.name,
                             row=table.header_row, fix="ekspor ulang dari alat pengumpul data",
                             problem_en="empty file: no header row",
                             fix_en="export the responses again")
    return _mark_blanks(table)


def _refuse_by_head(path: Path, head: bytes) -> None:
    """Refuse an empty file, an old or password-protected workbook, a PDF."""
    if not head:
        _refuse(path, "berkas kosong (0 byte)", "ekspor ulang jawaban dari alat pengumpul data",
                "empty file (0 bytes)", "export the responses again")
    if head.startswith(_OLE):
        _refuse(path, "buku kerja Excel 97-2003 (.xls) atau buku kerja berkata sandi",
                "buka di Excel, hapus kata sandi bila ada, lalu Simpan Sebagai .xlsx",
                "an Excel 97-2003 (.xls) or password-protected workbook",
                "open it in Excel, remove any password and Save As .xlsx")
    if head.startswith(b"%PDF"):
        _refuse(path, "berkas PDF, bukan data jawaban",
                "ketik jawaban lembar kertas ke templat entri (.xlsx) dari survey/forms",
                "a PDF file, not response data",
                "type the paper answers into the entry template (.xlsx) from survey/forms")


def _refuse_not_text(path: Path, head: bytes) -> None:
    """Refuse a file that is not a zip and no CSV text either."""
    if looks_binary(head):
        _refuse(path, "berkas biner, bukan CSV atau Excel", "ekspor ulang sebagai .csv atau .xlsx",
                "a binary file, not CSV or Excel", "export again as .csv or .xlsx")
    if looks_html(head):  # a web application's "Excel export"
        _refuse(path, "berkas HTML (halaman web), bukan buku kerja Excel atau CSV",
                "buka berkas itu di Excel, lalu Simpan Sebagai Buku Kerja Excel (.xlsx)",
                "an HTML file (a web page), not an Excel workbook or CSV",
                "open it in Excel and Save As Excel Workbook (.xlsx)")
    if path.suffix.lower() in REFUSED_SUFFIXES:
        _refuse_type(path, path.suffix.lower())


def _mark_blanks(table: Table) -> Table:
    """The table as text; ``table.blank`` marks its rows without a filled
    cell. Every such row is an input row (a line of separators, a sheet row
    between answers): the rows stage ledgers it "empty_row". What is no row
    was left out by the readers: empty lines at the end of a CSV
    (``text.drop_end_lines``, ``columnar``), valueless rows at the end of a
    sheet (``workbook``)."""
    df = table.df
    old = [df.iloc[:, k] for k in range(df.shape[1])]
    cols = [c if is_coded(c) else as_text(c) for c in old]
    if any(c is not o for c, o in zip(cols, old)):  # a column was not text yet
        df = pd.DataFrame(dict(enumerate(cols)), index=df.index).set_axis(df.columns, axis=1)
    filled = np.zeros(len(df), dtype=bool)
    # coded columns first (each distinct text looked at once), and no more columns once every
    # row has a filled cell: a file of answers is seldom trimmed cell by cell (a text column
    # of a million cells took 20-30 ms a pass)
    for col in sorted(cols, key=lambda c: not is_coded(c)):  # a trimmed copy of one column at a time
        if is_coded(col):
            filled |= per_category(col, pd.Series(col.cat.categories, dtype="str").str.strip() != "", False)
        else:
            filled |= (col.str.strip() != "").to_numpy(dtype=bool)
        if filled.all():
            break
    table.df = df
    table.blank = pd.Series(~filled, index=df.index)
    return table


def streamed(path: Path) -> bool:
    """Whether ``read_table`` hands ``path`` to Arrow's reader: large enough,
    and no zip (the content decides, not the name).

    Example:
        >>> streamed(Path("data/opd.csv"))
        False
    """
    if path.stat().st_size < COLUMNAR_FROM_BYTES:
        return False
    with open(path, "rb") as fh:
        return not fh.read(len(ZIP_HEAD)).startswith(ZIP_HEAD)


def _read_text(path: Path, raw: bytes | None = None, meta: dict | None = None,
               member: str | None = None, progress=None) -> Table:
    """A CSV file, or ``raw``: the bytes of the CSV ``member`` of the zip
    ``path`` (always read row by row). ``progress``: see ``read_table``."""
    with wide_fields():
        if raw is None and path.stat().st_size >= COLUMNAR_FROM_BYTES:
            table = read_csv_columnar(path, progress)
            if table is not None:
                return table
        text = decode(path.read_bytes() if raw is None else raw)
        nul = text.find("\0")  # one pass in C; a clean file never looks further
        line = text.count("\n", 0, nul) + 1 if nul >= 0 else 0
        rows = drop_end_lines(csv_rows(text, member or path.name))
        del text
        table = frame(rows, path, meta=meta)
    if line:
        refuse_nul(table, line)
    return table


def _read_zip(path: Path) -> Table:
    """A workbook (a zip with [Content_Types].xml), Google Forms' download (a
    .zip holding one CSV) or ODK Central's .csv.zip (``_main_table``)."""
    try:
        with guard.open_zip(path, path.name) as z:  # sizes checked before anything is unpacked
            names = z.namelist()
            if "[Content_Types].xml" in names:
                return read_xlsx(path)
            # an OpenDocument spreadsheet (.ods) is a zip too, with its type in "mimetype"
            if "mimetype" in names and z.read("mimetype").startswith(
                    b"application/vnd.oasis.opendocument.spreadsheet"):
                _refuse_type(path, ".ods")
            if path.suffix.lower() in REFUSED_SUFFIXES:
                _refuse_type(path, path.suffix.lower())
            csvs = [n for n in names if n.lower().endswith((".csv", ".tsv", ".txt"))]
            main = _main_table(csvs)
            if main:  # the member's name keeps the form's stamp
                return _read_text(path, z.read(main), {"member": main}, main)
    except zipfile.BadZipFile:
        return read_xlsx(path)  # a damaged workbook: openpyxl's error, with our fix
    _refuse(path, f"arsip zip berisi {len(csvs)} berkas CSV" if csvs else
            "arsip zip tanpa berkas CSV atau Excel",
            "ekstrak arsip dan baca berkas CSV-nya satu per satu",
            "a zip archive with several CSV files" if csvs else "a zip archive with no CSV or Excel file",
            "extract the archive and read its CSV files")


def _main_table(csvs: list) -> str | None:
    """The CSV member to read from a zip: the only one, or ODK Central's main
    table "<formId>.csv" beside its repeat tables "<formId>-<repeat>.csv"
    (the answers of this project's forms are all in the main table).

    Example:
        >>> _main_table(["f.csv", "f-anggota.csv", "f-anggota-anak.csv"]), _main_table(["a.csv", "b.csv"])
        ('f.csv', None)
    """
    if len(csvs) == 1:
        return csvs[0]
    stems = {n: n.rsplit(".", 1)[0] for n in csvs}
    mains = [n for n in csvs
             if all(o == n or stems[o].startswith(stems[n] + "-") for o in csvs)]
    return mains[0] if len(mains) == 1 else None


def _refuse(path: Path, problem: str, fix: str, problem_en: str, fix_en: str):
    raise EvalToolsError(problem, file=path.name, fix=fix, problem_en=problem_en, fix_en=fix_en)


def _refuse_type(path: Path, kind: str):
    _refuse(path, f"jenis berkas {kind} tidak didukung",
            "buka di Excel atau LibreOffice Calc, lalu Simpan Sebagai .xlsx (atau .csv)",
            f"file type {kind} is not supported",
            "open it in Excel or LibreOffice Calc and Save As .xlsx (or .csv)")



# the evaluator's OPD corrections in a session folder (``corrections``): no response file
CORRECTIONS_FILE = "koreksi.csv"


def not_regular(path: Path) -> tuple[str, str] | None:
    """Why ``path`` is no regular file to read, in Indonesian and English, or
    None for a regular file (a symbolic link to one is one). Found from the
    file system's record alone: a named pipe (FIFO) or a device is never
    opened, as opening it would wait forever.

    Example:
        >>> not_regular(Path(folder)), not_regular(Path(folder) / "sesi.yaml")
        (('folder, bukan berkas', 'a folder, not a file'), None)
    """
    try:
        mode = path.stat().st_mode  # follows a symbolic link
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return "tautan simbolik yang berputar", "a symbolic link loop"
        if path.is_symlink():
            return ("tautan simbolik yang rusak: tujuannya tidak ada",
                    "a broken symbolic link: its target does not exist")
        return f"tidak dapat dibaca ({exc.strerror})", f"cannot be read ({exc.strerror})"
    kinds = ((stat.S_ISREG, None), (stat.S_ISDIR, ("folder, bukan berkas", "a folder, not a file")),
             (stat.S_ISFIFO, ("pipa bernama (FIFO), bukan berkas", "a named pipe (FIFO), not a file")),
             (stat.S_ISSOCK, ("soket, bukan berkas", "a socket, not a file")))
    for test, why in kinds:
        if test(mode):
            return why
    return "perangkat (device), bukan berkas", "a device, not a file"


def refuse_not_regular(path: Path) -> None:
    """Refuse, naming it, a path given to read that is no regular file
    (:func:`not_regular`); a missing one is "not found".

    Example:
        >>> try:
        ...     refuse_not_regular(Path(folder))
        ... except EvalToolsError as e:
        ...     print(e.problem)
        folder, bukan berkas: tidak dapat dibaca sebagai berkas jawaban
    """
    if not os.path.lexists(path):
        raise EvalToolsError("berkas tidak ditemukan", file=str(path), fix="periksa nama dan folder berkas",
                             problem_en="file not found", fix_en="check the file name and folder")
    why = not_regular(path)
    if why is None:
        return
    raise EvalToolsError(f"{why[0]}: tidak dapat dibaca sebagai berkas jawaban", file=str(path),
                         fix="beri berkas ekspor .csv atau .xlsx itu sendiri; pindahkan atau hapus "
                             f"{path.name} bila bukan data",
                         problem_en=f"{why[1]}: cannot be read as a response file",
                         fix_en=f"give the exported .csv or .xlsx file itself; move or delete {path.name} "
                                "if it is no data")


def list_sources(source) -> tuple[list[Path], dict]:
    """The files behind a path, a list of paths or a folder (its .csv/.xlsx
    files, ``koreksi.csv`` left out), and the entries of a folder named like
    a data file that are no regular file (a folder "x.csv", a named pipe, a
    socket, a device, a broken or looping symbolic link): {name: (why in
    Indonesian, in English)}, never opened. A path given by name is
    returned as it is (``refuse_not_regular`` refuses it when read).

    Example:
        >>> files, skipped = list_sources(folder)
        >>> [p.suffix for p in files], skipped
        (['.csv', '.xlsx'], {})
    """
    if not isinstance(source, (str, os.PathLike)):
        return [Path(s) for s in source], {}
    p = Path(source)
    if not p.is_dir():
        return [p], {}
    named = sorted(f for f in p.iterdir() if f.suffix.lower() in SUFFIXES + REFUSED_SUFFIXES
                   and not f.name.startswith((".", "~$")) and f.name.lower() != CORRECTIONS_FILE)
    skipped = {f.name: why for f in named if (why := not_regular(f)) is not None}
    files = [f for f in named if f.name not in skipped]
    if not files:
        left = "".join(f"; {n}: {why[0]}" for n, why in skipped.items())
        left_en = "".join(f"; {n}: {why[1]}" for n, why in skipped.items())
        raise EvalToolsError(f"folder tidak berisi berkas .csv atau .xlsx{left}", file=str(p),
                             fix="taruh berkas ekspor di folder itu",
                             problem_en=f"folder holds no .csv or .xlsx file{left_en}",
                             fix_en="put the exported files in that folder")
    return files, skipped


def list_files(source) -> list[Path]:
    """The files behind a path, a list of paths or a folder: the files of
    :func:`list_sources`, without what it skipped.

    Example:
        >>> [p.suffix for p in list_files(folder)]
        ['.csv', '.xlsx']
    """
    return list_sources(source)[0]
