"""Text and keys compared loosely, and functions run once per distinct value.

A leaf module: read, pair and recap all compare names, OPDs and codes the
same way through it, and it imports nothing from evaltools.

- ``norm_header``, ``norm_text``, ``norm_name``: headers, answers and names
  as compared (case, accents, punctuation, titles and degrees do not matter);
- ``upper_code(s)``, ``participant_key(s)``: the identity used for duplicates
  and matching (NIP, else participant code, else name within the OPD);
- ``factorize_rows``, ``map_unique``, ``spread``: a function applied once per
  distinct value and spread back to every row (a column of a million answers
  holds a handful of distinct ones).
"""

from __future__ import annotations

import re
import unicodedata

import numpy as np
import pandas as pd

NIP_PATTERN = r"[0-9]{18}"  # a usable NIP, for Python's re and pandas/Arrow alike
_NIP = re.compile(NIP_PATTERN)


def norm_header(h: str) -> str:
    """A column header as compared: trimmed, lower case, spaces as "_".

    Example:
        >>> norm_header("  Jenis   Kelamin ")
        'jenis_kelamin'
    """
    return re.sub(r"\s+", "_", str(h).strip().lower())


def norm_text(s: str) -> str:
    """Text compared loosely: case, accents, punctuation, spacing and a
    leading question number ("7. ") do not matter.

    Example:
        >>> norm_text("7. Pegawai  ASN (Netral)!"), norm_text("Sekretariat Daérah")
        ('pegawai asn netral', 'sekretariat daerah')
    """
    s = unicodedata.normalize("NFKD", str(s)).encode("ascii", "ignore").decode().lower()
    s = re.sub(r"^\s*\d+\s*[.)]\s*", "", s)
    return " ".join(re.findall(r"[a-z0-9]+", s))


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
    words = norm_text(head).split()
    while words and words[0] in _TITLES and len(words) > 1:
        words = words[1:]
    return " ".join("muhammad" if w in _MUHAMMAD else w for w in words)


def factorize_rows(values) -> tuple[np.ndarray, list]:
    """(codes, distinct values): one code per row, numbered in order of first
    appearance. ``values`` is a Series, or a DataFrame whose rows are compared
    whole (its distinct values are then tuples).

    Example:
        >>> factorize_rows(pd.DataFrame({"a": ["x", "y", "x"], "b": ["1", "2", "1"]}))
        (array([0, 1, 0]), [('x', '1'), ('y', '2')])
    """
    if isinstance(values, pd.DataFrame):  # distinct combinations, from each column's codes
        combined = group_codes(values)
        first = pd.Series(combined).drop_duplicates().index  # a row holding each combination
        return combined, list(values.iloc[first].itertuples(index=False, name=None))
    values = pd.Series(values)
    if isinstance(values.dtype, pd.CategoricalDtype):  # coded when read: the codes are there
        codes = values.cat.codes.to_numpy().astype(np.intp)
        uniques = list(values.cat.categories.to_numpy(dtype=object))
        if (codes < 0).any():  # a missing cell: a value of its own, as pd.factorize gives it
            codes[codes < 0] = len(uniques)
            uniques.append(np.nan)
        return codes, uniques
    codes, uniques = pd.factorize(values, use_na_sentinel=False)
    return codes, list(np.asarray(uniques, dtype=object))  # plain objects iterate fastest


def group_codes(frame: pd.DataFrame) -> np.ndarray:
    """One code per row, the same for rows equal in every column (numbered
    in order of first appearance), from each column's codes: no row is
    looked at in Python.

    Example:
        >>> group_codes(pd.DataFrame({"a": ["x", "y", "x"], "b": ["1", "2", "1"]})).tolist()
        [0, 1, 0]
    """
    combined, varied = np.zeros(len(frame), dtype=np.int64), False
    for k in range(frame.shape[1]):
        col = frame.iloc[:, k]
        if len(col) and col.notna().all() and bool((col == col.iloc[0]).all()):
            continue  # one value in every row (one session, one wave): it tells no row apart
        col_codes, col_uniques = pd.factorize(col, use_na_sentinel=False)
        if not varied:  # the first column that varies: its codes are numbered as wanted already
            combined, varied = col_codes.astype(np.int64, copy=False), True
            continue
        # renumbered after each column, so the product never overflows
        combined, _ = pd.factorize(combined * len(col_uniques) + col_codes)
    return combined


def digit_keys(values: pd.Series) -> np.ndarray | None:
    """The texts as 64-bit integers, one for one, where every text is one
    prefix then digits, all of one length (a participant key "nip:" + 18
    digits; a NIP): equal texts, equal integers, and hashing integers is
    faster than hashing texts. None for anything else (a missing value, another shape), whose
    caller takes the texts.

    Example:
        >>> digit_keys(pd.Series(["nip:0123", "nip:0124", "nip:0123"])).tolist()
        [123, 124, 123]
        >>> digit_keys(pd.Series(["nip:0123", "kode:012"])) is None
        True
    """
    import pyarrow as pa
    import pyarrow.compute as pc
    if not len(values) or not (values.dtype == "str" or values.dtype == object):
        return None
    first = values.iloc[0]
    if not isinstance(first, str):
        return None
    prefix = first.rstrip("0123456789")
    width = len(first) - len(prefix)
    if not 1 <= width <= 18 or not first.isascii():
        return None
    try:
        text = pa.array(values.array if values.dtype == "str" else values.to_numpy(), pa.large_string())
    except (pa.ArrowInvalid, pa.ArrowTypeError):
        return None
    if text.null_count or pc.min_max(pc.binary_length(text)).as_py() != {"min": len(first), "max": len(first)}:
        return None
    digits = pc.utf8_slice_codeunits(text, len(prefix))
    if not pc.all(pc.ascii_is_decimal(digits)).as_py() or \
            (prefix and not pc.all(pc.starts_with(text, prefix)).as_py()):
        return None
    return pc.cast(digits, pa.int64()).to_numpy()


def has_repeats(keys: np.ndarray) -> bool:
    """Whether an integer appears twice: sorted, equal keys are neighbours
    (numpy's sort of two million integers takes a tenth of the time of a
    hash table, pandas' ``duplicated``, on this many).

    Example:
        >>> has_repeats(np.array([3, 1, 3])), has_repeats(np.array([3, 1, 2]))
        (True, False)
    """
    ordered = np.sort(keys)
    return bool((ordered[1:] == ordered[:-1]).any())


def text_bytes(chunk) -> tuple[np.ndarray, np.ndarray]:
    """(offsets, bytes) of an Arrow text array (string or large_string, maybe
    a slice): cell k is ``bytes[offsets[k]:offsets[k + 1]]``, read in place."""
    import pyarrow as pa
    wide = pa.types.is_large_string(chunk.type)  # 64-bit offsets; string's are 32-bit
    bufs = chunk.buffers()
    off = np.frombuffer(bufs[1], dtype=np.int64 if wide else np.int32, count=len(chunk) + 1,
                        offset=chunk.offset * (8 if wide else 4))
    data = np.frombuffer(bufs[2], dtype=np.uint8) if bufs[2] is not None else np.zeros(0, np.uint8)
    return off.astype(np.int64, copy=False), data


_NIP_WIDTH = 18
_GATHER_ROWS = 1 << 16  # cells of mixed widths gathered this many at a time (18 indices each)


def nip_digits(values: pd.Series) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(full, head, tail) of a column of texts: whether each cell is a NIP as
    ``NIP_PATTERN`` matches it whole (18 ASCII digits), and for those its
    first 15 digits and its last 3 as integers (0 elsewhere). Read from the
    cells' bytes where the column is Arrow text, one pass with no regular
    expression (a million NIPs: 0.16 s by the pattern, 0.05 s here); by the
    pattern otherwise.

    Example:
        >>> full, head, tail = nip_digits(pd.Series(["198609262015051001", "1986", None, "19860926201505100x"]))
        >>> full.tolist(), head.tolist()[0], tail.tolist()[0]
        ([True, False, False, False], 198609262015051, 1)
    """
    n = len(values)
    full, head, tail = np.zeros(n, bool), np.zeros(n, np.int64), np.zeros(n, np.int64)
    cells = values.array.__arrow_array__() if values.dtype == "str" and \
        hasattr(values.array, "__arrow_array__") else None
    if cells is None:  # not Arrow text: the pattern, then the digits of the matches
        full = np.asarray(values.astype(object).str.fullmatch(NIP_PATTERN).fillna(False), bool)
        for k in np.flatnonzero(full):
            nip = values.iat[k]
            head[k], tail[k] = int(nip[:15]), int(nip[15:])
        return full, head, tail
    at = 0
    for chunk in getattr(cells, "chunks", [cells]):
        _nip_chunk(chunk, full[at:at + len(chunk)], head[at:at + len(chunk)], tail[at:at + len(chunk)])
        at += len(chunk)
    return full, head, tail


def _nip_chunk(chunk, full, head, tail) -> None:
    """``nip_digits`` of one Arrow text array, into its slices of the outputs."""
    n = len(chunk)
    if not n or chunk.buffers()[2] is None:
        return
    off, data = text_bytes(chunk)
    width = off[1:] - off[:-1]
    if chunk.null_count:  # a missing cell is no NIP, whatever its slot holds
        width = np.where(chunk.is_valid().to_numpy(zero_copy_only=False), width, 0)
    if off[-1] - off[0] == _NIP_WIDTH * n and bool((width == _NIP_WIDTH).all()):
        side_by_side = data[off[0]:off[-1]]  # every cell 18 bytes, one after the other
        if bool((side_by_side - np.uint8(ord("0")) < 10).all()):  # all digits: Arrow reads the numbers
            import pyarrow as pa
            import pyarrow.compute as pc
            number = pc.cast(chunk, pa.int64()).to_numpy()  # (18 digits fit in 63 bits)
            full[:], head[:], tail[:] = True, number // 1000, number % 1000
            return
        _nip_rows(side_by_side.reshape(n, _NIP_WIDTH), np.arange(n), full, head, tail)
        return
    rows = np.flatnonzero(width == _NIP_WIDTH)
    for start in range(0, len(rows), _GATHER_ROWS):
        some = rows[start:start + _GATHER_ROWS]
        _nip_rows(data[off[some][:, None] + np.arange(_NIP_WIDTH)], some, full, head, tail)


def _nip_rows(raw: np.ndarray, rows: np.ndarray, full, head, tail) -> None:
    """Rows of 18 bytes each: which are ASCII digits, and their numbers."""
    digits = raw - np.uint8(ord("0"))  # any other byte wraps round to 10 or more
    ok = (digits < 10).all(axis=1)
    digits[~ok] = 0
    first, last = digits[:, 0].astype(np.int64), digits[:, 15].astype(np.int64)
    for j in range(1, 15):  # in place: a new array per digit costs more than the sums
        np.multiply(first, 10, out=first)
        np.add(first, digits[:, j], out=first)
    for j in (16, 17):
        np.multiply(last, 10, out=last)
        np.add(last, digits[:, j], out=last)
    full[rows], head[rows], tail[rows] = ok, first, last


def map_unique(values, func, *, pair: bool = False, dtype=None):
    """``func`` applied once per distinct value, spread back to every row:
    an answer column of 4 million cells holds a handful of distinct answers.
    ``values`` may be a DataFrame: ``func`` then gets one argument per column.
    With ``pair=True`` ``func`` returns two things; two arrays come back.
    ``dtype`` ("str", "float64", bool; a pair of them with ``pair=True``)
    gives typed arrays, spread by ``take``, not cell by cell.

    Example:
        >>> map_unique(pd.Series(["a", "b", "a"]), str.upper).tolist()
        ['A', 'B', 'A']
        >>> map_unique(pd.DataFrame({"a": ["x", "y"], "b": ["1", "2"]}), lambda a, b: a + b).tolist()
        ['x1', 'y2']
    """
    codes, uniques = factorize_rows(values)
    done = [func(*u) for u in uniques] if isinstance(values, pd.DataFrame) else \
        [func(u) for u in uniques]
    if pair:
        kinds = dtype if isinstance(dtype, tuple) else (dtype, dtype)
        return (spread([d[0] for d in done], codes, kinds[0]),
                spread([d[1] for d in done], codes, kinds[1]))
    return spread(done, codes, dtype)


def spread(per_value: list, codes: np.ndarray, dtype=None):
    """Per-distinct-value results to one per row (``factorize_rows``' codes);
    ``dtype="category"``: texts as a Categorical, its categories sorted.

    Example:
        >>> spread(["x", "y"], np.array([1, 0, 1]), "str").tolist()
        ['y', 'x', 'y']
        >>> spread([False, True], np.array([1, 0, 1]), bool).tolist()
        [True, False, True]
    """
    if dtype is None:
        return np.array(per_value, dtype=object)[codes]
    if dtype == "category":  # texts held as small codes: a million answers take a megabyte
        out, uniques = pd.factorize(pd.Series(per_value, dtype="str"))
        order = np.argsort(np.asarray(uniques, dtype=object))  # categories sorted: "" first
        rank = np.empty(len(order), dtype=np.int64)
        rank[order] = np.arange(len(order))
        small = np.int8 if len(order) < 127 else np.int32
        return pd.Categorical.from_codes(rank[out].astype(small)[codes],
                                         pd.Index(np.asarray(uniques, dtype=object)[order], dtype="str"))
    if dtype is bool:  # (most answers are no repair: an all-False column is made, not gathered)
        flags = np.asarray(per_value, dtype=bool)
        return flags[codes] if flags.any() else np.zeros(len(codes), bool)
    return pd.array(per_value, dtype=dtype).take(codes)


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
    ASCII, where both agree; the rare other cells once per distinct value).

    Example:
        >>> upper_codes(pd.Series([" as2208", None, "ß1"])).tolist()
        ['AS2208', '', 'ß1']
    """
    codes = codes.fillna("").astype("str").str.strip()
    out = codes.str.upper()
    other = ~codes.str.isascii()
    if other.any():
        out[other] = map_unique(codes[other], upper_code, dtype="str")
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
        return f"nama:{name}|{norm_text(opd or '')}"
    return ""


def participant_keys(nip, kode, nama, opd, full: np.ndarray | None = None) -> pd.Series:
    """``participant_key`` for whole columns at once (names and OPDs are
    normalised once per distinct value). ``full``: whether each ``nip`` is
    18 digits (``nip_digits``), when the caller knows; where every one is,
    the column is neither trimmed nor read again.

    Example:
        >>> participant_keys(pd.Series(["198609262015051001", ""]), pd.Series(["", "as2208"]),
        ...                  pd.Series(["A", "B"]), pd.Series(["X", "Y"])).tolist()
        ['nip:198609262015051001', 'kode:AS2208']
    """
    if full is None or not full.all():
        nip = nip.fillna("").astype("str").str.strip()
        full = nip_digits(nip)[0]
    else:  # 18 digits in every row: nothing to fill or trim
        nip = nip.astype("str")
    kode, full = upper_codes(kode), pd.Series(full, index=nip.index)
    # names are normalised only where neither a NIP nor a code identifies the person
    need = ~full & (kode == "") & (nip == "")
    name = pd.Series("", index=nip.index, dtype="str")
    unit = pd.Series("", index=nip.index, dtype="str")
    if need.any():
        name[need] = map_unique(nama[need].fillna(""), norm_name)
        unit[need] = map_unique(opd[need].fillna(""), norm_text)
    # the first rule that holds wins: applied from the last to the first
    by_nip, has_nip, has_code = "nip:" + nip, nip != "", kode != ""
    if has_nip.all() and full.all():  # every row has a NIP: no other rule can apply
        return by_nip
    keys = pd.Series("", index=nip.index, dtype="str")
    if need.any():
        keys = keys.mask(name != "", "nama:" + name + "|" + unit)
    keys = keys.mask(has_nip, by_nip)
    if has_code.any():
        keys = keys.mask(has_code, "kode:" + kode)
    return keys.mask(full, by_nip)


def per_category(col: pd.Series, values, missing) -> np.ndarray:
    """A coded column's (Categorical's) rows from one value per category:
    ``values[k]`` for the rows of category k, ``missing`` for a missing cell.

    Example:
        >>> per_category(pd.Series(["b", None, "a"], dtype="category"), np.array([10, 20]), 0).tolist()
        [20, 0, 10]
    """
    codes, values = col.cat.codes.to_numpy(), np.asarray(values)
    if values.dtype == bool and len(values) <= 16 and isinstance(missing, (bool, np.bool_)):
        # a yes/no per category (is it the key, is it blank): the codes compared with the
        # fewer of the yes or the no categories, which costs a tenth of a gather per row
        yes = np.flatnonzero(values)
        want = len(yes) <= len(values) - len(yes)
        hit = np.zeros(len(codes), dtype=bool)
        for k in (yes if want else np.flatnonzero(~values)):
            hit |= codes == k
        if bool(missing) == want:
            hit |= codes == -1
        return hit if want else ~hit
    return np.append(values, missing)[codes]


def same_categories(frames: list) -> list:
    """Frames whose Categorical columns share their categories (the union,
    sorted), so that ``pd.concat`` keeps them coded: files holding different
    answers would otherwise be joined as plain objects.

    Example:
        >>> a = pd.DataFrame({"q": pd.Categorical(["a"])})
        >>> b = pd.DataFrame({"q": pd.Categorical(["", "b"])})
        >>> pd.concat(same_categories([a, b]))["q"].cat.categories.tolist()
        ['', 'a', 'b']
    """
    union: dict = {}
    for f in frames:
        for c in f.columns:
            if isinstance(f[c].dtype, pd.CategoricalDtype):
                union.setdefault(c, set()).update(f[c].cat.categories)
    union = {c: sorted(v) for c, v in union.items()}
    out = []
    for f in frames:
        f = f.copy(deep=False)
        for c in union.keys() & set(f.columns):
            if isinstance(f[c].dtype, pd.CategoricalDtype) and list(f[c].cat.categories) != union[c]:
                f[c] = f[c].cat.set_categories(pd.Index(union[c], dtype="str"))
        out.append(f)
    return out
