"""A file's rows as a table of text, and what every reader of rows needs:
the header found among title rows, column names made unique, the NUL-byte
refusal, cells trimmed. Both readers of CSV text (``files``, row by row;
``columnar``, large files through Arrow) and the workbook reader build
their :class:`Table` here, so they give the same table.

Every value is text from here on, so identifiers never become numbers.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from ..errors import EvalToolsError
from ..normalize import per_category, text_bytes

HEADER_ROW = 1  # rows are reported as Excel shows them: the header is row 1
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


def strip_cells(frame: pd.DataFrame) -> pd.DataFrame:
    """Every text cell without its surrounding spaces, a missing cell as "".
    A column with nothing to trim is kept as it is, not copied.

    Example:
        >>> strip_cells(pd.DataFrame({"a": [" x", "x ", None]}))["a"].tolist()
        ['x', 'x', '']
    """
    # Arrow trims exactly the characters Python's str.strip() does (tests/read/test_read.py)
    out = []
    for k in range(frame.shape[1]):  # by position: a title may repeat
        if is_coded(frame.iloc[:, k]):
            out.append(strip_coded(frame.iloc[:, k]))
            continue
        text = as_text(frame.iloc[:, k])
        out.append(text.str.strip() if _has_edge_space(text) else text)
    return pd.DataFrame(dict(enumerate(out)), index=frame.index, copy=False).set_axis(
        frame.columns, axis=1)


def _has_edge_space(text: pd.Series) -> bool:
    """Whether some cell starts or ends with what ``str.strip`` removes: its
    first and last characters looked at (Arrow's whitespace, the one its
    trim uses), not a trimmed copy of every cell."""
    import pyarrow as pa
    import pyarrow.compute as pc
    cells = pa.array(text.array)
    if len(cells) == 0 or pc.sum(pc.binary_length(cells)).as_py() in (0, None):
        return False
    if not _edges_may_be_space(cells):
        return False
    return any(pc.any(pc.utf8_is_space(pc.utf8_slice_codeunits(cells, *edge))).as_py()
               for edge in ((0, 1), (-1, 2 ** 31 - 1)))


# the ASCII characters str.strip removes (\t \n \v \f \r, \x1c-\x1f, space); its others
# (NBSP, U+2000-U+200A, U+3000...) are several bytes in UTF-8, each byte 0x80 or above
_ASCII_SPACE = np.zeros(256, dtype=bool)
_ASCII_SPACE[[9, 10, 11, 12, 13, 28, 29, 30, 31, 32]] = True
_ASCII_SPACE[128:] = True  # any byte of a character beyond ASCII: looked at by Arrow


def _edges_may_be_space(cells) -> bool:
    """Whether a cell's first or last byte may belong to a space, from the
    bytes themselves (a gather per cell, no slice of every cell): False
    settles it; True leaves it to Arrow's Unicode test."""
    import pyarrow as pa
    for chunk in (cells.chunks if isinstance(cells, pa.ChunkedArray) else [cells]):
        if not (pa.types.is_large_string(chunk.type) or pa.types.is_string(chunk.type)):
            return True
        if len(chunk) == 0 or chunk.buffers()[2] is None:
            continue
        off, data = text_bytes(chunk)
        filled = off[1:] > off[:-1]  # (a missing cell: no bytes, nothing at its edges)
        if _ASCII_SPACE[data[off[:-1][filled]]].any() or _ASCII_SPACE[data[off[1:][filled] - 1]].any():
            return True
    return False


def is_coded(col: pd.Series) -> bool:
    """Whether a column holds codes of distinct texts (a Categorical: how
    the large-file reader holds answers and choices)."""
    return isinstance(col.dtype, pd.CategoricalDtype)


def strip_coded(col: pd.Series) -> pd.Series:
    """A coded column with its texts trimmed, still coded: each distinct text
    is trimmed once; texts that become the same share one code.

    Example:
        >>> c = strip_coded(pd.Series([" a", "a", "b "], dtype="category"))
        >>> c.tolist(), c.cat.categories.tolist()
        (['a', 'a', 'b'], ['a', 'b'])
    """
    cats = pd.Series(col.cat.categories, dtype="str")
    trimmed = cats.str.strip()
    if trimmed.equals(cats):
        return col
    codes, uniques = pd.factorize(trimmed)
    new = per_category(col, codes, -1)  # a missing cell stays missing
    return pd.Series(pd.Categorical.from_codes(new, pd.Index(uniques, dtype="str")), index=col.index,
                     name=col.name)


def decoded(frame: pd.DataFrame) -> pd.DataFrame:
    """The frame with every coded column as text: what the row-by-row reader
    gives for the same file.

    Example:
        >>> decoded(pd.DataFrame({"a": pd.Categorical(["x", "y", "x"])}))["a"].tolist()
        ['x', 'y', 'x']
    """
    return pd.DataFrame({k: as_text(frame.iloc[:, k]) if is_coded(frame.iloc[:, k]) else frame.iloc[:, k]
                         for k in range(frame.shape[1])}, index=frame.index).set_axis(frame.columns, axis=1)


def as_text(col: pd.Series) -> pd.Series:
    """A column as pandas text ("str"), missing cells as ""; a coded column
    decoded.

    Example:
        >>> as_text(pd.Series(["x", None, 3], dtype=object)).tolist()
        ['x', '', '3']
    """
    if is_coded(col):
        import pyarrow as pa
        cats = pa.array(np.append(col.cat.categories.to_numpy(dtype=object), ""), pa.large_string())
        codes = col.cat.codes.to_numpy().astype(np.int64)
        codes[codes < 0] = len(cats) - 1
        text = pd.StringDtype("pyarrow", na_value=np.nan).__from_arrow__(cats.take(pa.array(codes)))
        return pd.Series(text, index=col.index, name=col.name, copy=False)
    if col.dtype != "str" or col.hasnans:
        col = col.map(_strip_none, na_action=None) if col.dtype == object else col.fillna("")
        col = col.astype("str")
    return col


def _strip_none(v) -> str:
    return "" if v is None or v != v else str(v)


def refuse_nul(table: Table, line: int | None = None):
    """Refuse a text file holding a NUL byte (a damaged save, a bad copy),
    naming the first cell holding one, by row then column; its ``line`` when
    it is above the header.

    Example:
        >>> t = frame([["nama", "nip"], ["Ani", "1"], ["Budi\\0", "2"]], Path("pre.csv"))
        >>> try:
        ...     refuse_nul(t)
        ... except EvalToolsError as err:
        ...     print(err.file, err.row, err.column)
        pre.csv 3 nama
    """
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


def header_index(rows: list[list[str]]) -> int:
    """Index of the header row: people put title rows ("DAFTAR HADIR ...")
    above it. The header is the first of the first 20 rows that fills at
    least two cells and half as many cells as the fullest of those rows.

    Example:
        >>> header_index([["DAFTAR HADIR"], ["nama", "nip", "opd"], ["Ani", "1", "X"]])
        1
    """
    filled = [sum(1 for v in r if str(v).strip()) for r in rows[:20]]
    most = max(filled, default=0)
    for i, k in enumerate(filled):
        if k >= 2 and 2 * k >= most:
            return i
    return 0


def frame(rows: list[list[str]], path: Path, header_at: int | None = None,
          data_at: int | None = None, meta: dict | None = None) -> Table:
    """A Table from rows of text: header found (or given), names made unique.

    ``meta["overflow"]`` / ``meta["short"]`` mark data rows with filled cells
    beyond the header's last title (a comma inside an unquoted name shifts
    the row) or with fewer cells than titles (a cut line); ``meta["same_title"]``
    names the columns renamed because their title was taken (see ``unique_names``);
    ``meta["skipped_rows"]`` holds the rows between the header and the data.
    ``header_at`` and ``data_at`` are the indexes of the header and of the
    first data row in ``rows`` (default: found, and the row after the header).
    Rows without a filled cell give a table without columns (an empty file).

    Example:
        >>> t = frame([["DAFTAR HADIR", ""], ["nama", "nip"], ["Ani", "1"]], Path("x.csv"))
        >>> t.header_row, t.first_row, t.df.to_dict("list")
        (2, 3, {'nama': ['Ani'], 'nip': ['1']})
    """
    meta = dict(meta or {}, overflow=[], short=[])
    if not any(str(v).strip() for r in rows for v in r):  # stops at the first filled cell
        return Table(pd.DataFrame(), path.name, path, HEADER_ROW + 1, meta)
    lengths = [len(r) for r in rows]
    width = max(lengths)
    if width > MAX_COLUMNS:  # before pandas builds a frame that wide (minutes)
        refuse_wide(path, next(i for i, n in enumerate(lengths) if n > MAX_COLUMNS), width)
    if min(lengths) < width:  # ragged: pad the short rows
        rows = [list(r) + [""] * (width - len(r)) for r in rows]
    h = header_index(rows) if header_at is None else header_at
    first = h + 1 if data_at is None else data_at
    titled = max((k + 1 for k, v in enumerate(rows[h]) if str(v).strip()), default=0)
    meta["overflow"] = [any(str(v).strip() for v in r[titled:]) for r in rows[first:]] \
        if titled < width else [False] * len(rows[first:])
    meta["short"] = [0 < n < titled for n in lengths[first:]]
    if first > h + 1:  # rows between the titles and the data (the entry template's labels)
        meta["skipped_rows"] = [[str(v) for v in r] for r in rows[h + 1:first]]
    names, same = unique_names(rows[h])
    if same:
        meta["same_title"] = same
    df = pd.DataFrame(rows[first:], columns=names, dtype=str) if rows[first:] else \
        pd.DataFrame({c: pd.Series(dtype=str) for c in names})
    return Table(df, path.name, path, first + 1, meta, header_row=h + 1)


def refuse_wide(path: Path, index: int, width: int):
    """Refuse a row of ``width`` cells, wider than Excel's sheets (row ``index`` + 1)."""
    raise EvalToolsError(
        f"baris berisi {width} sel, lebih dari {MAX_COLUMNS} kolom yang dapat dimuat Excel",
        file=path.name, row=index + 1,
        fix="periksa pemisah kolom dan tanda kutip pada baris itu, atau ekspor ulang jawaban",
        problem_en=f"a row of {width} cells, more than the {MAX_COLUMNS} columns Excel holds",
        fix_en="check the separators and quotes on that row, or export the responses again")


def unique_names(titles: list) -> tuple[list[str], dict]:
    """Column names from a header row: the titles stripped, a blank one
    "kolom_<n>", a title met before "<title>.1", ".2", ... (as pandas names
    them) with the first suffix no title of the row holds. Also returns
    {new name: title} of the repeated titles: the caller decides whether two
    columns under one title are a problem (they are when the title means something).

    Example:
        >>> unique_names(["x", " ", "x", "x.1"])
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

