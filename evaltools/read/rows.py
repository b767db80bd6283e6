"""Row level: every input row is kept or ledgered, repairs are ledgered too.

Runs on a table already in canonical columns (see ``formats``)."""

from __future__ import annotations

import re

import numpy as np

import pandas as pd

from ..errors import EvalToolsError
from ..instrument import Instrument
from . import formats
from .files import Table, factorize_rows, spread
from .opd import OpdResolver

_NIP_JUNK = re.compile(r"[\s.\-\u2013\u2014_/]")  # spaces, dots, hyphens, en/em dashes
_NIP_LABEL = re.compile(r"^(?:nip|ni\s*pppk|nrp)(?:\s*/\s*ni\s*pppk)?\s*[.:]?\s*", re.I)
# digits are ASCII 0-9 only: Arabic-Indic, fullwidth or superscript digits are no NIP
_SCIENTIFIC = re.compile(r"[0-9]([.,][0-9]+)?[eE]\+?[0-9]+")
# a number that went through a float: an 18-digit NIP keeps 18 or more digits
# before the point ("198609262015051008.0"); fewer is a typed dot
# ("198609262015051.001"), removed like a space
_FLOAT = re.compile(r"[0-9]{18,}[.,][0-9]+")
NIP_PATTERN = r"[0-9]{18}"  # a usable NIP, for Python's re and pandas/Arrow alike
_NIP = re.compile(NIP_PATTERN)
_JUDGED = re.compile(r"[0-9]{15}")  # the digits nip_problem judges


def clean_nip(value: str) -> tuple[str, str | None]:
    """Return (nip, repair reason or None): surrounding spaces, a leading
    apostrophe (Excel's "treat as text"), a "NIP." label, and spaces, dots,
    hyphens and dashes inside removed. A NIP that Excel or a
    float already damaged (scientific notation, a float's decimals, or 18
    digits ending in 000: the sequence number starts at 001) is unrecoverable:
    it is emptied and never used to match.

    Example:
        >>> clean_nip("19860926 201505 1 001")
        ('198609262015051001', 'nip_cleaned')
        >>> clean_nip("1.98609262015051E+17")
        ('', 'nip_mangled_by_excel')
        >>> clean_nip("NIP. 19860926–201505–1–001")
        ('198609262015051001', 'nip_cleaned')
    """
    v = (value or "").strip()
    if not v:
        return "", None
    raw = _NIP_LABEL.sub("", v.lstrip("'’`").strip())
    if _SCIENTIFIC.fullmatch(raw) or _FLOAT.fullmatch(raw):
        return "", "nip_mangled_by_excel"
    cleaned = _NIP_JUNK.sub("", raw)
    if not _NIP.fullmatch(cleaned):
        return cleaned, "nip_invalid"
    if cleaned.endswith("000"):
        return "", "nip_mangled_by_excel"
    return cleaned, ("nip_cleaned" if cleaned != value else None)


def nip_problem(nip: str, kind: str = "") -> str | None:
    """Why an 18-digit NIP cannot be right, or None. Checks the birth date
    (digits 1-8), the appointment year (digits 9-12: at 17 or older, not in
    the future) and the sex digit (15th: 1 or 2), which PNS NIPs and NI PPPK
    share. Digits 13-14 are the appointment month only for a PNS (``kind``
    "pns"); a NI PPPK uses them otherwise, so they are judged only then.

    Only digits 1-15 are read (the reader passes just those); text that does
    not start with 15 ASCII digits is itself the problem.

    Example:
        >>> nip_problem("198609262015051001") is None
        True
        >>> nip_problem("198613262015051001")
        'tanggal lahir 1986-13-26 tidak mungkin'
        >>> nip_problem("198609262015131001", "pns"), nip_problem("198609262015131001", "pppk")
        ('bulan pengangkatan 13 tidak mungkin', None)
    """
    from datetime import date
    if not _JUDGED.match(nip):
        return "NIP bukan 18 angka 0-9"
    y, m, d = int(nip[:4]), int(nip[4:6]), int(nip[6:8])
    try:
        born = date(y, m, d)
    except ValueError:
        return f"tanggal lahir {nip[:4]}-{nip[4:6]}-{nip[6:8]} tidak mungkin"
    if not 1940 <= born.year <= 2010:
        return f"tahun lahir {born.year} tidak masuk akal"
    hired = int(nip[8:12])
    if not born.year + 17 <= hired <= date.today().year:
        return f"tahun pengangkatan {hired} tidak masuk akal (lahir {born.year})"
    if kind == "pns" and not 1 <= int(nip[12:14]) <= 12:
        return f"bulan pengangkatan {nip[12:14]} tidak mungkin"
    if nip[14] not in "12":
        return f"digit jenis kelamin (ke-15) '{nip[14]}' bukan 1 atau 2"
    return None


_TITLES = {"dr", "drs", "dra", "h", "hj", "ir", "prof", "ns", "st", "kh", "apt", "bpk", "ibu",
           "bapak", "sdr", "sdri"}
_MUHAMMAD = {"m", "muh", "moh", "mhd", "moch", "much", "muhamad", "mohammad", "mohamad",
             "mochammad", "muhammad"}


# Academic degrees as written after a name (letters only, lower case)
_DEGREES = {"spd", "spdi", "spdsd", "mpd", "se", "mm", "sh", "mh", "ssos", "msi", "ssi", "skom",
            "mkom", "st", "mt", "sip", "sap", "map", "skep", "ns", "amd", "amdkep", "amdkeb",
            "amdkom", "amdak", "amk", "amkg", "skm", "mkes", "sked", "sag", "mag", "shut", "sp",
            "spt", "spsi", "sfarm", "apt", "lc", "ma", "sstp", "stp", "mak", "sak", "str", "ama",
            "msc", "phd", "bsc", "mba", "ssit", "sgz", "stra", "sti", "se", "ak", "mtr"}


def _drop_degrees(text: str) -> str:
    """Degrees written without a comma ("Sri Wahyuni S.Pd", "Dewi Lestari SE"):
    a later word that is a degree and is written like one (dots or capitals)."""
    words = text.split()
    keep, i = words[:1], 1
    while i < len(words):
        w = words[i]
        pair = "".join(c for c in w + (words[i + 1] if i + 1 < len(words) else "") if c.isalpha())
        if len(w.strip(".")) == 1 and pair.lower() in _DEGREES and "." in w:  # "S. Pd"
            i += 2
            continue
        letters = "".join(c for c in w if c.isalpha())
        if letters.lower() in _DEGREES and ("." in w or (letters.isupper() and len(letters) > 1)):
            i += 1
            continue
        keep.append(w)
        i += 1
    return " ".join(keep)


def norm_name(name: str) -> str:
    """A person's name compared loosely: degrees (after a comma or not),
    honorifics and titles before the name dropped; "M." / "Moh." written as
    Muhammad.

    Example:
        >>> norm_name("Hj. Siti Rahmawati, S.Pd., M.Si.")
        'siti rahmawati'
        >>> norm_name("M. Rizki"), norm_name("Nurul Hidayah Amd.Kep"), norm_name("Dewi Lestari SE")
        ('muhammad rizki', 'nurul hidayah', 'dewi lestari')
    """
    head = _drop_degrees(str(name).split(",")[0])
    words = formats.norm_text(head).split()
    while words and words[0] in _TITLES and len(words) > 1:
        words = words[1:]
    return " ".join("muhammad" if w in _MUHAMMAD else w for w in words)


OTHER_WORDS = {"lainnya", "lainnya tulis", "lain lain", "other", "other specify"}


_ASCII_UPPER = str.maketrans("abcdefghijklmnopqrstuvwxyz", "ABCDEFGHIJKLMNOPQRSTUVWXYZ")


def upper_code(code: str) -> str:
    """A participant code as compared: surrounding spaces removed, a-z
    upper-cased and nothing else (Python and Arrow upper-case other letters
    differently: 'ß' is 'SS' in one, 'ẞ' in the other; a code is ASCII anyway).

    Example:
        >>> upper_code(" as2208 "), upper_code("ß1")
        ('AS2208', 'ß1')
    """
    return code.strip().translate(_ASCII_UPPER)


def upper_codes(codes: pd.Series) -> pd.Series:
    """``upper_code`` for a whole column (Arrow's upper-casing where a cell is
    ASCII, where both agree; the rare other cells once per distinct value)."""
    codes = codes.fillna("").astype("str").str.strip()
    out = codes.str.upper()
    other = ~codes.str.isascii()
    if other.any():
        out[other] = formats.map_unique(codes[other], upper_code, dtype="str")
    return out


def participant_key(nip: str, kode: str, nama: str = "", opd: str = "") -> str:
    """The identity used for duplicates and matching: the NIP if it is 18
    ASCII digits, else the participant code (``upper_code``; a blank code is
    no code), else a NIP of another shape as written, else the name within
    the OPD. ``participant_keys`` gives the same for whole columns.

    Example:
        >>> participant_key("198609262015051001", ""), participant_key("", "as2208")
        ('nip:198609262015051001', 'kode:AS2208')
        >>> participant_key("", "", "Drs. Ahmad Yani", "Kecamatan Loa Janan")
        'nama:ahmad yani|kecamatan loa janan'
    """
    nip, kode = (nip or "").strip(), upper_code(kode or "")
    if _NIP.fullmatch(nip):
        return f"nip:{nip}"
    if kode:
        return f"kode:{kode}"
    if nip:
        return f"nip:{nip}"
    name = norm_name(nama or "")
    if name:
        return f"nama:{name}|{formats.norm_text(opd or '')}"
    return ""


def participant_keys(nip, kode, nama, opd) -> pd.Series:
    """``participant_key`` for whole columns at once (names and OPDs are
    normalised once per distinct value).

    Example:
        >>> participant_keys(pd.Series(["198609262015051001", ""]), pd.Series(["", "as2208"]),
        ...                  pd.Series(["A", "B"]), pd.Series(["X", "Y"])).tolist()
        ['nip:198609262015051001', 'kode:AS2208']
    """
    nip, kode = nip.fillna("").astype("str").str.strip(), upper_codes(kode)
    full = nip.str.fullmatch(NIP_PATTERN)
    # names are normalised only where neither a NIP nor a code identifies the person
    need = ~full & (kode == "") & (nip == "")
    name = pd.Series("", index=nip.index, dtype="str")
    unit = pd.Series("", index=nip.index, dtype="str")
    if need.any():
        name[need] = formats.map_unique(nama[need].fillna(""), norm_name)
        unit[need] = formats.map_unique(opd[need].fillna(""), formats.norm_text)
    # the first rule that holds wins: applied from the last to the first
    keys = pd.Series("", index=nip.index, dtype="str")
    keys = keys.mask(name != "", "nama:" + name + "|" + unit)
    keys = keys.mask(nip != "", "nip:" + nip)
    keys = keys.mask(kode != "", "kode:" + kode)
    return keys.mask(full, "nip:" + nip)


def read_one(table: Table, inst: Instrument, wave, session, columns, ledger: list,
             opds: OpdResolver, anonymous: bool = False,
             fmt: str | None = None, progress=None) -> tuple[pd.DataFrame, dict]:
    """Canonical rows of one file that are kept, and the file's accounting.
    ``anonymous``: rows need no identifier (each row is its own participant).
    ``table.df`` is emptied once its text is taken (memory). ``progress``, if
    given, is called with the share of the work (0 to 1) each step took."""
    steps = 7 + len(inst.items) + len(inst.likert_items)

    def step():
        if progress is not None:
            progress(1 / steps)
    forced = fmt
    fmt = fmt or formats.detect_format(table)
    df, ignored = formats.map_columns(table, inst, columns, fmt)
    table, df = formats.labels_row(table, df, inst, columns, fmt)  # the entry template's row 2
    fmt = forced or formats.detect_format(table)
    raw = table.df
    name = table.name
    n = len(df)
    rows = pd.Series(range(n), dtype="int64") + table.first_row

    missing = [i.id for i in inst.scored_items if i.id not in df.columns]
    others = [s for s in table.meta.get("sheets", [])[1:]]
    if missing and others:  # the answers may be on another sheet
        first = table.meta["sheets"][0]
        raise EvalToolsError(
            f"lembar pertama '{first}' tidak berisi kolom butir ({', '.join(missing[:3])}, ...)",
            file=name, row=table.header_row,
            fix=f"pindahkan lembar jawaban (lembar lain: {', '.join(others)}) ke urutan pertama, "
                "atau simpan lembar itu sendiri sebagai .xlsx/.csv",
            problem_en=f"the first sheet '{first}' holds no item columns",
            fix_en=f"move the answer sheet (others: {', '.join(others)}) to the front, or save it alone")
    if missing:
        raise EvalToolsError(
            f"kolom butir {', '.join(missing)} tidak ada",
            file=name, row=table.header_row, column=missing[0],
            fix=f"tambahkan kolom {missing[0]} (id butir dari instrumen {inst.id}) atau "
                "petakan judul kolomnya dengan columns={'Judul kolom': '" + missing[0] + "'}",
            problem_en=f"item column(s) {', '.join(missing)} missing",
            fix_en=f"add column {missing[0]} or map its header with columns={{...}}")
    if not anonymous and not {"nip", "kode_peserta", "nama"} & set(df.columns):
        raise EvalToolsError("tidak ada kolom pengenal peserta (nip, kode_peserta atau nama)",
                             file=name, row=table.header_row,
                             fix="tambahkan kolom nip, kode_peserta atau nama, atau petakan "
                                 "judul kolomnya dengan columns={'Judul kolom': 'nip'}",
                             problem_en="no participant identifier column (nip, kode_peserta or nama)",
                             fix_en="add a nip, kode_peserta or nama column")
    for col in ("session", "wave", "submitted_at", "submission_id", "submission_no",
                "export_index", "instrument",
                "instrument_version", "opd_lainnya", *inst.field_ids):
        if col not in df.columns:
            df[col] = ""
    raw_nip = df["nip"]  # before trimming: a trimmed NIP is a ledgered repair
    df = formats.strip_cells(df)

    step()
    stamp = formats.stamp_from(table)
    for col in ("instrument", "instrument_version"):
        if stamp.get(col):
            df[col] = df[col].mask(df[col] == "", stamp[col])

    # wave: from the data, else the argument, else the form's stamp or the file name
    file_wave = wave or stamp.get("wave") or formats.wave_from_name(table.path.stem) \
        or formats.wave_from_name(table.meta.get("member", ""))
    w = pd.Series(formats.map_unique(df["wave"].str.lower(), lambda v: formats.WAVE_OF.get(
        v.replace(" ", "_"), "?" if v else ""), dtype="str"), index=df.index)
    if (w == "").any():
        if not file_wave:
            raise EvalToolsError("gelombang tes (pre/post) tidak diketahui", file=name,
                                 column="wave",
                                 fix="isi kolom wave dengan pre atau post, beri nama berkas "
                                     "yang memuat 'pre'/'post', atau panggil dengan wave='pre'",
                                 problem_en="test wave (pre/post) unknown",
                                 fix_en="fill a wave column, name the file pre/post, or pass wave=")
        w = w.mask(w == "", file_wave)
    df["wave"] = w
    # session: the argument, the data, the stamp, a file or folder named as a
    # session id; never a folder that merely holds the file ("Downloads")
    file_session = session or stamp.get("session") or formats.session_from_name(table.path.stem) \
        or formats.session_from_name(table.path.parent.name)
    df["session"] = df["session"].mask(df["session"] == "", file_session or "")

    keep = pd.Series(True, index=df.index)

    def exclude(mask, reason, detail, column=""):
        mask = mask & keep
        for r in rows[mask]:
            ledger.append((name, int(r), column, reason, detail, "excluded"))
        keep[mask] = False

    notes = []  # repairs and flags, kept for the rows still kept at the end

    def repair(mask, column, reason, detail, action="repaired"):
        for r in rows[mask & keep]:
            notes.append((name, int(r), column, reason, detail, action))

    blank = table.blank if table.blank is not None else (formats.strip_cells(raw) == "").all(axis=1)
    exclude(blank, "empty_row", "baris kosong")
    # the file's text is not read again: emptied here, each column is freed as soon as
    # its parsed values replace it below (a large file is never held twice)
    table.df = pd.DataFrame(columns=raw.columns)
    del raw
    if table.meta.get("overflow"):
        exclude(pd.Series(table.meta["overflow"], index=df.index), "extra_cells",
                "baris berisi lebih banyak sel daripada judul kolom (mis. koma di dalam nama "
                "tanpa tanda kutip): isinya bergeser, tidak dapat dipakai")
    wrong = formats.check_instrument(df["instrument"], df["instrument_version"], inst, table,
                                     rows, keep)
    exclude(wrong, "wrong_instrument",
            f"dibuat dengan formulir versi lain (bukan {inst.id} v{inst.version})", "instrument_version")
    exclude(df["wave"] == "?", "unknown_wave", "isi kolom wave bukan pre/post/followup", "wave")
    if (keep & (df["session"] == "")).any():
        raise EvalToolsError(
            "sesi tidak diketahui", file=name, column="session",
            fix="panggil dengan session='loa-janan-2024-11-22', isi kolom session, atau taruh "
                "berkas di folder bernama id sesi (nama-tempat-yyyy-mm-dd)",
            problem_en="session unknown",
            fix_en="pass session=..., fill a session column, or put the file in a folder named "
                   "after the session (place-yyyy-mm-dd)")
    if session is not None:
        exclude(df["session"] != session, "unknown_session", f"sesi berbeda dari '{session}'",
                "session")

    step()
    # an 18-digit NIP not ending in 000 is already clean: only the others are looked at
    plain = raw_nip.str.fullmatch(NIP_PATTERN) & ~raw_nip.str.endswith("000")
    why_nip = pd.Series(None, index=df.index, dtype="str")
    df["nip"] = raw_nip
    if not plain.all():
        nip, why = formats.map_unique(raw_nip[~plain], clean_nip, pair=True, dtype="str")
        df.loc[~plain, "nip"] = nip
        why_nip[~plain] = why
    for reason, detail in (("nip_cleaned", "spasi/titik/tanda hubung/apostrof/label 'NIP' dihapus"),
                           ("nip_mangled_by_excel", "NIP rusak oleh Excel (notasi ilmiah atau "
                            "digit akhir jadi 0); dikosongkan, tidak dipakai untuk mencocokkan"),
                           ("nip_invalid", "NIP bukan 18 digit; dipakai apa adanya")):
        repair(why_nip == reason, "nip", reason, detail)
    full = df["nip"].str.fullmatch(NIP_PATTERN)
    kinds_opt = inst.field("jenis_pegawai").options if "jenis_pegawai" in inst.field_ids else {}
    kinds = pd.Series(formats.map_unique(df["jenis_pegawai"], lambda v: parse_field(v, kinds_opt) or "",
                                         dtype="str"), index=df.index)
    # the serial (digits 16-18) is never judged: one check per birth date, appointment and kind
    judged = df["nip"].where(full, "").str.slice(0, 15) + "|" + kinds
    problem = pd.Series(formats.map_unique(judged, lambda v: nip_problem(*v.split("|"))
                                           if not v.startswith("|") else None),
                        index=df.index)
    for r, why in zip(rows[problem.notna() & keep], problem[problem.notna() & keep]):
        notes.append((name, int(r), "nip", "nip_implausible", f"{why}; NIP tetap dipakai", "flagged"))
    df["kode_peserta"] = upper_codes(df["kode_peserta"])

    step()
    # OPD: Kobo choice names, "lainnya" plus its text, aliases and misspellings
    # ("Lainnya (tulis)" is the label a Kobo labels export writes for it)
    other = pd.Series(formats.map_unique(df["opd"], lambda v: formats.norm_text(v) in OTHER_WORDS,
                                         dtype=bool), index=df.index)
    df["opd"] = df["opd"].mask(other, df["opd_lainnya"])
    # the participant's regency tells apart same-named OPDs ("Diskominfo")
    regions = inst.field("kabupaten_kota").options if "kabupaten_kota" in inst.field_ids else {}
    region = formats.map_unique(df["kabupaten_kota"], lambda g: parse_field(g, regions) or "",
                                dtype="str")
    codes, written = factorize_rows(pd.DataFrame({"opd": df["opd"], "region": region}))
    res = [opds.resolve(*w) for w in written]
    df["opd"] = pd.Series(spread([x.opd for x in res], codes, "str"), index=df.index)
    df["opd_induk"] = pd.Series(spread([x.parent for x in res], codes, "str"), index=df.index)
    # free text that is no registry OPD may hold anything (a person's name): exports hide it
    df["opd_terdaftar"] = pd.Series(spread([bool(x.opd) and x.reason != "opd_unknown" for x in res],
                                           codes, bool), index=df.index)
    said = pd.Series(spread([bool(x.reason) for x in res], codes, bool), index=df.index)
    for r, k in zip(rows[said & keep], codes[(said & keep).to_numpy()]):
        x = res[k]
        notes.append((name, int(r), "opd", x.reason, x.detail,
                      "flagged" if x.reason == "opd_unknown" else "repaired"))

    step()
    df["pid"] = participant_keys(df["nip"], df["kode_peserta"], df["nama"], df["opd"])
    if anonymous:  # nobody can be matched: every row is one anonymous submission
        df["pid"] = [p or f"anon:{name}:{r}" for p, r in zip(df["pid"], rows)]
    exclude(df["pid"] == "", "no_identifier", "tidak ada NIP, kode peserta maupun nama", "nip")
    for f in inst.participant_fields:
        if f.type == "select" and f.options:
            parsed = pd.Series(formats.map_unique(
                df[f.id], lambda v, o=f.options, en=f.options_en: parse_field(v, o, en),
                dtype="str"), index=df.index)
            repair(parsed.isna() & (df[f.id] != ""), f.id, "invalid_choice",
                   f"bukan salah satu pilihan ({', '.join(f.options)}); dikosongkan")
            df[f.id] = parsed.fillna("")

    step()
    for item in inst.items:
        step()
        if item.id not in df.columns:
            df[item.id] = ""
            continue
        if item.type == "multi":
            func = lambda v, o=dict(item.options), en=dict(item.options_en): \
                formats.parse_multi(v, o, en)  # noqa: E731
        else:
            look = formats._option_lookup(dict(item.options), dict(item.options_en))
            func = lambda v, o=dict(item.options), lk=look: formats.parse_choice(v, o, lk)  # noqa: E731
        value, bad = formats.map_unique(df[item.id], func, pair=True, dtype=("str", bool))
        repair(pd.Series(bad, index=df.index), item.id, "invalid_answer",
               f"jawaban bukan salah satu pilihan ({', '.join(item.options)}); dianggap kosong")
        df[item.id] = pd.Series(value, index=df.index)
    step()
    points = formats.likert_lookup(inst)
    for li in inst.likert_items:
        step()
        if li.id not in df.columns:
            df[li.id] = _int64(np.full(len(df), np.nan))
            continue
        val = pd.Series(formats.map_unique(df[li.id], lambda v, pts=points: formats.parse_likert(v, pts),
                                           dtype="float64"), index=df.index)
        bad = (df[li.id] != "") & ~val.isin([1, 2, 3, 4, 5])
        repair(bad, li.id, "invalid_likert", "nilai skala bukan 1-5; dianggap kosong")
        df[li.id] = _int64(val.where(~bad).to_numpy(dtype="float64", na_value=np.nan))
    for oi in inst.open_items:
        if oi.id not in df.columns:
            df[oi.id] = ""

    when = formats.parse_times(df["submitted_at"])
    repair(when.isna() & (df["submitted_at"] != ""), "submitted_at", "time_unreadable",
           "waktu isi tidak terbaca; bila peserta mengisi dua kali, baris ini dianggap yang "
           "lebih awal", action="flagged")
    df["submitted_at"] = when
    if table.meta.get("short"):
        repair(pd.Series(table.meta["short"], index=df.index), "", "short_row",
               "baris berisi lebih sedikit sel daripada judul kolom; sel yang hilang dianggap "
               "kosong", action="flagged")
    step()
    kept = keep.to_numpy()
    ledger.extend(x for x in notes if kept[x[1] - table.first_row])
    df["source"] = name
    df["row"] = rows.values
    info = {"source": name, "format": fmt, "rows": n, "kept": int(keep.sum()),
            "excluded": int((~keep).sum()), "ignored_columns": ", ".join(ignored)}
    return (df if keep.all() else df[keep]), info  # a filter would copy every column


def _int64(values: np.ndarray) -> pd.arrays.IntegerArray:
    """Whole numbers held as floats (NaN = missing) as a nullable Int64 array;
    built directly because pd.array(..., dtype="Int64") checks every value in
    Python."""
    missing = np.isnan(values)
    return pd.arrays.IntegerArray(np.where(missing, 0, values).astype("int64"), missing)


def parse_field(value: str, options, options_en=None) -> str | None:
    """A select participant field by id or label, Indonesian or English
    ('PNS' -> 'pns', 'Male' -> 'l'); None if neither."""
    if not value:
        return ""
    v = formats.norm_text(value)
    for oid, label in options.items():
        if v in (formats.norm_text(oid), formats.norm_text(label),
                 formats.norm_text((options_en or {}).get(oid, ""))):
            return oid
    return None


def drop_duplicates(data: pd.DataFrame, ledger: list) -> pd.DataFrame:
    """Keep each participant's latest submission per session and wave."""
    # undated rows count as earliest; among equals the later row in the file wins
    order = data[["session", "wave", "pid", "submitted_at"]].assign(_o=np.arange(len(data))).sort_values(
        ["submitted_at", "_o"], kind="stable", na_position="first")
    later = order.duplicated(["session", "wave", "pid"], keep="last")
    if not later.any():
        return data
    dup = np.zeros(len(data), dtype=bool)
    dup[order.loc[later, "_o"].to_numpy()] = True
    # an excluded duplicate keeps only its exclusion in the ledger, not its repairs
    gone = set(zip(data.loc[dup, "source"], data.loc[dup, "row"].astype(int)))
    ledger[:] = [e for e in ledger if e[5] == "excluded" or (e[0], e[1]) not in gone]
    keys = ["session", "wave", "pid"]
    # each dropped row beside the row that stays (one merge, not a lookup per row)
    pairs = data.loc[dup, [*keys, "source", "row"]].merge(
        data.loc[~dup, [*keys, "source", "row"]], on=keys, how="left", suffixes=("", "_win"))
    ledger.extend((s, int(r), "", "duplicate_submission",
                   f"peserta sama mengisi lagi; dipakai baris {rw} ({sw})", "excluded")
                  for s, r, rw, sw in zip(pairs["source"], pairs["row"], pairs["row_win"],
                                          pairs["source_win"]))
    return data[~dup]
