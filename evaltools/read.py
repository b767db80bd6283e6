"""Read exported responses into one tidy table, accounting for every row.

``read_responses`` takes a path, a list of paths or a folder and returns a
:class:`Responses`: ``.data`` has one row per kept submission, ``.ledger``
one row per input row that was not kept (action "excluded") and one per
repair made to a kept row (action "repaired"). Input rows = kept + excluded,
always.

This module reads the canonical layout (participant fields + one column per
item id holding the chosen option id), as CSV (any common encoding and
separator) or XLSX. Every value is read as text, so an 18-digit NIP never
becomes a float.
"""

from __future__ import annotations

import csv
import io
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from .errors import EvalToolsError
from .instrument import Instrument

LEDGER_COLUMNS = ["source", "row", "column", "reason", "detail", "action"]
HEADER_ROW = 1  # rows are reported as Excel shows them: the header is row 1

# Header spellings people use for the control columns of the canonical layout.
_CONTROL_ALIASES = {
    "session": ("session", "sesi", "id_sesi", "session_id"),
    "wave": ("wave", "gelombang", "tes", "jenis_tes"),
    "submitted_at": ("submitted_at", "waktu", "timestamp", "waktu_isi", "tanggal_isi"),
}
_WAVE_WORDS = {
    "pre": ("pre", "pretest", "pre_test", "pre-test", "awal", "tes_awal"),
    "post": ("post", "posttest", "post_test", "post-test", "akhir", "tes_akhir"),
    "followup": ("followup", "follow_up", "follow-up", "tindak_lanjut", "lanjutan"),
}
_WAVE_OF = {w: k for k, words in _WAVE_WORDS.items() for w in words}
_NIP_JUNK = re.compile(r"[\s.\-]")


@dataclass
class Responses:
    """What ``read_responses`` returns.

    ``data``: one row per kept submission; ``ledger``: the row accounting;
    ``sources``: one row per file (rows read, kept, excluded, ignored columns).
    """
    data: pd.DataFrame
    ledger: pd.DataFrame
    sources: pd.DataFrame = field(default_factory=pd.DataFrame)

    @property
    def n_input_rows(self) -> int:
        return int(self.sources["rows"].sum()) if len(self.sources) else 0

    @property
    def n_excluded(self) -> int:
        return int((self.ledger["action"] == "excluded").sum())

    def ledger_counts(self) -> pd.DataFrame:
        """Ledger rows counted by action and reason.

        Example:
            >>> r.ledger_counts()  # doctest: +SKIP
        """
        if self.ledger.empty:
            return pd.DataFrame({"action": [], "reason": [], "n": []})
        return (self.ledger.groupby(["action", "reason"], sort=True).size()
                .rename("n").reset_index())


def clean_nip(value: str) -> tuple[str, str | None]:
    """Return (nip, repair reason or None): spaces, dots and dashes removed;
    a value Excel already turned into scientific notation is unrecoverable.

    Example:
        >>> clean_nip("19860926 201505 1 001")
        ('198609262015051001', 'nip_cleaned')
        >>> clean_nip("1.98609262015051E+17")
        ('', 'nip_mangled')
    """
    v = (value or "").strip()
    if not v:
        return "", None
    if re.fullmatch(r"\d([.,]\d+)?[eE]\+?\d+", v):
        return "", "nip_mangled"
    cleaned = _NIP_JUNK.sub("", v)
    if not cleaned.isdigit() or len(cleaned) != 18:
        return cleaned, "nip_invalid"
    return cleaned, ("nip_cleaned" if cleaned != v else None)


def participant_key(nip: str, kode: str) -> str:
    """The identity used for duplicates and matching: the NIP if it has 18
    digits, else the participant code, else empty.

    Example:
        >>> participant_key("198609262015051001", ""), participant_key("", "as2208")
        ('nip:198609262015051001', 'kode:AS2208')
    """
    if nip and len(nip) == 18 and nip.isdigit():
        return f"nip:{nip}"
    if kode:
        return f"kode:{kode.strip().upper()}"
    if nip:
        return f"nip:{nip}"
    return ""


# --- file level -------------------------------------------------------------

def _decode(raw: bytes) -> str:
    if raw.startswith(b"\xef\xbb\xbf"):
        return raw[3:].decode("utf-8")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        # Older Windows tools (and Excel's plain "CSV") write cp1252.
        return raw.decode("cp1252", errors="replace")


def _sniff_separator(text: str) -> tuple[str, str]:
    """Separator from a leading 'sep=X' line, else the candidate that splits
    the header line into the most fields (csv.Sniffer misreads 1-column files)."""
    first, _, rest = text.partition("\n")
    m = re.fullmatch(r'"?sep=(.)"?\r?', first)
    if m:
        return m.group(1), rest
    counts = {}
    for sep in (",", ";", "\t", "|"):
        counts[sep] = len(next(csv.reader([first], delimiter=sep), []))
    return max(counts, key=lambda s: (counts[s], s == ",")), text


def _read_csv(path: Path) -> pd.DataFrame:
    text = _decode(path.read_bytes())
    sep, text = _sniff_separator(text)
    try:
        return pd.read_csv(io.StringIO(text), sep=sep, dtype=str, keep_default_na=False,
                           na_filter=False, skip_blank_lines=False)
    except (pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        raise EvalToolsError(f"berkas CSV tidak dapat dibaca ({exc})", file=path.name,
                             fix="buka berkas di Excel dan simpan ulang sebagai CSV UTF-8",
                             problem_en=f"CSV file cannot be read ({exc})",
                             fix_en="open it in Excel and save again as CSV UTF-8") from None


def _cell_text(v) -> str:
    if v is None:
        return ""
    if isinstance(v, bool):
        return "TRUE" if v else "FALSE"
    if isinstance(v, int):
        return str(v)
    if isinstance(v, float):
        # Whole numbers below 1e15 are exact; larger ones already lost digits
        # in Excel and keep their scientific form so the NIP check sees it.
        return str(int(v)) if v.is_integer() and abs(v) < 1e15 else repr(v)
    if hasattr(v, "isoformat"):
        return v.isoformat(sep=" ") if hasattr(v, "hour") else v.isoformat()
    return str(v)


def _read_xlsx(path: Path) -> pd.DataFrame:
    from openpyxl import load_workbook  # lazy: keeps `import evaltools` fast
    try:
        # data_only=False: a formula is read as its text, never evaluated.
        wb = load_workbook(path, read_only=True, data_only=False)
    except Exception as exc:  # openpyxl raises many types for a bad file
        raise EvalToolsError(f"berkas Excel tidak dapat dibuka ({type(exc).__name__})",
                             file=path.name, fix="buka di Excel lalu simpan ulang sebagai .xlsx",
                             problem_en=f"Excel file cannot be opened ({type(exc).__name__})",
                             fix_en="open it in Excel and save again as .xlsx") from None
    try:
        rows = [[_cell_text(v) for v in r] for r in wb.worksheets[0].iter_rows(values_only=True)]
    finally:
        wb.close()
    if not rows:
        return pd.DataFrame()
    width = max(len(r) for r in rows)
    rows = [r + [""] * (width - len(r)) for r in rows]
    header = [h.strip() for h in rows[0]]
    return pd.DataFrame(rows[1:], columns=header, dtype=str)


def _read_table(path: Path) -> pd.DataFrame:
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        df = _read_xlsx(path)
    elif suffix in (".csv", ".txt", ".tsv"):
        df = _read_csv(path)
    else:
        raise EvalToolsError(f"jenis berkas {suffix or '(tanpa akhiran)'} tidak didukung",
                             file=path.name, fix="simpan sebagai .csv atau .xlsx",
                             problem_en=f"file type {suffix or '(none)'} is not supported",
                             fix_en="save as .csv or .xlsx")
    if df.shape[1] == 0:
        raise EvalToolsError("berkas kosong: tidak ada baris judul kolom", file=path.name,
                             row=HEADER_ROW, fix="ekspor ulang dari alat pengumpul data",
                             problem_en="empty file: no header row",
                             fix_en="export the responses again")
    df = df.fillna("").astype(str)
    # Trailing blank rows are spreadsheet formatting, not input rows.
    filled = (df.apply(lambda s: s.str.strip()) != "").any(axis=1)
    last = filled[filled].index.max() if filled.any() else -1
    return df.iloc[: last + 1].reset_index(drop=True)


def _files(source) -> list[Path]:
    if isinstance(source, (str, os.PathLike)):
        p = Path(source)
        if p.is_dir():
            files = sorted(f for f in p.iterdir()
                           if f.suffix.lower() in (".csv", ".xlsx") and not f.name.startswith((".", "~$")))
            if not files:
                raise EvalToolsError("folder tidak berisi berkas .csv atau .xlsx", file=str(p),
                                     fix="taruh berkas ekspor di folder itu",
                                     problem_en="folder holds no .csv or .xlsx file")
            return files
        return [p]
    return [Path(s) for s in source]


# --- row level --------------------------------------------------------------

def _norm_header(h: str) -> str:
    return re.sub(r"\s+", "_", str(h).strip().lower())


def _map_columns(df: pd.DataFrame, inst: Instrument, columns: dict | None):
    """Rename known headers to canonical ids; return the renamed frame and the
    headers that were ignored."""
    known = {}
    for f in inst.participant_fields:
        known[f.id] = f.id
        known[_norm_header(f.label)] = f.id
        known[_norm_header(f.label_en)] = f.id
    for canon, aliases in _CONTROL_ALIASES.items():
        for a in aliases:
            known[a] = canon
    for i in (*inst.items, *inst.likert_items, *inst.open_items):
        known[i.id] = i.id
    user = {_norm_header(k): v for k, v in (columns or {}).items()}
    rename, ignored, taken = {}, [], {}
    for col in df.columns:
        canon = user.get(_norm_header(col)) or known.get(_norm_header(col))
        if canon is None:
            ignored.append(col)
        elif canon in taken:
            raise EvalToolsError(
                f"dua kolom berarti sama: '{taken[canon]}' dan '{col}' (keduanya {canon})",
                file=None, row=HEADER_ROW, column=col,
                fix="hapus atau ganti nama salah satu kolom",
                problem_en=f"two columns mean the same: '{taken[canon]}' and '{col}' ({canon})",
                fix_en="delete or rename one of them")
        else:
            rename[col] = canon
            taken[canon] = col
    out = df[list(rename)].rename(columns=rename)
    return out, ignored


def _wave_from(text: str) -> str | None:
    tokens = re.split(r"[^a-z0-9]+", text.lower())
    found = {_WAVE_OF[t] for t in tokens if t in _WAVE_OF}
    joined = {_WAVE_OF[a + "_" + b] for a, b in zip(tokens, tokens[1:]) if a + "_" + b in _WAVE_OF}
    found |= joined
    return found.pop() if len(found) == 1 else None


def _read_one(path: Path, inst: Instrument, wave, session, columns, ledger: list) -> tuple:
    raw = _read_table(path)
    try:
        df, ignored = _map_columns(raw, inst, columns)
    except EvalToolsError as exc:
        raise EvalToolsError(exc.problem, file=path.name, row=exc.row, column=exc.column,
                             fix=exc.fix, problem_en=exc.problem_en, fix_en=exc.fix_en) from None
    name = path.name
    n = len(df)
    rows = pd.Series(range(n), dtype="int64") + HEADER_ROW + 1

    missing = [i.id for i in inst.scored_items if i.id not in df.columns]
    if missing:
        raise EvalToolsError(
            f"kolom butir {', '.join(missing)} tidak ada",
            file=name, row=HEADER_ROW, column=missing[0],
            fix=f"tambahkan kolom {missing[0]} (id butir dari instrumen {inst.id}) atau "
                "petakan judul kolomnya dengan columns={'Judul kolom': '" + missing[0] + "'}",
            problem_en=f"item column(s) {', '.join(missing)} missing",
            fix_en=f"add column {missing[0]} or map its header with columns={{...}}")
    if "nip" not in df.columns and "kode_peserta" not in df.columns:
        raise EvalToolsError("tidak ada kolom pengenal peserta (nip atau kode_peserta)",
                             file=name, row=HEADER_ROW,
                             fix="tambahkan kolom nip atau kode_peserta",
                             problem_en="no participant identifier column (nip or kode_peserta)",
                             fix_en="add a nip or kode_peserta column")
    for col in ("session", "wave", "submitted_at", *inst.field_ids):
        if col not in df.columns:
            df[col] = ""
    df = df.apply(lambda s: s.str.strip())

    # wave: from the data, else the argument, else the file name
    file_wave = wave or _wave_from(path.stem)
    w = df["wave"].str.lower().map(lambda v: _WAVE_OF.get(v.replace(" ", "_"), "?" if v else ""))
    if (w == "").any():
        if file_wave is None:
            raise EvalToolsError("gelombang tes (pre/post) tidak diketahui", file=name,
                                 column="wave",
                                 fix="isi kolom wave dengan pre atau post, beri nama berkas "
                                     "yang memuat 'pre'/'post', atau panggil dengan wave='pre'",
                                 problem_en="test wave (pre/post) unknown",
                                 fix_en="fill a wave column, name the file pre/post, or pass wave=")
        w = w.mask(w == "", file_wave)
    df["wave"] = w
    file_session = session or path.parent.name
    df["session"] = df["session"].mask(df["session"] == "", file_session)

    keep = pd.Series(True, index=df.index)

    def exclude(mask, reason, detail, column=""):
        mask = mask & keep
        for r in rows[mask]:
            ledger.append((name, int(r), column, reason, detail, "excluded"))
        keep[mask] = False

    def repair(mask, column, reason, detail):
        for r in rows[mask & keep]:
            ledger.append((name, int(r), column, reason, detail, "repaired"))

    exclude((raw.apply(lambda s: s.str.strip()) == "").all(axis=1), "empty_row", "baris kosong")
    exclude(df["wave"] == "?", "unknown_wave", "isi kolom wave bukan pre/post/followup", "wave")
    if session is not None:
        exclude(df["session"] != session, "unknown_session",
                f"sesi berbeda dari '{session}'", "session")

    nip = df["nip"].map(clean_nip)
    df["nip"] = nip.str[0]
    for reason, detail in (("nip_cleaned", "spasi/titik/tanda hubung dihapus"),
                           ("nip_mangled", "NIP berbentuk notasi ilmiah (digit hilang di Excel); "
                                           "dikosongkan"),
                           ("nip_invalid", "NIP bukan 18 digit; dipakai apa adanya")):
        repair(nip.str[1] == reason, "nip", reason, detail)
    df["kode_peserta"] = df["kode_peserta"].str.upper()
    df["pid"] = [participant_key(a, b) for a, b in zip(df["nip"], df["kode_peserta"])]
    exclude(df["pid"] == "", "no_identifier", "tidak ada NIP maupun kode peserta", "nip")

    for item in inst.items:
        if item.id not in df.columns:
            df[item.id] = ""
            continue
        ans = df[item.id].str.lower()
        if item.type == "multi":
            parts = ans.str.split(r"[\s,;]+", regex=True)
            bad = parts.map(lambda ps: any(p and p not in item.options for p in ps))
            ans = parts.map(lambda ps: " ".join(sorted({p for p in ps if p in item.options})))
        else:
            bad = (ans != "") & ~ans.isin(list(item.options))
            ans = ans.mask(bad, "")
        repair(bad, item.id, "invalid_answer",
               f"jawaban bukan salah satu pilihan ({', '.join(item.options)}); dianggap kosong")
        df[item.id] = ans
    for li in inst.likert_items:
        if li.id not in df.columns:
            df[li.id] = pd.NA
            continue
        val = pd.to_numeric(df[li.id].str.replace(",", ".", regex=False), errors="coerce")
        bad = (df[li.id] != "") & ~val.isin([1, 2, 3, 4, 5])
        repair(bad, li.id, "invalid_likert", "nilai skala bukan 1-5; dianggap kosong")
        df[li.id] = val.where(~bad).astype("Int64")
    for oi in inst.open_items:
        if oi.id not in df.columns:
            df[oi.id] = ""

    df["submitted_at"] = pd.to_datetime(df["submitted_at"], errors="coerce", dayfirst=True,
                                        format="mixed")
    df["source"] = name
    df["row"] = rows.values
    kept = df[keep]
    info = {"source": name, "rows": n, "kept": int(keep.sum()), "excluded": int((~keep).sum()),
            "ignored_columns": ", ".join(ignored)}
    return kept, info


def _drop_duplicates(data: pd.DataFrame, ledger: list) -> pd.DataFrame:
    """Keep each participant's latest submission per session and wave."""
    # undated rows count as earliest; among equals the later row in the file wins
    order = data.assign(_o=range(len(data))).sort_values(
        ["submitted_at", "_o"], kind="stable", na_position="first")
    dup = order.duplicated(["session", "wave", "pid"], keep="last")
    latest = order[~dup].set_index(["session", "wave", "pid"])
    for _, r in order[dup].iterrows():
        winner = latest.loc[(r["session"], r["wave"], r["pid"])]
        ledger.append((r["source"], int(r["row"]), "", "duplicate_submission",
                       f"peserta sama mengisi lagi; dipakai baris {winner['row']} "
                       f"({winner['source']})", "excluded"))
    return order[~dup].sort_values("_o").drop(columns=["_o"])


def read_responses(source, instrument: Instrument, *, wave: str | None = None,
                   session: str | None = None, columns: dict | None = None) -> Responses:
    """Read one or more exported response files.

    ``source`` is a path, a list of paths or a folder. ``wave`` and ``session``
    fill in what the data does not say (else the file name and folder name
    are used). ``columns`` maps other headers to canonical ids.

    Example:
        >>> inst = load_instrument("survey/netralitas-asn-pilkada-2024.yaml")
        >>> r = read_responses("data/sample/loa-janan-2024-11-22", inst)
        >>> r.n_input_rows == len(r.data) + r.n_excluded
        True
    """
    if wave is not None and wave not in _WAVE_WORDS:
        raise EvalToolsError(f"gelombang {wave!r} tidak dikenal", fix="pakai pre, post atau followup",
                             problem_en=f"unknown wave {wave!r}")
    ledger: list = []
    frames, infos = [], []
    for path in _files(source):
        if not path.exists():
            raise EvalToolsError("berkas tidak ditemukan", file=str(path),
                                 fix="periksa nama dan folder berkas",
                                 problem_en="file not found", fix_en="check the file name and folder")
        kept, info = _read_one(path, instrument, wave, session, columns, ledger)
        frames.append(kept)
        infos.append(info)
    data = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()
    before = len(data)
    data = _drop_duplicates(data, ledger).reset_index(drop=True) if before else data
    sources = pd.DataFrame(infos)
    dups = pd.Series([e[0] for e in ledger if e[3] == "duplicate_submission"])
    sources["kept"] = sources["kept"] - sources["source"].map(dups.value_counts()).fillna(0).astype(int)
    sources["excluded"] = sources["rows"] - sources["kept"]
    order = ["session", "wave", "pid", *instrument.field_ids, *instrument.item_ids,
             *[i.id for i in instrument.likert_items], *[i.id for i in instrument.open_items],
             "submitted_at", "source", "row"]
    data = data[order] if len(data) else pd.DataFrame(columns=order)
    led = pd.DataFrame(ledger, columns=LEDGER_COLUMNS)
    led = led.sort_values(["source", "row"], kind="stable").reset_index(drop=True)
    return Responses(data=data, ledger=led, sources=sources)


def read_session_meta(folder) -> dict:
    """Session facts from ``sesi.yaml`` beside the responses, or {} if absent.

    Example:
        >>> read_session_meta("data/sample/loa-janan-2024-11-22")["sintetis"]
        True
    """
    import yaml
    p = Path(folder) / "sesi.yaml"
    if not p.exists():
        return {}
    try:
        meta = yaml.safe_load(p.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as exc:
        raise EvalToolsError(f"sesi.yaml tidak sah ({exc})", file=str(p),
                             fix="perbaiki format YAML", problem_en="invalid sesi.yaml") from None
    if not isinstance(meta, dict):
        raise EvalToolsError("sesi.yaml harus berisi pasangan kunci: nilai", file=str(p),
                             fix="mis. nama: ..., tanggal: 2024-11-22")
    return meta
