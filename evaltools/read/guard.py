"""Hostile files: zip bombs refused before anything is unpacked.

A workbook (.xlsx) and Google Forms' download (.zip) are zip archives. Two
checks run before a byte of them is decompressed for reading: the sizes,
here, and the XML of a workbook (``xmlguard``: no entity declarations).

Sizes (:func:`check_zip`): the central directory declares every member's
unpacked and packed size. Python's ``zipfile`` never yields more than the
declared unpacked size (it stops there and fails the CRC check), so those
declared sizes bound what reading can cost: too many members, a member or a
whole archive too large, or a member that swells too much (a "zip bomb":
a 1 MB file that unpacks to 5 GB) is refused from the directory alone.

The limits are a :class:`Limits`; the ones in effect come from
:func:`current_limits`: the defaults, changed by environment variables
(``EVALTOOLS_ZIP_MAX_TOTAL_MB``, ``EVALTOOLS_ZIP_MAX_MEMBER_MB``,
``EVALTOOLS_ZIP_MAX_RATIO``, ``EVALTOOLS_ZIP_MAX_MEMBERS``), changed in turn
inside a :func:`use_limits` block.
"""

from __future__ import annotations

import contextlib
import contextvars
import dataclasses
import math
import os
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Iterator

from ..errors import EvalToolsError

MiB = 1 << 20
GiB = 1 << 30


@dataclass(frozen=True)
class Limits:
    """What a zip archive (a workbook or a Google Forms download) may hold.

    ``max_total_bytes``: all members unpacked together; ``max_member_bytes``:
    one member unpacked; ``max_ratio``: unpacked size / packed size of one
    member, checked for members larger than ``ratio_from_bytes`` (a small
    member may swell as it likes: it stays small); ``max_members``: entries
    in the archive. Worksheets compress 10-30 times and CSV answers up to
    about 250 times; deflate cannot go past about 1030 times, where zip bombs sit.

    Example:
        >>> Limits().max_member_bytes == 1024 ** 3
        True
        >>> Limits(max_ratio=500).max_ratio
        500
    """
    max_total_bytes: int = 2 * GiB
    max_member_bytes: int = 1 * GiB
    max_ratio: float = 300
    ratio_from_bytes: int = 16 * MiB
    max_members: int = 10_000


DEFAULT_LIMITS = Limits()

# field -> (environment variable, unit in bytes; 1 for plain numbers)
ENVIRONMENT = {
    "max_total_bytes": ("EVALTOOLS_ZIP_MAX_TOTAL_MB", MiB),
    "max_member_bytes": ("EVALTOOLS_ZIP_MAX_MEMBER_MB", MiB),
    "max_ratio": ("EVALTOOLS_ZIP_MAX_RATIO", 1),
    "max_members": ("EVALTOOLS_ZIP_MAX_MEMBERS", 1),
}

_override: contextvars.ContextVar[Limits | None] = contextvars.ContextVar("evaltools_zip_limits",
                                                                         default=None)


def current_limits() -> Limits:
    """The limits in effect: those of the innermost :func:`use_limits` block,
    else the defaults with any ``EVALTOOLS_ZIP_*`` environment variable applied
    (sizes in MB, e.g. ``EVALTOOLS_ZIP_MAX_MEMBER_MB=4096``).

    Example:
        >>> current_limits().max_members >= 1
        True
    """
    chosen = _override.get()
    if chosen is not None:
        return chosen
    changes = {}
    for name, (var, unit) in ENVIRONMENT.items():
        text = os.environ.get(var, "").strip()
        if not text:
            continue
        try:
            value = float(text.replace(",", "."))
            if not value > 0 or value == float("inf"):
                raise ValueError(text)
        except ValueError:
            example = f"{var}={_env_value(getattr(DEFAULT_LIMITS, name), unit)}"
            raise EvalToolsError(
                f"variabel lingkungan {var}={text!r} bukan angka positif",
                fix=f"setel {var} ke angka, mis. {example}, atau hapus variabel itu",
                problem_en=f"environment variable {var}={text!r} is not a positive number",
                fix_en=f"set {var} to a number, e.g. {example}, or unset it") from None
        changes[name] = int(value * unit) if unit > 1 or name == "max_members" else value
    return dataclasses.replace(DEFAULT_LIMITS, **changes)


@contextlib.contextmanager
def use_limits(limits: Limits | None = None, **changes) -> Iterator[Limits]:
    """Read with other limits inside a ``with`` block (this thread or task only):
    a whole :class:`Limits`, or some of its fields changed from those in effect.

    Example:
        >>> with use_limits(max_member_bytes=4 * GiB) as lim:
        ...     current_limits().max_member_bytes == lim.max_member_bytes == 4 * GiB
        True
        >>> current_limits().max_member_bytes == 4 * GiB
        False
    """
    chosen = dataclasses.replace(limits or current_limits(), **changes)
    token = _override.set(chosen)
    try:
        yield chosen
    finally:
        _override.reset(token)


def _env_value(value, unit) -> str:
    number = value / unit
    return str(int(number)) if float(number).is_integer() else f"{number:g}"


def _size(n: int, lang: str) -> str:
    """A byte count as people read it: 5.0 GB (en), 5,0 GB (id)."""
    for unit, scale in (("GB", GiB), ("MB", MiB), ("KB", 1 << 10)):
        if n >= scale:
            text = f"{n / scale:.1f} {unit}"
            return text.replace(".", ",") if lang == "id" else text
    return f"{n} byte" if lang == "id" else f"{n} bytes"


def _ratio(r: float) -> str:
    return f"{r:.0f}" if r < float("inf") else "∞"


def _refuse_size(name, member, problem, problem_en, field: str, needed):
    """The refusal of an archive too large for ``field``; the fix says how to
    let a genuine file through."""
    var, unit = ENVIRONMENT[field]
    setting = f"{var}={math.ceil(needed / unit)}"  # the least value that lets this file through
    call = f"evaltools.read.guard.use_limits({field}=...)"
    raise EvalToolsError(
        f"arsip ditolak demi keamanan: {problem}", file=name, location=member,
        fix="arsip seperti ini biasanya bom zip: bila asalnya tidak jelas, jangan dipakai; minta "
            "pengirim mengekspor ulang dari alat pengumpul data, atau buka di Excel lalu simpan "
            f"ulang; bila berkasnya asli dan memang sebesar itu, naikkan batasnya: {setting} "
            f"(variabel lingkungan) atau {call}",
        problem_en=f"archive refused for safety: {problem_en}",
        fix_en="an archive like this is usually a zip bomb: if you do not know where it comes "
               "from, do not use it; ask the sender to export again from the data collection "
               "tool, or open it in Excel and save again; if the file is genuine and really that "
               f"large, raise the limit: {setting} (environment variable) or {call}")


def check_zip(z: zipfile.ZipFile, name: str, limits: Limits | None = None) -> None:
    """Refuse an archive whose central directory declares too many members,
    a member or a total too large, or a member that swells too much; nothing
    is decompressed. ``name`` is the file named in the message.

    Example:
        >>> import io
        >>> buf = io.BytesIO()
        >>> with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        ...     z.writestr("jawaban.csv", "nip,q01\\n" + "198701012010011001,a\\n" * 1000)
        >>> check_zip(zipfile.ZipFile(buf), "jawaban.zip")  # a genuine download: nothing happens
        >>> try:  # doctest: +ELLIPSIS
        ...     check_zip(zipfile.ZipFile(buf), "jawaban.zip", Limits(max_member_bytes=1000))
        ... except EvalToolsError as err:
        ...     print(err.message_en)
        jawaban.zip, jawaban.csv: archive refused for safety: member unpacks to 20.5 KB (95 bytes ...
    """
    lim = limits or current_limits()
    infos = z.infolist()
    _check_count(len(infos), name, lim)
    total = 0
    for info in infos:
        size, packed = info.file_size, info.compress_size
        if size > lim.max_member_bytes:
            _refuse_size(
                name, info.filename,
                f"bagian ini berukuran {_size(size, 'id')} setelah dibuka ({_size(packed, 'id')} "
                f"terkompresi), melebihi batas {_size(lim.max_member_bytes, 'id')} per bagian",
                f"member unpacks to {_size(size, 'en')} ({_size(packed, 'en')} compressed), over "
                f"the limit of {_size(lim.max_member_bytes, 'en')} per member",
                "max_member_bytes", size)
        total += size
    if total > lim.max_total_bytes:
        largest = max(infos, key=lambda i: i.file_size)
        _refuse_size(
            name, None,
            f"isi arsip berukuran {_size(total, 'id')} setelah dibuka ({len(infos)} bagian, terbesar "
            f"{largest.filename} {_size(largest.file_size, 'id')}), melebihi batas "
            f"{_size(lim.max_total_bytes, 'id')}",
            f"the archive unpacks to {_size(total, 'en')} ({len(infos)} members, largest "
            f"{largest.filename} {_size(largest.file_size, 'en')}), over the limit of "
            f"{_size(lim.max_total_bytes, 'en')}",
            "max_total_bytes", total)
    for info in infos:
        size, packed = info.file_size, info.compress_size
        ratio = size / packed if packed else float("inf")
        if size > lim.ratio_from_bytes and ratio > lim.max_ratio:
            _refuse_size(
                name, info.filename,
                f"bagian ini membengkak {_ratio(ratio)} kali saat dibuka ({_size(packed, 'id')} "
                f"menjadi {_size(size, 'id')}), melebihi batas {lim.max_ratio:g} kali",
                f"member swells {_ratio(ratio)} times when unpacked ({_size(packed, 'en')} "
                f"to {_size(size, 'en')}), over the limit of {lim.max_ratio:g} times",
                "max_ratio", min(ratio, 1e9))


def _check_count(count: int, name: str, lim: Limits) -> None:
    if count > lim.max_members:
        _refuse_size(name, None,
                     f"arsip berisi {count} bagian, melebihi batas {lim.max_members}",
                     f"the archive holds {count} members, over the limit of {lim.max_members}",
                     "max_members", count)


def _declared_count(fp) -> int | None:
    """Entries the end-of-central-directory record declares, read before
    ``ZipFile`` builds one object per entry (millions of them in a crafted file)."""
    try:
        end = zipfile._EndRecData(fp)  # the stdlib's own reader of that record (private)
    except Exception:  # gone in some Python, or a damaged record: ZipFile will judge
        return None
    finally:
        fp.seek(0)
    return None if end is None else end[zipfile._ECD_ENTRIES_TOTAL]


def open_zip(source: str | os.PathLike | IO[bytes], name: str | None = None,
             limits: Limits | None = None) -> zipfile.ZipFile:
    """``zipfile.ZipFile(source)`` once :func:`check_zip` has passed it (the
    member count is checked even before the directory is read). A damaged
    archive raises ``zipfile.BadZipFile`` as ``ZipFile`` does.

    Example:
        >>> import io
        >>> buf = io.BytesIO()
        >>> with zipfile.ZipFile(buf, "w") as z:
        ...     z.writestr("a.csv", "nip\\n1\\n")
        >>> with open_zip(buf, "unduhan.zip") as z:
        ...     z.namelist()
        ['a.csv']
    """
    lim = limits or current_limits()
    if name is None:
        name = Path(source).name if isinstance(source, (str, os.PathLike)) else "arsip"
    if isinstance(source, (str, os.PathLike)):
        with open(source, "rb") as fh:
            count = _declared_count(fh)
    else:
        count = _declared_count(source)
    if count is not None:
        _check_count(count, name, lim)
    z = zipfile.ZipFile(source)
    try:
        check_zip(z, name, lim)
    except BaseException:
        z.close()
        raise
    return z
