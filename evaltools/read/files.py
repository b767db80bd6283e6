"""File level: bytes to a table of text, whatever the encoding, separator or
workbook layout. Every value is text from here on, so identifiers never
become numbers."""

from __future__ import annotations

import io
import os
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from ..errors import EvalToolsError
from .text import csv_rows, decode, looks_binary, looks_html, wide_fields

HEADER_ROW = 1  # rows are reported as Excel shows them: the header is row 1
SUFFIXES = (".csv", ".tsv", ".txt", ".xlsx", ".xlsm", ".zip")  # .zip: Google Forms' download
# spreadsheets we cannot read: listed from a folder so that they fail loudly
# instead of being skipped (a PDF beside the exports is a scan, not data)
REFUSED_SUFFIXES = (".xls", ".ods")
_OLE = b"\xd0\xcf\x11\xe0"  # Excel 97-2003 .xls, and any password-protected workbook
MAX_COLUMNS = 16_384  # Excel's: a wider row is a broken file (separators, quotes), not answers


@dataclass
class Table:
    """A file's rows as text. ``first_row`` is the Excel row number of
    ``df``'s first row, ``header_row`` that of the header; ``meta`` holds what the file says about itself
    (e.g. the entry template's instrument id)."""
    df: pd.DataFrame
    name: str
    path: Path
    first_row: int = HEADER_ROW + 1
    meta: dict = field(default_factory=dict)
    header_row: int = HEADER_ROW
    blank: pd.Series | None = None  # rows with no filled cell (found once, when read)


def factorize_rows(values) -> tuple[np.ndarray, list]:
    """(codes, distinct values): one code per row, numbered in order of first
    appearance. ``values`` is a Series, or a DataFrame whose rows are compared
    whole (its distinct values are then tuples).

    Example:
        >>> factorize_rows(pd.DataFrame({"a": ["x", "y", "x"], "b": ["1", "2", "1"]}))
        (array([0, 1, 0]), [('x', '1'), ('y', '2')])
    """
    if isinstance(values, pd.DataFrame):  # distinct combinations, from each column's codes
        combined = np.zeros(len(values), dtype=np.int64)
        for c in values.columns:
            col_codes, col_uniques = pd.factorize(values[c], use_na_sentinel=False)
            # renumbered after each column, so the product never overflows
            combined, _ = pd.factorize(combined * len(col_uniques) + col_codes)
        first = pd.Series(combined).drop_duplicates().index  # a row holding each combination
        return combined, list(values.iloc[first].itertuples(index=False, name=None))
    codes, uniques = pd.factorize(pd.Series(values), use_na_sentinel=False)
    return codes, list(np.asarray(uniques, dtype=object))  # plain objects iterate fastest


def map_unique(values, func, *, pair: bool = False, dtype=None):
    """``func`` applied once per distinct value, spread back to every row:
    an answer column of 4 million cells holds a handful of distinct answers.
    ``values`` may be a DataFrame: ``func`` then gets one argument per column.
    With ``pair=True`` ``func`` returns two things; two arrays come back.
    ``dtype`` ("str", "float64", bool; a pair of them with ``pair=True``)
    gives typed arrays, spread by ``take``, not cell by cell.

    Example:
        >>> map_unique(pd.Series(["a", "b", "a"]), str.upper).tolist()
        ['A', 'B', 'A']
        >>> map_unique(pd.DataFrame({"a": ["x", "y"], "b": ["1", "2"]}), lambda a, b: a + b).tolist()
        ['x1', 'y2']
    """
    codes, uniques = factorize_rows(values)
    done = [func(*u) for u in uniques] if isinstance(values, pd.DataFrame) else \
        [func(u) for u in uniques]
    if pair:
        kinds = dtype if isinstance(dtype, tuple) else (dtype, dtype)
        return (spread([d[0] for d in done], codes, kinds[0]),
                spread([d[1] for d in done], codes, kinds[1]))
    return spread(done, codes, dtype)


def spread(per_value: list, codes: np.ndarray, dtype=None):
    """Per-distinct-value results to one per row (``factorize_rows``' codes).

    Example:
        >>> spread(["x", "y"], np.array([1, 0, 1]), "str").tolist()
        ['y', 'x', 'y']
    """
    if dtype is None:
        return np.array(per_value, dtype=object)[codes]
    return pd.array(per_value, dtype=dtype).take(codes)


def strip_cells(frame: pd.DataFrame) -> pd.DataFrame:
    """Every text cell without its surrounding spaces, a missing cell as "".
    A column with nothing to trim is kept as it is, not copied.

    Example:
        >>> strip_cells(pd.DataFrame({"a": [" x", "x ", None]}))["a"].tolist()
        ['x', 'x', '']
    """
    # Arrow trims exactly the characters Python's str.strip() does (tests/test_read.py)
    out = []
    for k in range(frame.shape[1]):  # by position: a title may repeat
        text = _text(frame.iloc[:, k])
        trimmed = text.str.strip()
        # trimming only removes characters: the same total length means nothing was trimmed
        out.append(text if trimmed.str.len().sum() == text.str.len().sum() else trimmed)
    return pd.DataFrame(dict(enumerate(out)), index=frame.index, copy=False).set_axis(
        frame.columns, axis=1)


def _text(col: pd.Series) -> pd.Series:
    """A column as pandas text ("str"), missing cells as ""."""
    if col.dtype != "str" or col.hasnans:
        col = col.map(_strip_none, na_action=None) if col.dtype == object else col.fillna("")
        col = col.astype("str")
    return col


def _strip_none(v) -> str:
    return "" if v is None or v != v else str(v)


def _read_csv(path: Path, raw: bytes | None = None) -> list[list[str]]:
    """Rows of a CSV file (or of ``raw`` bytes, e.g. a CSV inside a zip)."""
    with wide_fields():
        return csv_rows(decode(path.read_bytes() if raw is None else raw), path.name)


def _read_text(path: Path, raw: bytes | None = None, meta: dict | None = None,
               member: str | None = None, progress=None) -> Table:
    """A CSV file, or ``raw``: the bytes of the CSV ``member`` of the zip ``path``.
    ``progress``: see ``read_table``."""
    with wide_fields():
        if raw is None and path.stat().st_size >= COLUMNAR_FROM_BYTES:
            from .columnar import read_csv_columnar
            table = read_csv_columnar(path, progress)
            if table is not None:
                return table
        text = decode(path.read_bytes() if raw is None else raw)
        nul = text.find("\0")  # one pass in C; a clean file never looks further
        line = text.count("\n", 0, nul) + 1 if nul >= 0 else 0
        rows = csv_rows(text, member or path.name)
        del text
        table = _frame(rows, path, meta=meta)
    if line:
        _refuse_nul(table, line)
    return table


def _refuse_nul(table: Table, line: int | None = None):
    """A NUL byte in a text file (a damaged save, a bad copy): the first
    cell holding one, by row then column; its ``line`` when it is above the header."""
    df, row, column = table.df, None, None
    titled = [c for c in df.columns if "\0" in c]
    if titled:
        row, column = table.header_row, titled[0]
    else:
        first = None
        for c in df.columns:
            hit = df[c].str.contains("\0", regex=False).to_numpy(dtype=bool, na_value=False)
            if hit.any() and (first is None or int(hit.argmax()) < first[0]):
                first = (int(hit.argmax()), c)
        if first is not None:
            row, column = table.first_row + first[0], first[1]
        else:
            row = line
    raise EvalToolsError(
        "sel berisi karakter NUL (byte 0): berkas rusak atau tersimpan tidak utuh",
        file=table.name, row=row, column=column.replace("\0", "\\0") if column else None,
        fix="hapus karakter itu (ketik ulang isi sel di Excel), atau ekspor ulang jawaban "
            "dari alat pengumpul data",
        problem_en="a cell holds a NUL character (byte 0): the file is damaged or was saved "
                   "incompletely",
        fix_en="delete that character (retype the cell in Excel), or export the responses again")


# A CSV at least this large is streamed through Arrow in blocks (``columnar``)
# when it is well formed; anything unusual in it sends it to the row-by-row
# reader, which explains every problem. Both give the same table.
COLUMNAR_FROM_BYTES = 16_000_000


def _header_index(rows: list[list[str]]) -> int:
    """Index of the header row: people put title rows ("DAFTAR HADIR ...")
    above it. The header is the first of the first 20 rows that fills at
    least two cells and half as many cells as the fullest of those rows."""
    filled = [sum(1 for v in r if str(v).strip()) for r in rows[:20]]
    most = max(filled, default=0)
    for i, k in enumerate(filled):
        if k >= 2 and 2 * k >= most:
            return i
    return 0


def _frame(rows: list[list[str]], path: Path, header_index: int | None = None,
           first_index: int | None = None, meta: dict | None = None) -> Table:
    """A Table from rows of text: header found (or given), names made unique.

    ``meta["overflow"]`` / ``meta["short"]`` mark data rows with filled cells
    beyond the header's last title (a comma inside an unquoted name shifts
    the row) or with fewer cells than titles (a cut line); ``meta["same_title"]``
    names the columns renamed because their title was taken (see ``_unique_names``);
    ``meta["skipped_rows"]`` holds the rows between the header and ``first_index``.
    Rows without a filled cell give a table without columns (an empty file)."""
    meta = dict(meta or {}, overflow=[], short=[])
    if not any(str(v).strip() for r in rows for v in r):  # stops at the first filled cell
        return Table(pd.DataFrame(), path.name, path, HEADER_ROW + 1, meta)
    lengths = [len(r) for r in rows]
    width = max(lengths)
    if width > MAX_COLUMNS:  # before pandas builds a frame that wide (minutes)
        _refuse_wide(path, next(i for i, n in enumerate(lengths) if n > MAX_COLUMNS), width)
    if min(lengths) < width:  # ragged: pad the short rows
        rows = [list(r) + [""] * (width - len(r)) for r in rows]
    h = _header_index(rows) if header_index is None else header_index
    first = h + 1 if first_index is None else first_index
    titled = max((k + 1 for k, v in enumerate(rows[h]) if str(v).strip()), default=0)
    meta["overflow"] = [any(str(v).strip() for v in r[titled:]) for r in rows[first:]] \
        if titled < width else [False] * len(rows[first:])
    meta["short"] = [0 < n < titled for n in lengths[first:]]
    if first > h + 1:  # rows between the titles and the data (the entry template's labels)
        meta["skipped_rows"] = [[str(v) for v in r] for r in rows[h + 1:first]]
    names, same = _unique_names(rows[h])
    if same:
        meta["same_title"] = same
    df = pd.DataFrame(rows[first:], columns=names, dtype=str) if rows[first:] else \
        pd.DataFrame({c: pd.Series(dtype=str) for c in names})
    return Table(df, path.name, path, first + 1, meta, header_row=h + 1)


def _refuse_wide(path: Path, index: int, width: int):
    raise EvalToolsError(
        f"baris berisi {width} sel, lebih dari {MAX_COLUMNS} kolom yang dapat dimuat Excel",
        file=path.name, row=index + 1,
        fix="periksa pemisah kolom dan tanda kutip pada baris itu, atau ekspor ulang jawaban",
        problem_en=f"a row of {width} cells, more than the {MAX_COLUMNS} columns Excel holds",
        fix_en="check the separators and quotes on that row, or export the responses again")


def _unique_names(titles: list) -> tuple[list[str], dict]:
    """Column names from a header row: the titles stripped, a blank one
    "kolom_<n>", a title met before "<title>.1", ".2", ... (as pandas names
    them) with the first suffix no title of the row holds. Also returns
    {new name: title} of the repeated titles: the caller decides whether two
    columns under one title are a problem (they are when the title means something).

    Example:
        >>> _unique_names(["x", " ", "x", "x.1"])
        (['x', 'kolom_2', 'x.2', 'x.1'], {'x.2': 'x'})
    """
    titles = [str(v).strip() for v in titles]
    used, names, same = set(titles) - {""}, [], {}
    seen: set = set()
    tried: dict = {}  # the last suffix tried per title: a title repeated 10,000 times stays linear
    for k, title in enumerate(titles):
        if title and title not in seen:
            seen.add(title)
            names.append(title)
            continue
        base = name = title or f"kolom_{k + 1}"
        n = tried.get(base, 0)
        while name in used:
            n += 1
            name = f"{base}.{n}"
        tried[base] = n
        used.add(name)
        names.append(name)
        if title:
            same[name] = title
    return names, same


def cell_text(v) -> str:
    """A spreadsheet cell as text: whole numbers without '.0'; numbers past
    15 digits keep their scientific form so a mangled NIP is recognised."""
    if v is None:
        return ""
    if isinstance(v, bool):
        return "TRUE" if v else "FALSE"
    if isinstance(v, int):
        return str(v)
    if isinstance(v, float):
        return str(int(v)) if v.is_integer() and abs(v) < 1e15 else repr(v)
    if hasattr(v, "isoformat"):
        return v.isoformat(sep=" ") if hasattr(v, "hour") else v.isoformat()
    return str(v)


def _sheet_rows(ws) -> list[list[str]]:
    rows = [[cell_text(v) for v in r] for r in ws.iter_rows(values_only=True)]
    width = max((len(r) for r in rows), default=0)
    return [r + [""] * (width - len(r)) for r in rows]


def _read_xlsx(path: Path) -> Table:
    from openpyxl import load_workbook  # lazy: keeps `import evaltools` fast
    from ..layout import (TEMPLATE_DATA_SHEET as DATA_SHEET, TEMPLATE_FIRST_DATA_ROW as FIRST_DATA_ROW,
                              TEMPLATE_INFO_KEYS as INFO_KEYS, TEMPLATE_INFO_SHEET as INFO_SHEET)
    from . import guard
    try:
        raw = path.read_bytes()
        # sizes, and no XML entity declarations in any part, before openpyxl parses a byte
        guard.check_workbook(io.BytesIO(raw), path.name)
        # data_only=False: a formula is read as its text, never evaluated.
        # from bytes: openpyxl judges by the name and refuses a workbook called .csv
        wb = load_workbook(io.BytesIO(raw), read_only=True, data_only=False)
    except EvalToolsError:
        raise
    except Exception as exc:  # openpyxl raises many types for a bad file
        guard.refuse_xml_attack(exc, path.name)  # defusedxml's refusal, said plainly
        raise EvalToolsError(f"berkas Excel tidak dapat dibuka ({type(exc).__name__})",
                             file=path.name, fix="buka di Excel lalu simpan ulang sebagai .xlsx",
                             problem_en=f"Excel file cannot be opened ({type(exc).__name__})",
                             fix_en="open it in Excel and save again as .xlsx") from None
    try:
        meta = {}
        if DATA_SHEET in wb.sheetnames and INFO_SHEET in wb.sheetnames:
            # the evaltools entry template: ids in row 1, typist labels in row 2
            for r in _sheet_rows(wb[INFO_SHEET]):
                if len(r) > 1 and r[0].strip() in INFO_KEYS:
                    meta[r[0].strip()] = r[1].strip()
            meta["format"] = "template"
            table = _frame(_sheet_rows(wb[DATA_SHEET]), path, 0, FIRST_DATA_ROW - 1, meta)
        else:
            # only the first sheet is read; its name and the others are reported
            # when it holds no answers
            table = _frame(_sheet_rows(wb.worksheets[0]), path,
                           meta={"sheet": wb.sheetnames[0], "sheets": list(wb.sheetnames)})
            if table.df.shape[1] == 0 and len(wb.sheetnames) > 1:  # the answers may be behind it
                first, others = wb.sheetnames[0], ", ".join(wb.sheetnames[1:])
                raise EvalToolsError(
                    f"lembar pertama '{first}' kosong", file=path.name,
                    fix=f"pindahkan lembar jawaban (lembar lain: {others}) ke urutan pertama, "
                        "atau simpan lembar itu sendiri sebagai .xlsx/.csv",
                    problem_en=f"the first sheet '{first}' is empty",
                    fix_en=f"move the answer sheet (others: {others}) to the front, "
                           "or save it alone")
        # cells right of the last title are notes in a workbook, not a shifted row
        table.meta.pop("overflow")
        table.meta.pop("short")
        return table
    finally:
        wb.close()


def _read_zip(path: Path) -> Table:
    """A workbook (a zip with [Content_Types].xml), or Google Forms' download:
    a .zip holding one CSV."""
    import zipfile
    from . import guard
    try:
        with guard.open_zip(path, path.name) as z:  # sizes checked before anything is unpacked
            names = z.namelist()
            if "[Content_Types].xml" in names:
                return _read_xlsx(path)
            # an OpenDocument spreadsheet (.ods) is a zip too, with its type in "mimetype"
            if "mimetype" in names and z.read("mimetype").startswith(
                    b"application/vnd.oasis.opendocument.spreadsheet"):
                _refuse_type(path, ".ods")
            if path.suffix.lower() in REFUSED_SUFFIXES:
                _refuse_type(path, path.suffix.lower())
            csvs = [n for n in names if n.lower().endswith((".csv", ".tsv", ".txt"))]
            if len(csvs) == 1:  # the member's name keeps the form's stamp
                return _read_text(path, z.read(csvs[0]), {"member": csvs[0]}, csvs[0])
    except zipfile.BadZipFile:
        return _read_xlsx(path)  # a damaged workbook: openpyxl's error, with our fix
    _refuse(path, f"arsip zip berisi {len(csvs)} berkas CSV" if csvs else
            "arsip zip tanpa berkas CSV atau Excel",
            "ekstrak arsip dan baca berkas CSV-nya satu per satu",
            "a zip archive with several CSV files" if csvs else "a zip archive with no CSV or Excel file",
            "extract the archive and read its CSV files")


def _refuse(path: Path, problem: str, fix: str, problem_en: str, fix_en: str):
    raise EvalToolsError(problem, file=path.name, fix=fix, problem_en=problem_en, fix_en=fix_en)


def _refuse_type(path: Path, kind: str):
    _refuse(path, f"jenis berkas {kind} tidak didukung",
            "buka di Excel atau LibreOffice Calc, lalu Simpan Sebagai .xlsx (atau .csv)",
            f"file type {kind} is not supported",
            "open it in Excel or LibreOffice Calc and Save As .xlsx (or .csv)")


def read_table(path: Path, progress=None) -> Table:
    """Read a CSV or XLSX file into a :class:`Table` of text, trailing blank rows dropped.
    ``progress``, if given, is called with each number of bytes read from a
    large CSV (``columnar``: block by block), to move a progress bar.

    The content decides, not the name: a workbook saved as "x.csv" is read as
    a workbook, a CSV named "x.xlsx" as text; old .xls, .ods, password-protected
    workbooks, PDFs, web pages (HTML) and other binary files are refused with
    the fix, and so is a file without a filled cell or a text with a NUL byte
    (naming its cell).

    Example:
        >>> read_table(Path("data/sample/kaltim-2024-11-25/pre.csv")).df.shape  # doctest: +SKIP
    """
    suffix = path.suffix.lower()
    if suffix not in (*SUFFIXES, *REFUSED_SUFFIXES, ".pdf", ".zip"):
        _refuse(path, f"jenis berkas {suffix or '(tanpa akhiran)'} tidak didukung",
                "simpan sebagai .csv atau .xlsx",
                f"file type {suffix or '(none)'} is not supported", "save as .csv or .xlsx")
    with open(path, "rb") as fh:
        head = fh.read(4096)
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
    if head.startswith(b"PK\x03\x04"):
        table = _read_zip(path)
    elif looks_binary(head):
        _refuse(path, "berkas biner, bukan CSV atau Excel", "ekspor ulang sebagai .csv atau .xlsx",
                "a binary file, not CSV or Excel", "export again as .csv or .xlsx")
    elif looks_html(head):  # a web application's "Excel export"
        _refuse(path, "berkas HTML (halaman web), bukan buku kerja Excel atau CSV",
                "buka berkas itu di Excel, lalu Simpan Sebagai Buku Kerja Excel (.xlsx)",
                "an HTML file (a web page), not an Excel workbook or CSV",
                "open it in Excel and Save As Excel Workbook (.xlsx)")
    elif suffix in REFUSED_SUFFIXES:
        _refuse_type(path, suffix)
    else:
        table = _read_text(path, progress=progress)
    df = table.df
    if df.shape[1] == 0:
        raise EvalToolsError("berkas kosong: tidak ada baris judul kolom", file=path.name,
                             row=table.header_row, fix="ekspor ulang dari alat pengumpul data",
                             problem_en="empty file: no header row",
                             fix_en="export the responses again")
    df = pd.DataFrame({c: _text(df[c]) for c in df.columns}, index=df.index, columns=df.columns)
    # Trailing blank rows are spreadsheet formatting, not input rows.
    filled = np.zeros(len(df), dtype=bool)
    for c in range(df.shape[1]):  # a column at a time: a trimmed copy of one column, not all
        filled |= (df.iloc[:, c].str.strip() != "").to_numpy(dtype=bool)
    filled = pd.Series(filled, index=df.index)
    last = filled[filled].index.max() if filled.any() else -1
    table.df = df.iloc[: last + 1].reset_index(drop=True)
    table.blank = ~filled.iloc[: last + 1].reset_index(drop=True)
    for key in ("overflow", "short"):
        if key in table.meta:
            table.meta[key] = table.meta[key][: last + 1]
    return table


def list_files(source) -> list[Path]:
    """The files behind a path, a list of paths or a folder (its .csv/.xlsx files)."""
    if isinstance(source, (str, os.PathLike)):
        p = Path(source)
        if p.is_dir():
            files = sorted(f for f in p.iterdir() if f.suffix.lower() in SUFFIXES + REFUSED_SUFFIXES
                           and not f.name.startswith((".", "~$")))
            if not files:
                raise EvalToolsError("folder tidak berisi berkas .csv atau .xlsx", file=str(p),
                                     fix="taruh berkas ekspor di folder itu",
                                     problem_en="folder holds no .csv or .xlsx file",
                                     fix_en="put the exported files in that folder")
            return files
        return [p]
    return [Path(s) for s in source]
