"""OPD names as people write them -> the registry's canonical name.

Participants type their work unit freely ("Puskesmas Loa Janan", "Kec. Loa
Janan", "diskominfo kukar", "Kecamatan Loa Janaan"). ``OpdResolver`` maps
each to the registry's ``singkatan`` by, in order: a Kobo choice name
(``opd_6402_003``), the exact name, full name or an alias, the same after
expanding common abbreviations, a unique registry name that starts with what
was written (region omitted), then a fuzzy match (rapidfuzz) that is both
close and clearly better than the runner-up. Anything else is kept as
written, is no registry OPD (never a group of its own in any table) and is
reported with its ``candidates``: the closest registry OPDs, scored on the
names, short names and aliases both as written and with abbreviations
written out. The evaluator resolves such a name for one session with
``koreksi.csv`` or ``koreksi_opd:`` in ``sesi.yaml`` (``corrections``), applied
first by a resolver made ``with_corrections``.

The registry is ``data/opd.csv`` (:func:`load_opd_registry`); the texts of
the ledger's OPD reasons are those of ``reasons``.

Example:
    >>> r = OpdResolver(load_opd_registry("data/opd.csv"))
    >>> r.resolve("Puskesmas Loa Janan").opd
    'UPT Puskesmas Loa Janan'
    >>> r.resolve("Kecamatan Loa Janaan").detail
    "'Kecamatan Loa Janaan' -> 'Kecamatan Loa Janan' (kemiripan 97)"
"""

from __future__ import annotations

import copy
import os
import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from ..errors import EvalToolsError
from ..normalize import norm_text
from ..project import paths
from .reasons import OPD_SUGGESTIONS, detail

FUZZY_MIN = 92    # rapidfuzz score (0-100) needed to correct a misspelling
FUZZY_MARGIN = 5  # ... and this much better than the best other OPD
SUGGEST_MIN = 60  # suggestions shown for an unknown name

# Word-level abbreviations in OPD names, expanded on both sides before comparing.
_ABBREV = {
    "kab": "kabupaten", "kec": "kecamatan", "kel": "kelurahan", "prov": "provinsi",
    "pemprov": "provinsi", "kaltim": "kalimantan timur", "kukar": "kutai kartanegara",
    "kubar": "kutai barat", "kutim": "kutai timur", "ppu": "penajam paser utara",
    "mahulu": "mahakam ulu", "bpp": "balikpapan", "smd": "samarinda",
    "dinkes": "dinas kesehatan", "disdik": "dinas pendidikan",
    "disdikbud": "dinas pendidikan dan kebudayaan", "diskominfo": "dinas komunikasi dan informatika",
    "kominfo": "komunikasi dan informatika", "dinsos": "dinas sosial",
    "kesbangpol": "badan kesatuan bangsa dan politik", "bakesbangpol": "badan kesatuan bangsa dan politik",
    "bkd": "badan kepegawaian daerah",
    "bkpsdm": "badan kepegawaian dan pengembangan sumber daya manusia",
    "setda": "sekretariat daerah", "setdaprov": "sekretariat daerah provinsi",
    "pemdes": "pemerintah desa", "uptd": "upt", "dpmd": "dinas pemberdayaan masyarakat dan desa",
    "disnaker": "dinas tenaga kerja", "dlh": "dinas lingkungan hidup", "diskan": "dinas perikanan",
    "bappeda": "badan perencanaan pembangunan daerah", "bapenda": "badan pendapatan daerah",
    "satpol": "satuan polisi", "pp": "pamong praja",
    "kantor": "", "camat": "kecamatan", "se": "",
}
_REGION = re.compile(r"\s+(?:kabupaten|kota|provinsi)\s.*$")


def expand(name: str) -> str:
    """A name compared loosely, abbreviations written out.

    Example:
        >>> expand("Diskominfo Kukar")
        'dinas komunikasi dan informatika kutai kartanegara'
    """
    return _expanded(norm_text(name))


def _expanded(normed: str) -> str:
    """``expand`` of a name already through ``norm_text``."""
    words = [_ABBREV.get(w, w) for w in normed.split()]
    return " ".join(w for w in " ".join(words).split() if w)


@dataclass(frozen=True)
class Resolved:
    """One written OPD name resolved: ``opd`` is the canonical name (or the
    name as written when unknown), ``reason`` the ledger code (None when the
    name was already canonical), ``detail`` what the evaluator should know."""
    opd: str
    parent: str
    reason: str | None = None
    detail: str = ""
    score: float | None = None


class OpdResolver:
    """Resolve written OPD names against the registry (see module docstring)."""

    def __init__(self, registry: pd.DataFrame | None):
        reg = registry if registry is not None else pd.DataFrame(
            columns=["kode", "nama", "singkatan", "alias"])
        self.name = dict(zip(reg["kode"], reg["singkatan"]))
        self.region = dict(zip(reg["kode"], reg.get("kabupaten_kota", pd.Series("", index=reg.index))))
        self.parent = dict(zip(reg["kode"], reg.get("induk", pd.Series("", index=reg.index))))
        self.choice = {"opd_" + k.replace("-", "_").lower(): k for k in reg["kode"]}
        self.canon = {norm_text(s): k for k, s in self.name.items()}
        self.known: dict[str, str] = {}     # norm text of name/alias -> kode
        self.expanded: dict[str, set] = {}  # expanded name/alias -> kodes
        self.forms: dict[str, set] = {}     # name/alias loosely as written, and expanded -> kodes
        for k, nama, sing, alias in zip(reg["kode"], reg["nama"], reg["singkatan"],
                                        reg.get("alias", pd.Series("", index=reg.index))):
            for s in (nama, sing, *str(alias).split(";")):
                if s.strip():
                    normed = norm_text(s)  # each name normalised once, not three times
                    wide = _expanded(normed)  # (1,000 OPDs: 0.023 -> 0.014 s)
                    self.known.setdefault(normed, k)
                    self.expanded.setdefault(wide, set()).add(k)
                    for form in (normed, wide):
                        self.forms.setdefault(form, set()).add(k)
        self.corrections: dict = {}  # norm text of a written name -> (kode, where it was said)
        self._cache: dict = {}

    def lookup(self, name: str) -> str | None:
        """The registry code of a registry name, short name or alias (compared
        loosely, abbreviations written out), or None: what a correction may
        name. A name shared by two OPDs is None too.

        Example:
            >>> r = OpdResolver(load_opd_registry("data/opd.csv"))
            >>> r.lookup("Bappeda Kaltim"), r.lookup("Bapeda Kaltim")
            ('6400-005', None)
        """
        n = norm_text(name)
        if n in self.canon:
            return self.canon[n]
        for kodes in (self.forms.get(n, set()), self.forms.get(expand(name), set())):
            if len(kodes) == 1:
                return next(iter(kodes))
        return None

    def with_corrections(self, corrections: dict) -> OpdResolver:
        """A resolver that first applies ``corrections`` ({written name: (registry
        code, where it was said)}; ``read.corrections``), ledgered "opd_corrected".

        Example:
            >>> r = OpdResolver(load_opd_registry("data/opd.csv"))
            >>> c = r.with_corrections({"Bapeda Kaltim": ("6400-005", "koreksi.csv baris 2")})
            >>> c.resolve("bapeda  kaltim").opd, c.resolve("bapeda kaltim").reason
            ('Bappeda Prov. Kaltim', 'opd_corrected')
        """
        out = copy.copy(self)
        out.corrections = {norm_text(k): v for k, v in corrections.items()}
        out._cache = {}
        return out

    def name_of(self, kode: str) -> str:
        """The registry name (``singkatan``) of a code.

        Example:
            >>> OpdResolver(load_opd_registry("data/opd.csv")).name_of("6400-005")
            'Bappeda Prov. Kaltim'
        """
        return self.name[kode]

    def candidates(self, name: str, k: int = 3) -> list:
        """The ``k`` registry OPDs closest to a written name, best first, as
        (registry name, score 0-100): each OPD scored by its best name, short
        name or alias, each compared as written and with abbreviations
        written out, against the name also taken both ways (rapidfuzz
        ``ratio``); ties by name; under ``SUGGEST_MIN`` left out.

        Example:
            >>> r = OpdResolver(load_opd_registry("data/opd.csv"))
            >>> [(o, round(s)) for o, s in r.candidates("Bapeda Kaltim")]
            [('Bapenda Prov. Kaltim', 96), ('Bappeda Prov. Kaltim', 96), ('BPBD Prov. Kaltim', 91)]
        """
        from rapidfuzz import fuzz, process  # lazy: only for names not found
        forms = self.forms
        best: dict[str, float] = {}
        for q in dict.fromkeys((norm_text(name), expand(name))):
            if not q:
                continue
            for x, score, _ in process.extract(q, list(forms), scorer=fuzz.ratio, limit=5 * k + 10):
                for kode in forms[x]:
                    best[kode] = max(best.get(kode, 0.0), float(score))
        ranked = sorted(best.items(), key=lambda kv: (-kv[1], self.name[kv[0]]))
        return [(self.name[kd], s) for kd, s in ranked[:k] if s >= SUGGEST_MIN]

    def _out(self, kode, reason=None, detail="", score=None) -> Resolved:
        par = self.parent.get(kode, "")
        return Resolved(self.name[kode], self.name.get(par, self.name[kode]), reason, detail, score)

    def resolve(self, written: str, region: str = "") -> Resolved:
        """Resolve one name; ``region`` (a kabupaten_kota id) breaks ties
        between same-named OPDs of different regions.

        Example:
            >>> r = OpdResolver(load_opd_registry("data/opd.csv"))
            >>> r.resolve("Kecamatan Loa Janaan").reason, r.resolve("diskominfo", "kutai_kartanegara").opd
            ('opd_fuzzy', 'Diskominfo Kab. Kutai Kartanegara')
        """
        key = (written, region)
        if key not in self._cache:
            self._cache[key] = self._resolve(written.strip(), region)
        return self._cache[key]

    def _resolve(self, w: str, region: str) -> Resolved:
        if not w:
            return Resolved("", "")
        fixed = self.corrections.get(norm_text(w))
        if fixed is not None:  # the evaluator's word for this session comes first
            kode, where = fixed
            return self._out(kode, "opd_corrected",
                             detail("opd_corrected", written=w, opd=self.name[kode], where=where))
        if w.lower() in self.choice:  # a Kobo choice name is not a repair
            return self._out(self.choice[w.lower()])
        n = norm_text(w)
        if n in self.canon:
            return self._out(self.canon[n])
        if n in self.known:
            k = self.known[n]
            return self._out(k, "opd_canonical", detail("opd_canonical", written=w, opd=self.name[k]))
        e = expand(w)
        kodes = set(self.expanded.get(e, ()))  # a copy: the index is shared by every call
        if not kodes:
            # the name without its region ("Dinas Kesehatan", "BKD") fits every
            # region's unit: only one in the participant's own region may be
            # chosen ("BKD" + Kutai Kartanegara = alias "BKD Kutai Kartanegara")
            kodes = {k for x, ks in self.expanded.items() if _REGION.sub("", x) == e for k in ks}
            if region:
                here = set(self.expanded.get(expand(f"{w} {region.replace('_', ' ')}"), ()))
                same = here | {k for k in kodes if self.region.get(k) == region}
                if len(same) != 1:  # none there, or two there (BKD Prov. / BKD Samarinda)
                    return self._fuzzy(w, e, same or kodes)
                kodes = same
        if len(kodes) > 1 and region:
            kodes = {k for k in kodes if self.region.get(k) == region} or kodes
        if len(kodes) == 1:
            k = next(iter(kodes))
            return self._out(k, "opd_canonical", detail("opd_canonical", written=w, opd=self.name[k]))
        return self._fuzzy(w, e, kodes)

    def _fuzzy(self, w: str, e: str, tied: set) -> Resolved:
        from rapidfuzz import fuzz, process  # lazy: only for names not found exactly
        best: dict[str, float] = {}
        for x, score, _ in process.extract(e, list(self.expanded), scorer=fuzz.ratio, limit=12):
            for k in self.expanded[x]:
                best[k] = max(best.get(k, 0.0), float(score))
        ranked = sorted(best.items(), key=lambda kv: (-kv[1], kv[0]))
        if not tied and ranked and ranked[0][1] >= FUZZY_MIN and (
                len(ranked) == 1 or ranked[0][1] - ranked[1][1] >= FUZZY_MARGIN):
            k, score = ranked[0]
            return self._out(k, "opd_fuzzy", detail("opd_fuzzy", written=w, opd=self.name[k], score=score),
                             round(score, 1))
        sugg = [self.name[k] for k in sorted(tied)] if tied else \
            [f"{o} ({s:.0f})" for o, s in self.candidates(w)]
        maybe = OPD_SUGGESTIONS.format(names="; ".join(sugg)) if sugg else ""
        return Resolved(w, w, "opd_unknown", detail("opd_unknown", written=w, suggestions=maybe))


def load_opd_registry(path=None) -> pd.DataFrame:
    """The OPD registry as text columns: kode, nama, singkatan, alias, jenis, kabupaten_kota.

    Codes stay strings ("6400-001"); ``alias`` holds ";"-separated other spellings.
    Without ``path``: the project's ``data/opd.csv`` (``project.paths()``), whatever
    the working directory.

    Example:
        >>> load_opd_registry("data/opd.csv")["kode"].iloc[0]
        '6400-001'
    """
    path = os.fspath(paths()["registry"] if path is None else path)
    try:
        reg = pd.read_csv(path, dtype=str, keep_default_na=False)
    except FileNotFoundError:
        raise EvalToolsError("daftar OPD tidak ditemukan", file=path,
                             fix="pakai data/opd.csv atau sebutkan berkasnya",
                             problem_en="OPD registry not found",
                             fix_en="use data/opd.csv or name the file") from None
    missing = [c for c in ("kode", "nama", "singkatan") if c not in reg.columns]
    if missing:
        raise EvalToolsError(f"kolom {', '.join(missing)} tidak ada", file=path, row=1,
                             column=missing[0], fix="kolom wajib: kode, nama, singkatan",
                             problem_en=f"column(s) {', '.join(missing)} missing",
                             fix_en="required columns: kode, nama, singkatan")
    return reg


def resolver_for(registry, instrument_path) -> OpdResolver:
    """The resolver of a read: ``registry`` is a path or a DataFrame; None
    means data/opd.csv beside the instrument's survey/ folder, else the
    project's (``project.paths()``), else no registry (every OPD is kept as written).

    Example:
        >>> len(resolver_for(None, inst.path).name)  # the OPDs of data/opd.csv
        50
    """
    if registry is None:
        near = Path(instrument_path).resolve().parent.parent / "data" / "opd.csv"
        registry = next((p for p in (near, paths()["registry"]) if p.exists()), None)
    if registry is not None and not isinstance(registry, pd.DataFrame):
        registry = load_opd_registry(registry)
    return OpdResolver(registry)
