"""Hostile workbooks: XML entity declarations refused before openpyxl parses a byte.

No part of a workbook may declare a document type (``<!DOCTYPE``), the only
place XML entities can be declared. Excel, LibreOffice, Google Sheets, Kobo
and openpyxl never write one; entity declarations are what "billion laughs"
bombs and external-entity (XXE) reads of other files or URLs are made of.
Only the first bytes of each part are read for this (:func:`check_workbook`),
after the archive's sizes passed ``guard``. openpyxl also refuses entity
declarations by itself while ``defusedxml`` is installed (unless
``OPENPYXL_DEFUSEDXML=False``), but in read-only mode a worksheet is parsed
only while its rows are read, and its error says nothing a user can act on
(:func:`refuse_xml_attack` says it plainly).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import IO

from ..errors import EvalToolsError
from .guard import Limits, open_zip

# the bytes of each XML part read to find its first element; real parts start it
# within 100 bytes (an XML declaration, at most a comment before it)
XML_PROLOG_BYTES = 8192


def _prolog_text(raw: bytes) -> str:
    """The start of an XML part as text, in whichever encoding expat would read it."""
    for bom, codec in ((b"\xef\xbb\xbf", "utf-8"), (b"\xff\xfe\x00\x00", "utf-32-le"),
                       (b"\x00\x00\xfe\xff", "utf-32-be"), (b"\xff\xfe", "utf-16-le"),
                       (b"\xfe\xff", "utf-16-be")):
        if raw.startswith(bom):
            return raw[len(bom):].decode(codec, errors="ignore")
    if raw[:2] == b"<\x00":
        return raw.decode("utf-16-le", errors="ignore")
    if raw[:2] == b"\x00<":
        return raw.decode("utf-16-be", errors="ignore")
    if raw[:4] == b"\x4c\x6f\xa7\x94":  # "<?xm" in EBCDIC
        return raw.decode("cp500", errors="ignore")
    # any ASCII-compatible encoding: the markup that matters is ASCII
    return raw.decode("latin-1")


def _prolog(raw: bytes, complete: bool) -> str | None:
    """"dtd" when the part declares a document type before its first element,
    "long" when its first element is not within ``raw`` (and ``raw`` is not the
    whole part), else None (an element comes first, or this is not XML)."""
    text = _prolog_text(raw)
    i, n = 0, len(text)
    while True:
        while i < n and text[i] in " \t\r\n\ufeff":
            i += 1
        for start, end in (("<?", "?>"), ("<!--", "-->")):  # declaration, instruction, comment
            if text.startswith(start, i):
                j = text.find(end, i + len(start))
                if j < 0:
                    return None if complete else "long"
                i = j + len(end)
                break
        else:
            if text[i:i + 9].upper().startswith(("<!DOCTYPE", "<!ENTITY")):
                return "dtd"
            if i >= n and not complete:
                return "long"
            return None


def _refuse_xml(name: str, member: str | None):
    raise EvalToolsError(
        "buku kerja berisi deklarasi entitas XML (<!DOCTYPE / <!ENTITY), yang tidak diizinkan: "
        "Excel dan alat pengumpul data tidak pernah menulisnya, dan deklarasi itu adalah bahan "
        "serangan (bom XML \"billion laughs\", pembacaan berkas lain atau alamat web lewat "
        "entitas eksternal)", file=name, location=member,
        fix="jangan pakai berkas ini; minta pengirim mengekspor ulang dari alat pengumpul data "
            "(Google Forms, KoboToolbox), atau buka di Excel lalu simpan ulang sebagai .xlsx",
        problem_en="the workbook contains XML entity declarations (<!DOCTYPE / <!ENTITY), which "
                   "are not allowed: Excel and data collection tools never write them, and they "
                   "are what attacks are made of (\"billion laughs\" XML bombs, reading other "
                   "files or web addresses through external entities)",
        fix_en="do not use this file; ask the sender to export again from the data collection "
               "tool (Google Forms, KoboToolbox), or open it in Excel and save again as .xlsx")


def check_workbook(source: str | os.PathLike | IO[bytes], name: str | None = None,
                   limits: Limits | None = None) -> None:
    """Refuse a workbook that :func:`check_zip` refuses, or any part of which
    declares a document type (XML entities: bombs, external entities). Only
    the first bytes of each part are decompressed.

    Example:
        >>> import io
        >>> import io, zipfile
        >>> buf = io.BytesIO()
        >>> with zipfile.ZipFile(buf, "w") as z:
        ...     z.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types/>')
        ...     z.writestr("xl/sharedStrings.xml", '<?xml version="1.0"?>'
        ...                '<!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]><sst>&x;</sst>')
        >>> try:  # doctest: +ELLIPSIS
        ...     check_workbook(buf, "rekap.xlsx")
        ... except EvalToolsError as err:
        ...     print(err)
        rekap.xlsx, xl/sharedStrings.xml: buku kerja berisi deklarasi entitas XML (<!DOCTYPE / ...
        (en) rekap.xlsx, xl/sharedStrings.xml: the workbook contains XML entity declarations ...
    """
    with open_zip(source, name, limits) as z:
        name = name or (z.filename and Path(z.filename).name) or "arsip"
        for info in z.infolist():
            if info.is_dir() or info.file_size == 0:
                continue
            with z.open(info) as fh:
                head = fh.read(XML_PROLOG_BYTES)
            found = _prolog(head, complete=len(head) >= info.file_size)
            if found == "dtd":
                _refuse_xml(name, info.filename)
            if found == "long":
                raise EvalToolsError(
                    f"bagian XML tidak memulai elemen pertamanya dalam {XML_PROLOG_BYTES} byte "
                    "pertama (buku kerja asli memulainya dalam 100 byte); deklarasi entitas XML "
                    "bisa tersembunyi di baliknya", file=name, location=info.filename,
                    fix="jangan pakai berkas ini; minta pengirim mengekspor ulang dari alat "
                        "pengumpul data, atau buka di Excel lalu simpan ulang sebagai .xlsx",
                    problem_en=f"an XML part does not start its first element within its first "
                               f"{XML_PROLOG_BYTES} bytes (genuine workbooks do within 100 bytes); "
                               "XML entity declarations may hide behind that",
                    fix_en="do not use this file; ask the sender to export again from the data "
                           "collection tool, or open it in Excel and save again as .xlsx")


def refuse_xml_attack(exc: BaseException, name: str) -> None:
    """Raise the plain refusal when ``exc`` (or what it wraps: openpyxl wraps
    its parser's errors in ``ValueError``) is defusedxml's refusal of entities
    or of a document type; do nothing otherwise.

    Example:
        >>> refuse_xml_attack(ValueError("not XML"), "a.xlsx")  # not an attack: nothing happens
    """
    try:
        from defusedxml import DefusedXmlException
    except ImportError:  # pragma: no cover - defusedxml is a dependency
        return
    seen = set()
    while exc is not None and id(exc) not in seen:
        seen.add(id(exc))
        if isinstance(exc, DefusedXmlException):
            _refuse_xml(name, None)
        exc = exc.__cause__ or exc.__context__
