"""Large CSV files, streamed through ``pyarrow.csv`` in blocks: memory holds
the table being built and one block, never the file itself, and a progress
bar moves block by block.

Columns whose cells repeat a few values in the file's head (answers,
choices: ``coded_columns``) are read as codes, a pandas Categorical: a
million answers take a megabyte, and every later step looks at each
distinct text once. The others (names, NIPs, times) are read as text.

Only a well-formed file is read this way (UTF-8, the header on the first
line, every record as wide as the header, no stray quote); for anything
else :func:`read_csv_columnar` returns None and the row-by-row reader in
``files`` takes the file and explains what is wrong. Both give the same table
(tests/read/test_csv_properties.py checks it on generated files).
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import numpy as np
import pandas as pd

from ..normalize import text_bytes
from .table import HEADER_ROW, MAX_COLUMNS, Table, as_text, header_index, is_coded, refuse_nul, unique_names
from .text import UTF8_BOM, UTF16_BOMS, drop_end_lines, quote_error, sniff_separator, whole_records

# Arrow parses this much of the file at a time; the progress bar moves once per block.
# A block within the processor's cache parses faster: 8 MB took half as long again
BLOCK_BYTES = 2 << 20
_HEAD_BYTES = 1 << 16
_SCAN_BYTES = 1 << 22
# a quote between two ordinary characters: '"x"y' (a stray quote Python's strict
# reader refuses and Arrow would swallow) or 'x"y'; well-formed files have neither
_BREAK = re.compile(rb"\r\n|\r|\n")  # a line break, as Arrow and Python's csv end a line
_MID_QUOTE = re.compile(rb'[^,;\t|\r\n"]"[^,;\t|\r\n"]')


def _scan(path: Path, skip: int) -> tuple[int, bool, bool]:
    """(quotes, a stray quote, a NUL byte) in the file after ``skip`` bytes,
    read a few megabytes at a time: each check is a pass in C over them."""
    quotes, stray, nul, tail = 0, False, False, b""
    with open(path, "rb") as fh:
        fh.seek(skip)
        while block := fh.read(_SCAN_BYTES):
            quotes += block.count(b'"')
            # a pattern may straddle the cut: the two bytes before the block with its first two
            stray = stray or _MID_QUOTE.search(tail + block[:2]) is not None or \
                (b'"' in block and _MID_QUOTE.search(block) is not None)
            nul = nul or b"\0" in block
            tail = block[-2:]
    return quotes, stray, nul


def _end_lines(path: Path) -> int:
    """How many empty lines end the file (line breaks after the last
    record's): Arrow reads each as a row of empty cells; the row-by-row
    reader drops them (``text.drop_end_lines``). A line of separators is a row."""
    run, end = b"", path.stat().st_size
    with open(path, "rb") as fh:
        while end > 0:  # back from the end a block at a time, until a byte that is no line break
            start = max(0, end - 4096)
            fh.seek(start)
            block = fh.read(end - start)
            kept = block.rstrip(b"\r\n")
            run = block[len(kept):] + run
            if kept:
                break
            end = start
    return max(0, len(_BREAK.findall(run)) - 1)


def _check_glued(df: pd.DataFrame, sep: str, name: str) -> None:
    """The row-by-row reader's check for a quote that glued records into one
    cell, on whole columns: a cell with a line break and many separators."""
    many = max(2, df.shape[1] // 2)
    for c in df.columns:
        col = df[c]
        if is_coded(col):  # its distinct texts tell whether any cell holds a line break
            if not col.cat.categories.str.contains("\n", regex=False).any():
                continue
            col = as_text(col)
        broken = col.str.contains("\n", regex=False)
        if broken.any():
            glued = broken & (col.str.count(re.escape(sep)) >= many)
            if glued.any():
                quote_error(name, int(np.argmax(glued.to_numpy())) + 2)


def read_csv_columnar(path: Path, progress=None) -> Table | None:
    """A large well-formed CSV as a :class:`~evaltools.read.table.Table` of
    text, or None for a file the row-by-row reader must take. ``progress``
    is called with the number of bytes each block read.

    Example:
        >>> from evaltools.read.files import read_table
        >>> from evaltools.read.table import decoded  # coded columns as text
        >>> p = Path("tests/fixtures/read/matching/pre-loa-janan-2024-11-22.csv")
        >>> decoded(read_csv_columnar(p).df).equals(read_table(p).df)  # small: read row by row there
        True
    """
    found = _header(path)
    if found is None:
        return None
    sep, rows, skip = found
    titles = rows[0]
    quotes, stray, nul = _scan(path, skip)
    # an odd number of quotes: one is never closed, and Arrow would read the rest as one cell
    if quotes % 2 or stray:
        return None
    names, same = unique_names(titles)
    df = _read(path, skip, names, coded_columns(rows, names), sep, progress, nul)
    if df is None:
        return None
    end_lines = _end_lines(path)
    if end_lines:  # Arrow reads each empty line as a row; at the end of the file they are none
        df = df.iloc[: len(df) - end_lines].reset_index(drop=True)
    if quotes:  # without a quote no cell holds a line break: nothing can be glued
        _check_glued(df, sep, path.name)
    table = Table(df, path.name, path, HEADER_ROW + 1,
                  {"overflow": [], "short": [], **({"same_title": same} if same else {})})
    if nul:
        refuse_nul(table)
    return table


def _header(path: Path) -> tuple[str, list, int] | None:
    """(separator, the head's records (titles first), bytes before them: a UTF-8 BOM) from the head of
    the file, or None when the head shows the file is not for this reader:
    UTF-16 or not UTF-8, a "sep=" line, title rows above the header, a ragged
    or glued record, a stray quote, more columns than Excel holds."""
    with open(path, "rb") as fh:
        head = fh.read(_HEAD_BYTES + 3)
    if head.startswith(UTF16_BOMS):
        return None
    skip = 3 if head.startswith(UTF8_BOM) else 0
    head = head[skip:skip + _HEAD_BYTES]
    whole = path.stat().st_size - skip <= _HEAD_BYTES
    try:  # the head decides separator and header; a cut character at its end is dropped
        head_text = head.decode("utf-8", errors="strict" if whole else "ignore")
    except UnicodeDecodeError:
        return None
    sep, rest = sniff_separator(head_text)
    if rest is not head_text:  # a "sep=;" line
        return None
    try:  # strict, as the row-by-row reader: a stray quote sends the file there
        rows = drop_end_lines(list(csv.reader(
            io.StringIO(head_text if whole else whole_records(head_text), newline=""),
            delimiter=sep, strict=True)))  # empty lines ending the file: no rows (``_end_lines``)
    except csv.Error:
        return None
    if not rows or not rows[0] or header_index(rows) != 0 or any(len(r) != len(rows[0]) for r in rows):
        return None
    titles = rows[0]
    if len(titles) > MAX_COLUMNS or not titles[-1].strip() or \
            any("\n" in t and t.count(sep) >= max(2, len(titles) // 2) for t in titles):
        return None  # (a quote glued records into the header: the row-by-row reader says where)
    return sep, rows, skip


def coded_columns(rows: list, names: list) -> set:
    """The columns read as codes (a category per distinct text): those whose
    cells in the file's head repeat a few values (answers, choices), not
    those that differ row by row (names, NIPs, times)."""
    body = rows[1:]
    if len(body) < 20:  # too few rows to tell: every column is coded (each is small)
        return set(names)
    return {name for k, name in enumerate(names)
            if len({r[k] for r in body}) <= max(8, len(body) // 5)}


def _read(path: Path, skip: int, names: list, coded: set, sep: str, progress,
          nul: bool = False) -> pd.DataFrame | None:
    """The file's records as a frame (text, or categories of text for the
    ``coded`` columns), the file read block by block; None when Arrow cannot
    read it (a ragged record, bad UTF-8, an unclosed quote: the row-by-row
    reader explains)."""
    import pyarrow as pa
    import pyarrow.csv as pacsv
    # every column parsed as text (large_string is pandas' own text layout: no copy when
    # the frame is built); the coded ones are coded a block at a time from their bytes,
    # which costs less than Arrow's dictionary parse (docs/performance.md)
    types = {c: pa.large_string() for c in names}
    size = path.stat().st_size - skip
    chunks: list[list] = [[] for _ in names]
    coders = {k: _Coder(bytes_keys=not nul) for k, name in enumerate(names) if name in coded}
    try:
        with pa.input_stream(str(path)) as stream:
            stream.read(skip)
            reader = pacsv.open_csv(
                stream,
                # skip_rows_after_names skips a record, skip_rows a line (a title may hold a break);
                # one thread: two files are parsed at once, each in a thread of its own
                read_options=pacsv.ReadOptions(column_names=names, skip_rows_after_names=1,
                                               block_size=BLOCK_BYTES, use_threads=False),
                parse_options=pacsv.ParseOptions(delimiter=sep, newlines_in_values=True,
                                                  ignore_empty_lines=False),
                convert_options=pacsv.ConvertOptions(
                    column_types=types, strings_can_be_null=False, quoted_strings_can_be_null=False))
            done = 0
            for batch in reader:
                for k, col in enumerate(batch.columns):
                    chunks[k].append(coders[k].codes(col) if k in coders else col)
                if progress is not None:
                    step = min(BLOCK_BYTES, size - done)
                    done += step
                    progress(step)
                del batch
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        return None
    return _frame(names, chunks, coders)


_NO_KEY = np.uint64(2 ** 64 - 1)  # 0xFF bytes: never UTF-8, so never a cell's key


class _Coder:
    """A column's cells as codes, a block at a time: the same text has the
    same code in every block, codes numbered in the order texts first come.

    A cell of up to 8 bytes is its own key (its bytes as one 64-bit integer;
    with no NUL byte in the file, two texts never share one). Where one byte
    of the keys seen so far tells them apart (a/b/c/d; benar/salah), that
    byte picks each cell's code through a table of 256 and the key confirms
    it: no text is hashed. Otherwise the key is looked up among the sorted
    keys; a block holding a longer cell is coded by Arrow's
    ``dictionary_encode`` and its texts looked up."""

    def __init__(self, bytes_keys: bool = True):
        self.texts: list = []  # code -> text
        self.code_of: dict = {}  # text -> code
        self.key_of: list = []  # code -> key (_NO_KEY for a text of more than 8 bytes)
        self.bytes_keys = bytes_keys
        self.stale = True  # the lookup below is older than the codes

    def _code(self, text: str) -> int:
        if text not in self.code_of:
            self.code_of[text] = len(self.texts)
            self.texts.append(text)
            raw = text.encode("utf-8")
            self.key_of.append(np.uint64(int.from_bytes(raw, "little")) if len(raw) <= 8 else _NO_KEY)
            self.stale = True
        return self.code_of[text]

    def _index(self) -> None:
        """The lookup of the keys coded so far: the byte that tells them
        apart and its table, else the keys sorted."""
        key_of = np.array(self.key_of, np.uint64)
        has = np.flatnonzero(key_of != _NO_KEY).astype(self._dtype())
        keys = key_of[has]
        self.confirm = np.append(key_of, _NO_KEY)  # code -1 (not found) confirms no cell
        self.byte = None
        for j in range(8):
            picked = ((keys >> np.uint64(8 * j)) & np.uint64(0xFF)).astype(np.intp)
            if len(np.unique(picked)) == len(keys):
                self.byte = np.uint64(8 * j)
                self.table = np.full(256, -1, has.dtype)
                self.table[picked] = has
                break
        order = np.argsort(keys, kind="stable")
        self.sorted, self.sorted_codes = keys[order], has[order]
        # every text coded so far one byte long, and the byte their table's: a one-byte
        # cell's code is the table's, with nothing to confirm
        self.bytewise = self.byte == 0 and len(keys) == len(key_of) and bool((keys < 256).all())
        self.stale = False

    def _dtype(self):
        """The codes' width: a byte while there are fewer than 127 texts
        (the Categorical's own, so the column is never copied to narrow it)."""
        return np.int8 if len(self.texts) < 127 else np.int32

    def _lookup(self, key: np.ndarray) -> np.ndarray:
        """Each key's code; -1 for a key not coded yet."""
        if self.stale:
            self._index()
        if not len(self.sorted):
            return np.full(len(key), -1, self._dtype())
        if key.dtype == np.uint8:  # a one-byte cell's key is its byte
            if self.bytewise:
                return self.table[key]
            key = key.astype(np.uint64)
        if self.byte is not None:
            code = self.table[((key >> self.byte) & np.uint64(0xFF)).astype(np.intp)]
        else:
            code = self.sorted_codes[np.searchsorted(self.sorted, key).clip(0, len(self.sorted) - 1)]
        code[self.confirm[code] != key] = -1
        return code

    def codes(self, col) -> np.ndarray:
        """The codes of one block's column (an Arrow text array)."""
        key = _bytes_key(col) if self.bytes_keys else None
        if key is None:
            import pyarrow.compute as pc
            coded = pc.dictionary_encode(col)
            lut = [self._code(t) for t in coded.dictionary.to_pylist()]
            return np.array(lut, self._dtype())[coded.indices.to_numpy(zero_copy_only=False)]
        code = self._lookup(key)
        unseen = code < 0
        if unseen.any():  # texts not seen before: coded, then looked up again
            new, first = np.unique(key[unseen].astype(np.uint64), return_index=True)
            for raw in new[np.argsort(first)].view(np.uint8).reshape(-1, 8):  # as first met
                self._code(bytes(raw).rstrip(b"\0").decode("utf-8"))
            code = self._lookup(key)
        return code


def _bytes_key(col) -> np.ndarray | None:
    """Each cell's bytes as one little-endian 64-bit integer (zero-padded;
    the bytes themselves where every cell is one byte), or None when a cell
    is longer than 8 bytes."""
    n = len(col)
    if n == 0:
        return np.empty(0, np.uint64)
    off, data = text_bytes(col)
    lens = np.diff(off)
    longest = int(lens.max())
    if longest > 8:
        return None
    if longest == 0:
        return np.zeros(n, np.uint64)
    if int(lens.min()) == longest == 1:  # a byte a cell: the bytes are the keys (uint8)
        return data[off[0]:off[-1]]
    if int(lens.min()) == longest:  # one width: the bytes side by side, a row per cell
        wide = np.zeros((n, 8), np.uint8)
        wide[:, :longest] = data[off[0]:off[-1]].reshape(n, longest)
        return wide.view(np.uint64)[:, 0]
    key = np.zeros(n, np.uint64)
    last = len(data) - 1
    for j in range(longest):
        byte = data[np.minimum(off[:-1] + j, last)].astype(np.uint64)
        key |= np.where(lens > j, byte, np.uint64(0)) << np.uint64(8 * j)
    return key


def _frame(names: list, chunks: list[list], coders: dict) -> pd.DataFrame:
    """The frame from each column's blocks, one column joined at a time
    (memory grows by one column, never by the whole table): text as pandas
    text, coded columns as a Categorical."""
    import pyarrow as pa
    text = pd.StringDtype("pyarrow", na_value=np.nan)
    columns = {}
    for k, name in enumerate(names):
        blocks, chunks[k] = chunks[k], None
        if k in coders:
            texts = coders[k].texts
            codes = np.empty(sum(map(len, blocks)), coders[k]._dtype())
            at = 0
            while blocks:  # each block let go once copied: the column is held once, not twice
                block = blocks.pop(0)
                codes[at:at + len(block)] = block
                at += len(block)
            cats = pd.Index(texts, dtype=text)
            columns[name] = pd.Series(pd.Categorical.from_codes(codes, cats), name=name, copy=False)
        else:
            col = pa.chunked_array(blocks, type=pa.large_string())
            del blocks
            columns[name] = pd.Series(text.__from_arrow__(col.combine_chunks()), name=name, copy=False)
    df = pd.DataFrame(columns, columns=names, copy=False)
    df.columns = names  # a dict cannot hold duplicated titles; unique_names made them unique
    return df
