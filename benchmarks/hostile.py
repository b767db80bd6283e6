"""Hostile spreadsheets: how long evaltools takes to refuse each, and how much memory.

``python -m benchmarks.hostile`` builds XML bombs, external-entity (XXE)
workbooks and zip bombs from a real small workbook, reads each with
``read_table`` in a fresh interpreter and prints the time to the refusal,
the peak of Python's allocations (tracemalloc) and the growth of the
process's own peak resident size (``benchmarks.memory``) over what the interpreter held
before reading. ``--unguarded`` adds what the same files cost read without
evaltools' checks (openpyxl alone, with and without its defusedxml, and
``zipfile`` reading the CSV), each capped at 4 GB of address space.

The builders here are also what tests/read/test_hostile_files.py refuses.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import re
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
GENUINE = ROOT / "tests" / "fixtures" / "read" / "google-sheets-xlsx" / "tes-awal-respons.xlsx"
SHARED_STRINGS = "xl/sharedStrings.xml"
SHEET = "xl/worksheets/sheet1.xml"
XML_MEMBERS = (SHARED_STRINGS, SHEET, "xl/workbook.xml", "[Content_Types].xml")


def _lol() -> tuple[str, str]:
    """Billion laughs: 10 levels of 10 references, 10^9 'lol's (3 GB) from 1 KB."""
    dtd = '<!DOCTYPE r [<!ENTITY lol0 "lol">'
    for i in range(1, 10):
        dtd += f'<!ENTITY lol{i} "' + f"&lol{i - 1};" * 10 + '">'
    return dtd + "]>", "&lol9;"


# attack -> (document type declaration, reference placed in the root element's text)
ATTACKS = {
    "billion-laughs": _lol(),
    # one 100 KB entity referenced 10,000 times: 1 GB, no nesting
    "quadratic-blowup": ('<!DOCTYPE r [<!ENTITY a "' + "a" * 100_000 + '">]>', "&a;" * 10_000),
    "xxe-file": ('<!DOCTYPE r [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>', "&xxe;"),
    "xxe-http": ('<!DOCTYPE r [<!ENTITY xxe SYSTEM "http://127.0.0.1:9/rahasia">]>', "&xxe;"),
    "xxe-parameter": ('<!DOCTYPE r [<!ENTITY % p SYSTEM "http://127.0.0.1:9/p.dtd"> %p;]>', ""),
    "external-dtd": ('<!DOCTYPE r SYSTEM "http://127.0.0.1:9/evil.dtd">', ""),
}


def genuine() -> bytes:
    """The real small workbook (Google Sheets' export) the hostile ones are made from."""
    return GENUINE.read_bytes()


def rewrite(workbook: bytes, changes: dict, *, level: int | None = None) -> bytes:
    """``workbook`` with members changed: name -> new bytes, or a function of
    the old bytes; a name not in the archive is added."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(workbook)) as zin, \
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=level) as zout:
        names = zin.namelist()
        for name in names + [n for n in changes if n not in names]:
            data = zin.read(name) if name in names else b""
            change = changes.get(name)
            zout.writestr(name, change(data) if callable(change) else data if change is None else change)
    return out.getvalue()


def shared_strings(workbook: bytes) -> bytes:
    """The workbook with its inline strings moved to xl/sharedStrings.xml, as
    Excel saves them (Google Sheets writes them inline)."""
    strings: list[str] = []

    def share(m):
        strings.append(m.group(3))
        return f'<c r="{m.group(1)}"{m.group(2)} t="s"><v>{len(strings) - 1}</v></c>'

    def sheet(xml: bytes) -> bytes:
        return re.sub(r'<c r="(\w+)"([^>]*?) t="inlineStr"><is><t(?: [^>]*)?>(.*?)</t></is></c>',
                      share, xml.decode("utf-8"), flags=re.S).encode("utf-8")

    with zipfile.ZipFile(io.BytesIO(workbook)) as z:
        new_sheet = sheet(z.read(SHEET))
    sst = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
           '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
           f'count="{len(strings)}" uniqueCount="{len(strings)}">'
           + "".join(f"<si><t>{s}</t></si>" for s in strings) + "</sst>").encode("utf-8")
    def types(x: bytes) -> bytes:
        return x.replace(b"</Types>", b'<Override PartName="/xl/sharedStrings.xml" ContentType='
                         b'"application/vnd.openxmlformats-officedocument.spreadsheetml.'
                         b'sharedStrings+xml"/></Types>')

    def rels(x: bytes) -> bytes:
        return x.replace(b"</Relationships>", b'<Relationship Type="http://schemas.'
                         b'openxmlformats.org/officeDocument/2006/relationships/sharedStrings"'
                         b' Target="sharedStrings.xml" Id="rIdSst"/></Relationships>')

    return rewrite(workbook, {SHEET: new_sheet, SHARED_STRINGS: sst, "[Content_Types].xml": types,
                              "xl/_rels/workbook.xml.rels": rels})


def with_dtd(xml: bytes, dtd: str, ref: str) -> bytes:
    """An XML part with ``dtd`` before its root element and ``ref`` as the
    root element's first text."""
    m = re.match(rb"(\xef\xbb\xbf)?(<\?xml[^>]*\?>)?\s*", xml)
    start = m.end()
    end = xml.index(b">", start) + 1
    return xml[:start] + dtd.encode() + xml[start:end] + ref.encode() + xml[end:]


def xml_attack(attack: str, member: str) -> bytes:
    """The genuine workbook (with shared strings) with ``attack`` in ``member``."""
    dtd, ref = ATTACKS[attack]
    return rewrite(shared_strings(genuine()), {member: lambda x: with_dtd(x, dtd, ref)})


def declared(archive: bytes, sizes: dict[str, int]) -> bytes:
    """``archive`` whose central directory declares other unpacked sizes
    (member -> bytes): a 5 GB "zip bomb" that costs nothing to build (and
    that would only unpack to its real bytes, as its CRC check would tell)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(archive)) as zin, zipfile.ZipFile(out, "w") as zout:
        for info in zin.infolist():
            zout.writestr(info, zin.read(info), compress_type=info.compress_type)
            if info.filename in sizes:  # written to the central directory at close
                zout.filelist[-1].file_size = sizes[info.filename]
    return out.getvalue()


def _stream(z: zipfile.ZipFile, name: str, head: bytes, fill: bytes, size: int, tail: bytes):
    with z.open(name, "w", force_zip64=size > 2 ** 31) as fh:
        fh.write(head)
        chunk = fill * ((1 << 20) // len(fill))
        left = size - len(head) - len(tail)
        while left > 0:
            fh.write(chunk[:left])
            left -= len(chunk)
        fh.write(tail)


def bomb_xlsx(size: int) -> bytes:
    """A genuine, valid workbook whose sheet is padded with whitespace inside
    <sheetData> to ``size`` bytes: about 1 KB per MB at compression level 9."""
    src = genuine()
    with zipfile.ZipFile(io.BytesIO(src)) as zin:
        sheet = zin.read(SHEET)
        i = sheet.index(b"<sheetData>") + len(b"<sheetData>")
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as zout:
            for info in zin.infolist():
                if info.filename == SHEET:
                    _stream(zout, SHEET, sheet[:i], b" ", size, sheet[i:])
                else:
                    zout.writestr(info.filename, zin.read(info))
    return out.getvalue()


def forms_zip(csv: bytes, name: str = "Tes Pemahaman (Respons).csv") -> bytes:
    """Google Forms' "Download responses": a .zip holding one CSV."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr(name, csv)
    return out.getvalue()


def bomb_forms_zip(size: int, name: str = "Tes Pemahaman (Respons).csv") -> bytes:
    """A Google Forms-style download whose CSV is a header and ``size`` bytes of blank lines."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        _stream(z, name, b"Timestamp,Nama lengkap,NIP\r\n", b"\r\n", size, b"")
    return out.getvalue()


def many_members(count: int) -> bytes:
    """A zip of ``count`` empty members (the directory alone is the attack)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as z:
        for k in range(count):
            z.writestr(f"x/{k}", b"")
    return out.getvalue()


def cases(big: int = 1 << 30) -> dict[str, tuple[str, bytes]]:
    """Every hostile file of the benchmark: name -> (file name, bytes)."""
    out = {}
    for attack in ATTACKS:
        for member in XML_MEMBERS:
            out[f"{attack} in {member}"] = ("hostile.xlsx", xml_attack(attack, member))
    out[f"xlsx, sheet of {big >> 20} MB whitespace (real zip bomb)"] = ("bom.xlsx", bomb_xlsx(big))
    out["xlsx, sheet declared 5 GB (crafted directory)"] = (
        "bom-5gb.xlsx", declared(genuine(), {SHEET: 5 << 30}))
    out[f"Google Forms zip, CSV of {big >> 20} MB blank lines (real zip bomb)"] = (
        "bom.zip", bomb_forms_zip(big))
    out["Google Forms zip, CSV declared 5 GB (crafted directory)"] = (
        "bom-5gb.zip", declared(forms_zip(b"Timestamp,NIP\r\n2024-11-22,1987\r\n"),
                                {"Tes Pemahaman (Respons).csv": 5 << 30}))
    out["zip of 200,000 empty members"] = ("banyak.zip", many_members(200_000))
    return out


_PROBE = r"""
import json, sys, time, tracemalloc
from benchmarks.memory import peak_bytes  # this process's own, not its parent's
from pathlib import Path
mode, path = sys.argv[1], Path(sys.argv[2])
if mode == "guarded":
    from evaltools.errors import EvalToolsError
    from evaltools.read.files import read_table
    import openpyxl  # imported before the baseline, as evaltools imports it lazily
    def run():
        try:
            read_table(path)
            return "read"
        except EvalToolsError as exc:
            return "refused: " + exc.message_en.split(". Fix:")[0]
elif mode.startswith("openpyxl"):
    from openpyxl import load_workbook
    def run():
        try:
            wb = load_workbook(path, read_only=True)
            n = sum(1 for _ in wb.worksheets[0].iter_rows(values_only=True))
            return f"read {n} rows"
        except Exception as exc:
            cause = exc.__cause__ or exc
            return f"{type(cause).__name__}: {str(cause)[:90]}"
else:  # zipfile reads the CSV, as a reader without the size check does
    import zipfile
    def run():
        try:
            with zipfile.ZipFile(path) as z:
                return f"read {len(z.read(z.namelist()[0]))} bytes"
        except Exception as exc:
            return f"{type(exc).__name__}: {str(exc)[:90]}"
base = peak_bytes()
tracemalloc.start()
start = time.perf_counter()
outcome = run()
seconds = time.perf_counter() - start
peak = tracemalloc.get_traced_memory()[1]
tracemalloc.stop()
grown = peak_bytes() - base
print(json.dumps({"seconds": seconds, "traced_mb": peak / 2**20, "rss_growth_mb": grown / 2**20,
                  "outcome": outcome}))
"""


def probe(path: Path, mode: str = "guarded", timeout: float = 120) -> dict:
    """One read of ``path`` in a fresh interpreter capped at 4 GB of address space."""
    env = dict(os.environ)
    if mode == "openpyxl-no-defusedxml":
        env["OPENPYXL_DEFUSEDXML"] = "False"
    cap = ("import resource; resource.setrlimit(resource.RLIMIT_AS, (4 << 30, 4 << 30))\n")
    try:
        done = subprocess.run([sys.executable, "-c", cap + _PROBE, mode, str(path)], env=env,
                              cwd=ROOT, capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return {"seconds": timeout, "traced_mb": float("nan"), "rss_growth_mb": float("nan"),
                "outcome": f"still running after {timeout:.0f} s"}
    if done.returncode != 0:
        last = (done.stderr.strip().splitlines() or ["?"])[-1]
        return {"seconds": float("nan"), "traced_mb": float("nan"), "rss_growth_mb": float("nan"),
                "outcome": f"crashed: {last[:90]}"}
    return json.loads(done.stdout.strip().splitlines()[-1])


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--big-mb", type=int, default=1024,
                    help="unpacked size of the real zip bombs, in MB (default 1024)")
    ap.add_argument("--unguarded", action="store_true",
                    help="also read each file without evaltools' checks")
    ap.add_argument("--json", type=Path, help="write the figures to this file as well")
    args = ap.parse_args(argv)
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for label, (name, data) in cases(args.big_mb << 20).items():
            path = Path(tmp) / name
            path.write_bytes(data)
            modes = ["guarded"]
            if args.unguarded:
                modes += ["zipfile"] if name.endswith(".zip") else \
                    ["openpyxl-defusedxml", "openpyxl-no-defusedxml"]
            for mode in modes:
                r = probe(path, mode)
                rows.append({"case": label, "file_kb": len(data) / 1024, "mode": mode, **r})
                print(f"{label:62} {len(data) / 1024:8.1f} KB  {mode:22} {r['seconds']:7.3f} s "
                      f"traced {r['traced_mb']:8.1f} MB  rss +{r['rss_growth_mb']:7.1f} MB  "
                      f"{r['outcome'][:110]}", flush=True)
    if args.json:
        args.json.write_text(json.dumps(rows, indent=1))


if __name__ == "__main__":
    main()
