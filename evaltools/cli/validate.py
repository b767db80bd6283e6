"""``evaltools validate``: read, score and pair a session's files and print
what happened to every row, without any analysis."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from .. import fmt
from ..instrument import load_instrument
from ..pair import pair
from ..read import read_responses
from ..read.corrections import CORRECTIONS_FILE, session_folder
from ..read.values import ORDER_WORDS
from ..score import score
from .common import DEFAULT_INSTRUMENT, review_option, table
from .pull import pulled_lines


def _validate(args) -> int:
    """Read, score and pair, then print the row accounting and the match audit."""
    inst = load_instrument(args.instrument)
    r = read_responses(args.files if len(args.files) > 1 else args.files[0], inst, wave=args.wave,
                       session=args.session, registry=args.registry, review=args.review)
    p = pair(score(r, inst))
    # files are numbered so that long export names do not widen every line
    num = {s: f"[{k}]" for k, s in enumerate(r.sources["source"], start=1)}
    print(f"Berkas (files): {len(r.sources)}; baris dibaca {r.n_input_rows}, dipakai {len(r.data)}, "
          f"dikeluarkan {r.n_excluded}")
    print(table(r.sources.assign(berkas=r.sources["source"].map(num),
                                  tanggal=r.sources["date_order"].map(_date_order_words)),
                 ["berkas", "format", "rows", "kept", "excluded", "tanggal", "source"]))
    for s, why in zip(r.sources["source"], r.sources["skipped"]):
        if why:  # a folder or named pipe named like a data file: listed, never opened
            print(f"  {num[s]} dilewati, tidak dibuka (skipped, not opened): {why}")
    _print_assumed_dates(r.ledger, num)
    for line in pulled_lines(r.sources, num):  # provenance of the files evaltools pull fetched
        print(line)
    _print_file_notes(r.sources, num)
    ign = r.sources[r.sources["ignored_columns"] != ""]
    if len(ign):
        # a NIP or OPD column with an unknown title lands here: map it with columns=
        print("\nKolom yang tidak dipakai (ignored columns; petakan dengan columns= bila perlu):")
        for s, cols in zip(ign["source"], ign["ignored_columns"]):
            print(f"  {num[s]} {cols[:300]}{' ...' if len(cols) > 300 else ''}")
    led = r.ledger.assign(source=r.ledger["source"].map(num))
    print("\nCatatan baris per alasan (ledger by reason):")
    print(table(r.ledger_counts(), ["action", "reason", "n"]))
    print("\nCatatan baris (ledger):")
    print(table(led, ["source", "row", "column", "reason", "action", "detail"]))
    a = p.audit.copy()
    for c in ("row_pre", "row_post"):
        a[c] = a[c].map(lambda v: num.get(v.rsplit(":", 1)[0], "") + v.rsplit(":", 1)[-1] if v else "")
    counts = a.assign(match_by=a["match_by"].replace("", "-")).groupby(
        ["status", "match_by"], sort=True).size().rename("n").reset_index()
    print(f"\nPencocokan pre-post (matching): {len(p.matched)} berpasangan")
    print(table(counts, ["status", "match_by", "n"]))
    weak = a[(a["status"] != "matched") | ~a["match_by"].isin(["nip"])]
    print("\nPerlu diperiksa: cocok selain NIP, ambigu, tanpa pasangan (to check):")
    weak = weak.assign(score=weak["score"].map(lambda v: "" if v != v else fmt.num(v, 0)))
    print(table(weak, ["status", "match_by", "score", "nama_pre", "nama_post",
                                              "opd", "row_pre", "row_post", "detail"]))
    _print_unresolved(r.unresolved_opds, session_folder(
        args.files if len(args.files) > 1 else args.files[0]))
    return 0


def _print_file_notes(sources, num: dict) -> None:
    """What was found in each file's headers: the group separator of Kobo or
    ODK paths and what was done with select_multiple columns."""
    lines = []
    for s, sep, notes in zip(sources["source"], sources["group_sep"], sources["notes"]):
        said = ([f"pemisah grup '{sep}' (group separator)"] if sep else []) + ([notes] if notes else [])
        if said:
            lines.append(f"  {num[s]} {'; '.join(said)}")
    if lines:
        print("\nCatatan berkas (file notes):")
        print("\n".join(lines))


def _date_order_words(order: str) -> str:
    """A file's date order in words, Indonesian then English: "hari/bulan/tahun (day/month/year)"."""
    words, words_en = ORDER_WORDS.get(order, (order, order))
    return f"{words} ({words_en})" if words != words_en else words


def _print_assumed_dates(ledger: pd.DataFrame, num: dict) -> None:
    """The files whose dates read both ways (11/5/2024): the order chosen and why."""
    assumed = ledger[ledger["reason"] == "date_order_assumed"].drop_duplicates("source")
    if assumed.empty:
        return
    print("\nUrutan tanggal dipilih, bukan terbaca dari isinya (date order chosen, not read from the "
          "values; 'tanggal' above):")
    for source, text in zip(assumed["source"], assumed["detail"]):
        print(f"  {num[source]} {text}")


def _print_unresolved(unresolved: pd.DataFrame, folder) -> None:
    """The OPD names that are no registry OPD, their candidates, and the
    ``koreksi.csv`` lines that would resolve them for this session."""
    print("\nOPD yang tidak ada di daftar OPD (not in the registry; tidak dihitung per OPD):")
    if unresolved.empty:
        print("  (tidak ada / none)")
        return
    print(table(unresolved.rename(columns={"written": "tertulis", "candidates": "calon (candidates)"}),
                 ["tertulis", "n", "calon (candidates)"]))
    path = Path(folder or ".") / CORRECTIONS_FILE
    print(f"\nPerbaiki untuk sesi ini, tanpa mengubah data/opd.csv: tulis di {path} (baris pertama "
          "'tertulis,opd'; kolom opd = nama, singkatan atau alias di data/opd.csv; periksa calonnya "
          "dulu), lalu jalankan validate lagi. Atau koreksi_opd: di sesi.yaml. Lihat docs/opd.md.\n"
          f"Fix for this session without editing data/opd.csv: write {path} as below (check each "
          "candidate first), then run validate again.")
    print("  tertulis,opd")
    for line in unresolved["koreksi"]:
        print(f"  {line}")


def register(sub) -> None:
    """Add ``validate`` to the parser."""
    v = sub.add_parser("validate", help="periksa berkas tanpa analisis / check files, no analysis")
    v.add_argument("files", nargs="+", help="berkas ekspor atau folder sesi")
    v.add_argument("--instrument", default=DEFAULT_INSTRUMENT)
    v.add_argument("--wave", default=None, choices=["pre", "post", "followup"])
    v.add_argument("--session", default=None)
    v.add_argument("--registry", default=None, help="daftar OPD (default data/opd.csv)")
    review_option(v)
    v.set_defaults(func=_validate)
