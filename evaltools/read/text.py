"""Bytes to CSV records: what a file is (binary, a web page), its encoding,
its separator, and its records, read strictly. Each check on the bytes is
a pass in C (``bytes.find``, ``bytes.translate``, ``bytes.decode``); a loop
per line runs only for the part of a file that is not UTF-8."""

from __future__ import annotations

import csv
import io
import re
import threading
from contextlib import contextmanager

from ..errors import EvalToolsError

UTF8_BOM = b"\xef\xbb\xbf"
UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")  # Excel's "Unicode Text" (tab-separated)

# control bytes no text file holds (tab, line ends, form feed and ESC are text)
_CONTROL = bytes([*range(0x00, 0x09), *range(0x0E, 0x1B), *range(0x1C, 0x20), 0x7F])
_NOT_CONTROL = bytes(b for b in range(256) if b not in _CONTROL)


def looks_binary(head: bytes) -> bool:
    """The first bytes of a file that is no text: NUL bytes among other
    control bytes, more than a damaged text holds (one in a hundred).
    A text file with a stray NUL is text: the reader names its cell.

    Example:
        >>> looks_binary(b"\\x89PNG\\r\\n\\x1a\\n\\x00\\x00\\x00\\rIHDR" + bytes(64))
        True
        >>> looks_binary(b"nama\\nDewi\\x00Lestari\\n")  # a stray NUL: text
        False
    """
    if b"\0" not in head or head.startswith(UTF16_BOMS):
        return False
    return len(head.translate(None, _NOT_CONTROL)) > max(2, len(head) // 100)


_HTML = re.compile(rb"<(!doctype\s+html|html|table|head|body)\b")


def looks_html(head: bytes) -> bool:
    """A web page (a web application's "Excel export" is often an HTML table).

    Example:
        >>> looks_html(b"\\n<html><body><table>"), looks_html(b"nama,<b>\\n")
        (True, False)
    """
    start = head.removeprefix(UTF8_BOM).lstrip()[:1024].lower()
    return start.startswith(b"<") and _HTML.search(start) is not None


def decode(raw: bytes) -> str:
    """Text of a CSV file: UTF-8 (with or without BOM), or UTF-16 with its
    BOM. A file that is not all UTF-8 is decoded line by line: lines that are
    UTF-8 stay so, the others are cp1252 (older Windows tools and Excel's
    plain "CSV" write it, and a tool may append cp1252 rows to a UTF-8 file).
    Bytes that fit neither become U+FFFD, never an exception.

    Example:
        >>> decode("René\\n".encode() + "Agnès\\n".encode("cp1252"))
        'René\\nAgnès\\n'
    """
    if raw.startswith(UTF16_BOMS):
        return raw.decode("utf-16", errors="replace")
    if raw.startswith(UTF8_BOM):
        raw = raw[3:]
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return _mixed(raw)


_CHUNK = 1 << 20
_LINE_END = re.compile(rb"[\r\n]")


def _mixed(raw: bytes) -> str:
    """``raw`` decoded in chunks cut at line ends: a chunk that is UTF-8 at
    once (C), or holds no UTF-8 character beyond ASCII (cp1252 at once, C),
    else line by line."""
    out, pos, n = [], 0, len(raw)
    while pos < n:
        end = min(n, pos + _CHUNK)
        if end < n:  # after a line end: never inside a character, never inside a line
            cut = max(raw.rfind(b"\n", pos, end), raw.rfind(b"\r", pos, end))
            if cut < 0:
                nxt = _LINE_END.search(raw, end)
                cut = nxt.start() if nxt else n - 1
            end = cut + 1
        chunk = raw[pos:end]
        try:
            out.append(chunk.decode("utf-8"))
        except UnicodeDecodeError:
            if chunk.decode("utf-8", errors="ignore").isascii():  # what is left is valid UTF-8
                out.append(chunk.decode("cp1252", errors="replace"))
            else:
                out.extend(_line(b) for b in chunk.splitlines(keepends=True))
        pos = end
    return "".join(out)


def _line(b: bytes) -> str:
    try:
        return b.decode("utf-8")
    except UnicodeDecodeError:
        return b.decode("cp1252", errors="replace")


def sniff_separator(text: str) -> tuple[str, str]:
    """Separator from a leading 'sep=X' line, else the candidate that splits
    the first lines into the most fields (csv.Sniffer misreads 1-column
    files, and title rows above the header may hold no separator at all).
    Returns the separator and the text without its 'sep=' line.

    Example:
        >>> sniff_separator("sep=;\\nnama;q01\\n")
        (';', 'nama;q01\\n')
    """
    first, _, rest = text.partition("\n")
    m = re.fullmatch(r'"?sep=(.)"?\r?', first)
    if m:
        return m.group(1), rest
    end = 0
    for _ in range(20):  # the first 20 lines, without splitting the whole file
        end = text.find("\n", end) + 1
        if not end:
            end = len(text)
            break
    head = "\n".join(text[:end].splitlines()[:20])
    counts = {sep: max((len(r) for r in csv.reader(io.StringIO(head), delimiter=sep)), default=0)
              for sep in (",", ";", "\t", "|")}
    return max(counts, key=lambda s: (counts[s], s == ",")), text


def csv_rows(text: str, name: str) -> list[list[str]]:
    """Rows of a CSV text; ``name`` is the file an unclosed quote is reported in.

    Example:
        >>> csv_rows('nama;q01\\nAni;"b"\\n', "pre.csv")
        [['nama', 'q01'], ['Ani', 'b']]
    """
    sep, text = sniff_separator(text)
    rows: list = []
    try:
        # strict: a stray quote must not silently glue rows together
        rows.extend(csv.reader(io.StringIO(text, newline=""), delimiter=sep, strict=True))
    except csv.Error:
        quote_error(name, len(rows) + 1)
    # a quote opened on one row and closed by a later quoted field parses
    # "fine": the rows in between sit in one cell, line breaks and separators
    # included; real multi-line answers (saran) do not hold half a record
    width = max((len(r) for r in rows[:20]), default=0)
    # no line break inside any cell (one per row at most, no lone CR): nothing to look for
    breaks = text.count("\n")
    if breaks > len(rows) or "\r" in text.replace("\r\n", ""):
        for i, r in enumerate(rows):
            if any("\n" in v and v.count(sep) >= max(2, width // 2) for v in r):
                quote_error(name, i + 1)
    return rows


def drop_end_lines(rows: list[list[str]]) -> list[list[str]]:
    """``rows`` without the empty lines at the end of the text (nothing on
    them, not even a space): an editor's or exporter's last line breaks, no
    input row. A line of separators (";;;;", what a spreadsheet leaves of a
    deleted response) or of spaces is a row, and so is an empty line between rows.

    Example:
        >>> drop_end_lines([["nama", "q01"], ["Ani", "b"], [], [";", ""], [], []])
        [['nama', 'q01'], ['Ani', 'b'], [], [';', '']]
    """
    end = len(rows)
    while end and not rows[end - 1]:
        end -= 1
    return rows if end == len(rows) else rows[:end]


def whole_records(text: str) -> str:
    """``text`` up to its last line break outside quotes: a break with an
    even number of quotes before it ends a record.

    Example:
        >>> whole_records('a,b\\n1,"x\\ny"\\n2,"z\\n')
        'a,b\\n1,"x\\ny"\\n'
    """
    total, after, end = text.count('"'), 0, len(text)
    while (nl := text.rfind("\n", 0, end)) >= 0:
        after += text.count('"', nl, end)
        if (total - after) % 2 == 0:
            return text[:nl + 1]
        end = nl
    return ""


def quote_error(name: str, row: int):
    raise EvalToolsError(
        'tanda kutip (") dibuka tetapi tidak ditutup; baris-baris berikutnya akan terbaca '
        "sebagai satu sel", file=name, row=row,
        fix='tutup tanda kutip pada baris itu (atau hapus), lalu simpan lagi; '
            "atau simpan ulang dari Excel sebagai CSV",
        problem_en="a quote is opened and not closed where it should be; the following rows "
                   "would be read as one cell",
        fix_en="close (or remove) the quote on that row, or save the sheet again as CSV") from None


_WIDE = threading.Lock()  # the limit is the process's: two files read at once share it
_wide = {"readers": 0, "old": None}


@contextmanager
def wide_fields():
    """Python's csv reader refuses a cell over 131,072 characters; a saran
    may be longer (a pasted document). The limit is raised while reading:
    by the first of the files being read at once, and put back by the last.

    Example:
        >>> with wide_fields():
        ...     csv.field_size_limit() > 131_072
        True
    """
    with _WIDE:
        if not _wide["readers"]:
            _wide["old"] = csv.field_size_limit(2**31 - 1)  # the largest a C long holds everywhere
        _wide["readers"] += 1
    try:
        yield
    finally:
        with _WIDE:
            _wide["readers"] -= 1
            if not _wide["readers"]:
                csv.field_size_limit(_wide["old"])
