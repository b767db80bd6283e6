"""What ``evaltools validate`` puts before everything else, and what it only
counts: "Perlu perhatian" (needs attention: duplicates, NIPs damaged by
Excel, other rows to check, OPDs not in the registry, participants without
a partner), the pairing in one line, and the routine repairs per reason
(every line with ``--semua``). Files appear as their numbers (``[1]``)."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from ..read.corrections import CORRECTIONS_FILE
from ..read.reasons import REASONS
from .common import say
from .screen import shown, wrap

# reasons shown under "Perlu perhatian" by their own block, and the others listed there by reason;
# every other reason is a routine repair, counted
OWN_BLOCK = ("duplicate_submission", "nip_mangled_by_excel", "opd_unknown")
ROUTINE = ("empty_row", "same_submission", "nip_cleaned", "opd_canonical", "opd_fuzzy",
           "opd_corrected", "invalid_choice", "invalid_likert", "short_row")
# downloaded from a server: download it again (from where)
EXPORTED = {"google": "Google Forms", "kobo": "Kobo", "central": "ODK Central",
            "briefcase": "ODK Central/Briefcase"}
LISTED = 10  # rows or people named per group without --semua
MATCH_BY = {"nip": ("NIP", "NIP"), "kode_peserta": ("kode peserta", "participant code"),
            "nama_opd": ("nama+OPD", "name+OPD")}


def rows_text(rows, lang: str, every: bool = False, hint: bool = True) -> str:
    """Excel row numbers in one phrase, the first ``LISTED`` unless ``every``.

    Example:
        >>> rows_text([4, 26, 30], "id")
        'baris 4, 26, 30'
        >>> rows_text(range(2, 20), "en")
        'rows 2, 3, 4, 5, 6, 7, 8, 9, 10, 11 and 8 more (--all)'
    """
    rows = [str(r) for r in rows]
    more = 0 if every or len(rows) <= LISTED else len(rows) - LISTED
    text = say(lang, "baris ", "row " if len(rows) == 1 else "rows ") + ", ".join(rows[:len(rows) - more])
    if not more:
        return text
    return text + say(lang, f" dan {more} lainnya", f" and {more} more") + (
        say(lang, " (--semua)", " (--all)") if hint else "")


def _by_file(ledger: pd.DataFrame, reason: str, num: dict):
    """(number, the file's ledger lines of ``reason``) per file, in the files' order."""
    part = ledger[ledger["reason"] == reason]
    order = {s: k for k, s in enumerate(num)}
    for src in sorted(part["source"].unique(), key=lambda s: order.get(s, len(order))):
        yield num.get(src, "[?]"), part[part["source"] == src]


def _duplicates(r, num: dict, lang: str, every: bool) -> list:
    """One line per duplicate: who, the row left out, the row used."""
    part = r.ledger[r.ledger["reason"] == "duplicate_submission"]
    if part.empty:
        return []
    order = {s: k for k, s in enumerate(num)}
    part = part.assign(_k=part["source"].map(order)).sort_values(["_k", "row"], kind="stable")
    names = dict(zip(zip(r.data["source"], r.data["row"]), r.data["nama"].fillna(""))) \
        if {"source", "row", "nama"} <= set(r.data.columns) else {}
    lines = [wrap(say(lang, f"Kiriman ganda ({len(part)}): orang yang sama mengirim lebih dari sekali "
                            "di gelombang yang sama; kiriman terakhir dipakai. Periksa bahwa itu "
                            "memang orang yang sama.",
                      f"Duplicates ({len(part)}): the same person submitted more than once in one "
                      "wave; the latest is used. Check that they are the same person."), "- ", "  ")]
    shown_rows = part if every else part.head(LISTED)
    for src, row, text in zip(shown_rows["source"], shown_rows["row"], shown_rows["detail"]):
        used = re.search(r"baris (\d+)", text)
        kept = int(used.group(1)) if used else None
        who = names.get((src, kept), "") or say(lang, "(tanpa nama)", "(no name)")
        lines.append(wrap(say(lang, f"{who}: baris {row} dikeluarkan, baris {kept} dipakai",
                              f"{who}: row {row} left out, row {kept} used"),
                          f"    {num.get(src, '[?]')} "))
    if len(part) > len(shown_rows):
        lines.append(say(lang, f"    ... dan {len(part) - len(shown_rows)} lainnya (--semua)",
                         f"    ... and {len(part) - len(shown_rows)} more (--all)"))
    return lines


def _damaged_nips(r, num: dict, lang: str, every: bool) -> list:
    """One line per file: how many NIPs Excel damaged, their rows, and what to do."""
    part = r.ledger[r.ledger["reason"] == "nip_mangled_by_excel"]
    if part.empty:
        return []
    formats = dict(zip(r.sources["source"], r.sources["format"]))
    lines = [wrap(say(lang, f"NIP rusak oleh Excel ({len(part)}): ditulis 1,98E+17 atau digit akhirnya "
                            "jadi 000; dikosongkan, peserta itu dicocokkan lewat kode atau nama.",
                      f"NIPs damaged by Excel ({len(part)}): written 1.98E+17 or ending in 000; "
                      "emptied, those participants matched by code or name instead."), "- ", "  ")]
    for no, rows in _by_file(r.ledger, "nip_mangled_by_excel", num):
        src = rows["source"].iloc[0]
        if formats.get(src) in EXPORTED:
            tool = EXPORTED[formats[src]]
            advice = say(lang, f"berkas ini pernah dibuka dan disimpan di Excel: unduh ulang dari "
                               f"{tool} dan pakai unduhan itu langsung, tanpa membuka dan "
                               "menyimpannya di Excel.",
                         f"this file was opened and saved in Excel: download it again from {tool} "
                         "and use that download as it is, without opening and saving it in Excel.")
        else:
            advice = say(lang, "ketik ulang NIP itu sebagai teks (format sel Text, atau awali dengan "
                               "tanda ') lalu simpan.",
                         "type those NIPs again as text (cell format Text, or start with ') and "
                         "save.")
            if formats.get(src) != "template":  # a sheet: typed, or a download saved by Excel
                advice = say(lang, "bila berkas ini unduhan dari server, unduh ulang dan pakai "
                                   "langsung tanpa membuka dan menyimpannya di Excel; bila diketik, ",
                             "if this file was downloaded from a server, download it again and use "
                             "it without opening and saving it in Excel; if it was typed, ") + advice
        lines.append(wrap(f"{len(rows)} NIP ({rows_text(rows['row'], lang, every, hint=False)}): {advice}",
                          f"    {no} "))
    return lines


def _other_rows(ledger: pd.DataFrame, num: dict, lang: str, every: bool) -> list:
    """The other reasons worth a look (excluded, flagged, a NIP not 18 digits,
    an answer outside the options), per reason and file."""
    lines = []
    for reason in REASONS:
        if reason in OWN_BLOCK or reason in ROUTINE or not (ledger["reason"] == reason).any():
            continue
        meaning = REASONS[reason].meaning_en if lang == "en" else REASONS[reason].meaning
        n = int((ledger["reason"] == reason).sum())
        action = {"excluded": say(lang, "dikeluarkan", "excluded"),
                  "flagged": say(lang, "dipakai, ditandai", "kept, flagged"),
                  "repaired": say(lang, "dipakai, diperbaiki", "kept, repaired")}[REASONS[reason].action]
        lines.append(wrap(f"{meaning[0].upper()}{meaning[1:]} ({n}; {action}).", "- ", "  "))
        for no, rows in _by_file(ledger, reason, num):
            if reason == "date_order_assumed":  # once per file: the order chosen and why
                lines.append(wrap(rows["detail"].iloc[0], f"    {no} "))
                continue
            lines.append(wrap(rows_text(rows["row"], lang, every), f"    {no} "))
    return lines


def _unresolved(unresolved: pd.DataFrame, folder, lang: str) -> list:
    """The OPD names that are no registry OPD, their candidates, and the
    ``koreksi.csv`` lines that would resolve them for this session."""
    if unresolved.empty:
        return []
    n = int(unresolved["n"].sum())
    lines = [wrap(say(lang, f"OPD yang tidak ada di daftar OPD ({len(unresolved)} nama, {n} baris): tidak "
                            "dihitung per OPD sampai dibetulkan.",
                      f"OPDs not in the registry ({len(unresolved)} names, {n} rows): left out of the "
                      "per-OPD tables until corrected."), "- ", "  ")]
    for written, k, cands in zip(unresolved["written"], unresolved["n"], unresolved["candidates"]):
        cands = cands or say(lang, "tidak ada calon", "no candidate")
        lines.append(wrap(say(lang, f"'{written}' ({k} baris); calon: {cands}",
                              f"'{written}' ({k} rows); candidates: {cands}"), "    "))
    path = shown(Path(folder or ".") / CORRECTIONS_FILE)
    lines.append(wrap(say(lang, f"Perbaiki untuk sesi ini, tanpa mengubah data/opd.csv: tulis {path} "
                                "seperti di bawah (kolom opd = nama, singkatan atau alias di "
                                "data/opd.csv; periksa calonnya dulu), lalu jalankan validate lagi. "
                                "Atau koreksi_opd: di sesi.yaml. Lihat docs/opd.md.",
                          f"Fix it for this session without editing data/opd.csv: write {path} as "
                          "below (the opd column: a name, short name or alias in data/opd.csv; check "
                          "each candidate first), then run validate again. Or koreksi_opd: in "
                          "sesi.yaml. See docs/opd.md."), "    "))
    lines.append("      tertulis,opd")
    lines.extend(wrap(line, "      ", "        ") for line in unresolved["koreksi"])
    return lines


def _where(text: str, num: dict, lang: str) -> str:
    """"pre.csv:25" as "[1] baris 25"."""
    src, _, row = text.rpartition(":")
    return f"{num.get(src, src)} {say(lang, 'baris', 'row')} {row}"


def _unpaired(audit: pd.DataFrame, num: dict, lang: str, every: bool) -> list:
    """The participants without a partner, the ambiguous ones and the pairs
    made on a name that is only close."""
    alone = audit[audit["status"] != "matched"]
    alone = alone.assign(_who=(alone["nama_pre"].fillna("") + alone["nama_post"].fillna("")).str.lower())
    alone = alone.sort_values(["_who", "status"], kind="stable")  # one person's pre and post together
    close = audit[(audit["status"] == "matched") & (audit["match_by"] == "nama_opd")
                  & (audit["score"].fillna(100) < 100)]
    lines = []
    if len(alone):
        lines.append(wrap(say(lang, f"Peserta tanpa pasangan ({len(alone)}): tidak masuk perbandingan "
                                    "pre-post; periksa NIP, kode atau nama di kedua berkas.",
                              f"Participants without a partner ({len(alone)}): left out of the "
                              "pre-post comparison; check the NIP, code or name in both files."),
                          "- ", "  "))
    for row in (alone if every else alone.head(2 * LISTED)).itertuples(index=False):
        who = row.nama_pre or row.nama_post or say(lang, "(tanpa nama)", "(no name)")
        side = {"no_post": say(lang, "hanya pre", "pre only"),
                "no_pre": say(lang, "hanya post", "post only")}.get(row.status, row.status)
        where = _where(row.row_pre or row.row_post, num, lang) if (row.row_pre or row.row_post) else ""
        extra = f"; {row.detail}" if row.detail else ""
        lines.append(wrap(f"{who}, {row.opd or '-'}: {side} ({where}){extra}", "    "))
    if not every and len(alone) > 2 * LISTED:
        lines.append(say(lang, f"    ... dan {len(alone) - 2 * LISTED} lainnya (--semua)",
                         f"    ... and {len(alone) - 2 * LISTED} more (--all)"))
    if len(close):
        lines.append(wrap(say(lang, f"Dipasangkan lewat nama yang mirip, bukan sama ({len(close)}): "
                                    "periksa bahwa itu orang yang sama.",
                              f"Paired on a name that is close, not the same ({len(close)}): check "
                              "that they are the same person."), "- ", "  "))
        for row in close.itertuples(index=False):
            lines.append(wrap(f"'{row.nama_pre}' ({_where(row.row_pre, num, lang)}) ~ '{row.nama_post}' "
                              f"({_where(row.row_post, num, lang)}), {row.opd}: "
                              f"{say(lang, 'kemiripan', 'similarity')} {row.score:.0f}", "    "))
    return lines


def _waves(r) -> set:
    """The waves of the kept rows."""
    return set(r.data["wave"].astype(str)) if "wave" in r.data.columns else set()


def attention(r, p, num: dict, folder, lang: str, every: bool = False) -> str:
    """The "Perlu perhatian" block: what the evaluator should look at or fix
    before the report, most important first; one line when there is nothing."""
    paired = {"pre", "post"} <= _waves(r)  # one wave alone: nobody has a partner, nothing to say
    blocks = [_duplicates(r, num, lang, every), _damaged_nips(r, num, lang, every),
              _unresolved(r.unresolved_opds, folder, lang),
              _unpaired(p.audit, num, lang, every) if paired else [],
              _other_rows(r.ledger, num, lang, every)]
    lines = [line for block in blocks for line in block]
    head = say(lang, "Perlu perhatian:", "Needs attention:")
    if not lines:
        return head + " " + say(lang, "tidak ada.", "nothing.")
    return "\n".join([head, *lines])


def pairing(r, p, num: dict, lang: str, every: bool = False) -> str:
    """The pairing in one line (how many pairs, by which key, how many
    alone); with ``every`` each pair made on something else than the NIP."""
    waves = _waves(r)
    if not {"pre", "post"} <= waves:
        return wrap(say(lang, f"Pencocokan pre-post: tidak ada (gelombang: {', '.join(sorted(waves)) or '-'}).",
                        f"Pre-post pairing: none (waves: {', '.join(sorted(waves)) or '-'})."))
    a = p.audit
    by = a[a["status"] == "matched"]["match_by"].value_counts()
    keys = ", ".join(f"{MATCH_BY.get(k, (k, k))[lang == 'en']} {n}" for k, n in by.items())
    alone = a[a["status"] != "matched"]["status"].value_counts()
    words = {"no_post": say(lang, "hanya pre", "pre only"), "no_pre": say(lang, "hanya post", "post only")}
    rest = ", ".join(f"{n} {words.get(k, k)}" for k, n in alone.items())
    lines = [wrap(say(lang, f"Pencocokan pre-post: {len(p.matched)} berpasangan ({keys or '-'})",
                      f"Pre-post pairing: {len(p.matched)} pairs ({keys or '-'})") + ".", "", "  ")]
    if rest:
        lines.append(wrap(say(lang, "tanpa pasangan: ", "without a partner: ") + rest + ".", "  "))
    if every:
        other = a[(a["status"] == "matched") & (a["match_by"] != "nip")]
        for row in other.itertuples(index=False):
            how = MATCH_BY.get(row.match_by, (row.match_by, row.match_by))[lang == "en"]
            lines.append(wrap(f"{how}: {row.nama_pre or row.nama_post} ({_where(row.row_pre, num, lang)}"
                              f"; {_where(row.row_post, num, lang)}), {row.opd}", "  "))
    return "\n".join(lines)


def routine(ledger: pd.DataFrame, num: dict, lang: str, every: bool = False) -> str:
    """The routine repairs as a count per reason; with ``every`` the ledger's
    every line below its reason (all reasons)."""
    counts = ledger["reason"].value_counts()
    routine_counts = [(reason, int(counts[reason])) for reason in ROUTINE if reason in counts]
    head = say(lang, "Dibetulkan otomatis, tidak perlu tindakan:", "Repaired automatically, no "
               "action needed:")
    lines = [head + (" " + say(lang, "tidak ada.", "none.") if not routine_counts else "")]
    width = max((len(str(n)) for _, n in routine_counts), default=1)
    for reason, n in routine_counts:
        meaning = REASONS[reason].meaning_en if lang == "en" else REASONS[reason].meaning
        lines.append(wrap(meaning, f"  {str(n).rjust(width)}  "))
    if not every:
        if len(ledger):
            lines.append(wrap(say(lang, "Tiap baris: evaltools validate ... --semua",
                                  "Every line: evaltools validate ... --all"), "  "))
        return "\n".join(lines)
    lines += ["", say(lang, "Semua catatan baris, per alasan:", "Every ledger line, by reason:")]
    for reason in [r for r in REASONS if r in counts]:
        meaning = REASONS[reason].meaning_en if lang == "en" else REASONS[reason].meaning
        lines.append(wrap(f"{reason} ({int(counts[reason])}): {meaning}", "- ", "  "))
        for no, part in _by_file(ledger, reason, num):
            texts = [_detail(reason, t, num, lang) for t in part["detail"]]
            plain = [(row, col) for row, col, t in zip(part["row"], part["column"], texts) if not t]
            if plain:  # the reason says it all: the rows in one line, with their column(s)
                cols = ", ".join(dict.fromkeys(c for _, c in plain if c))
                lines.append(wrap(rows_text([r for r, _ in plain], lang, every=True)
                                  + (f" ({cols})" if cols else ""), f"    {no} ", "      "))
            for row, col, text in zip(part["row"], part["column"], texts):
                if text:
                    where = f"{say(lang, 'baris', 'row')} {row}" + (f", {col}" if col else "")
                    lines.append(wrap(f"{where}: {text}", f"    {no} ", "      "))
    return "\n".join(lines)


def _detail(reason: str, text: str, num: dict, lang: str) -> str:
    """A ledger line's detail beyond its reason's meaning ("" when the
    reason says it all), file names as their numbers; in English only what
    needs no translation (the quoted names, the row kept), since the ledger
    writes Indonesian.

    Example:
        >>> _detail("duplicate_submission", "peserta sama mengisi lagi; dipakai baris 8 (pre.csv)",
        ...         {"pre.csv": "[1]"}, "en")
        'row 8 used ([1])'
    """
    if "{" not in REASONS[reason].detail:
        return ""
    for src, no in num.items():
        text = text.replace(f"({src})", f"({no})")
    if lang != "en":
        return text
    used = re.search(r"baris (\d+) (\(\[\d+\]\))", text)
    if used:
        return f"row {used.group(1)} used {used.group(2)}" if reason == "duplicate_submission" \
            else f"also row {used.group(1)} {used.group(2)}"
    return " ".join(re.findall(r"'[^']*'(?: -> '[^']*')?", text))
