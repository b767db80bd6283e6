"""Seeded synthetic pre/post sessions modelled on the real sosialisasi.

Nothing here is real: names are drawn from short lists, NIPs are built
with the real layout (birth date, appointment, gender, sequence) from random
draws. Knowledge follows a simple item-response model in which gain differs
by OPD and by topic, so reports have something true to find; collection
imperfections (missed post-tests, double submissions, blank items, NIPs
typed with spaces, a stray empty row) are added on purpose.

Example:
    >>> from evaltools.simulate import SESSIONS, simulate_session
    >>> pre, post = simulate_session(SESSIONS["loa-janan-2024-11-22"], inst)  # doctest: +SKIP
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from .instrument import Instrument
from .read.opd import load_opd_registry

SYNTHETIC_NOTE = "DATA SINTETIS (evaltools.simulate), bukan data nyata"

_FIRST = ("Agus Ahmad Andi Bambang Budi Dedi Eko Fajar Hendra Irwan Joko Rudi Slamet Taufik "
          "Wahyu Yusuf Rahmat Arief Hasan Iwan Ani Dewi Endang Fitri Indah Lestari Maya Nur "
          "Rina Sari Siti Sri Wulan Yuni Ratna Hartini Nurul Kartika Ayu Rahmawati").split()
_MALE = set(_FIRST[:20])
_LAST = ("Saputra Wijaya Santoso Hidayat Kurniawan Pratama Setiawan Nugroho Siregar Lubis "
         "Rahman Hakim Syahputra Hasibuan Wibowo Sulistyo Lestari Anggraini Susanti Handayani "
         "Aryani Rusdi Mahmud Effendi Baharuddin Arsyad Fauzi Ramadhan Salim Gunawan").split()

# Pre-test difficulty shift and learning gain by topic (logit units): the
# session teaches social media and prohibitions well, reporting rules poorly.
TOPIC_DIFFICULTY = {"dasar_hukum": 0.2, "nilai_dasar": -0.6, "larangan": 0.0,
                    "media_sosial": 0.3, "sanksi": 0.8, "hak_pilih": -0.4, "pelaporan": 0.9}
TOPIC_GAIN = {"dasar_hukum": 0.9, "nilai_dasar": 0.5, "larangan": 1.1, "media_sosial": 1.3,
              "sanksi": 0.8, "hak_pilih": 0.6, "pelaporan": 0.15}
SUGGESTIONS = ["Waktu diskusi ditambah", "Materi dibagikan dalam bentuk PDF",
               "- contoh kasus pelanggaran di media sosial diperbanyak",
               "Sosialisasi diadakan lagi menjelang hari pemungutan suara",
               "Koneksi Zoom sering putus", "+ libatkan Bawaslu kabupaten",
               "Narasumber sangat jelas, terima kasih", "Perlu sesi tanya jawab lebih panjang"]


@dataclass(frozen=True)
class Unit:
    """An OPD sending participants: name, regency/city, headcount, mix of
    employee types, and its knowledge level and gain (logit units)."""
    opd: str
    kabupaten_kota: str
    n: int
    types: dict
    level: float = 0.0
    gain: float = 0.0


@dataclass(frozen=True)
class SessionSpec:
    id: str
    nama: str
    tanggal: str
    tempat: str
    penyelenggara: str
    pengumpulan: str
    units: tuple
    seed: int
    p_skip_post: float = 0.1
    p_only_post: float = 0.03
    p_duplicate: float = 0.04
    p_blank: float = 0.05
    p_nip_spaces: float = 0.12
    empty_rows: int = 0
    start: str = "08:30"
    # how each wave was collected: "kobo" (KoboToolbox CSV export), "google"
    # (Google Forms CSV), "template" (paper typed into the Excel entry
    # template) or "canonical"; spaces in NIPs and stray empty rows only
    # happen where people type freely
    formats: tuple = ("canonical", "canonical")


def _loa_janan() -> SessionSpec:
    kk = "kutai_kartanegara"
    return SessionSpec(
        id="loa-janan-2024-11-22",
        nama="Sosialisasi Netralitas ASN Kecamatan Loa Janan",
        tanggal="2024-11-22", tempat="Kantor Kecamatan Loa Janan, Kutai Kartanegara",
        penyelenggara="Pemkab Kutai Kartanegara bersama Kecamatan Loa Janan",
        pengumpulan="KoboToolbox (luring) dan formulir kertas",
        units=(
            Unit("Kecamatan Loa Janan", kk, 14, {"pns": 0.6, "pppk": 0.15, "non_asn": 0.25}, 0.2, 0.1),
            Unit("UPT Dinas Pendidikan Kecamatan Loa Janan", kk, 15, {"pns": 0.5, "pppk": 0.5}, 0.1, 0.3),
            Unit("UPT Puskesmas Loa Janan", kk, 12, {"pns": 0.55, "pppk": 0.3, "non_asn": 0.15}, -0.1, 0.0),
            Unit("Pemerintah Desa se-Kecamatan Loa Janan", kk, 11, {"desa": 1.0}, -0.6, -0.35),
            Unit("Kelurahan Loa Janan Ilir", kk, 4, {"pns": 0.75, "non_asn": 0.25}, 0.0, 0.0),
        ),
        seed=20241122, p_skip_post=0.08, p_only_post=0.02, empty_rows=1, start="08:45",
        formats=("kobo", "template"))


_KAB = {"paser": "Kab. Paser", "kutai_kartanegara": "Kab. Kutai Kartanegara", "berau": "Kab. Berau",
        "kutai_barat": "Kab. Kutai Barat", "kutai_timur": "Kab. Kutai Timur",
        "penajam_paser_utara": "Kab. Penajam Paser Utara", "mahakam_ulu": "Kab. Mahakam Ulu",
        "balikpapan": "Kota Balikpapan", "samarinda": "Kota Samarinda", "bontang": "Kota Bontang"}


def _kaltim() -> SessionSpec:
    rng = np.random.default_rng(17)
    units = []
    for kab, label in _KAB.items():
        n_bkpsdm = int(rng.integers(9, 15))
        n_kesb = int(rng.integers(5, 10)) if kab != "mahakam_ulu" else 3
        units.append(Unit(f"BKPSDM {label}", kab, n_bkpsdm, {"pns": 0.85, "pppk": 0.15},
                          0.4, float(rng.normal(0.2, 0.25))))
        units.append(Unit(f"Kesbangpol {label}", kab, n_kesb, {"pns": 0.8, "pppk": 0.1, "non_asn": 0.1},
                          0.5, float(rng.normal(0.0, 0.25))))
    prov = "Prov. Kaltim"
    for name, n, level, gain in (("Kesbangpol", 16, 0.7, 0.0), ("Diskominfo", 14, 0.2, 0.4),
                                 ("BKD", 13, 0.5, 0.2), ("Inspektorat", 10, 0.4, 0.1),
                                 ("Bappeda", 9, 0.1, 0.2), ("Dinas Pendidikan dan Kebudayaan", 18, -0.1, 0.5),
                                 ("Dinas Kesehatan", 15, -0.2, 0.3), ("Satpol PP", 12, -0.3, -0.2),
                                 ("DPMPD", 10, 0.0, 0.3), ("BPKAD", 8, 0.0, 0.0),
                                 ("Dinas Sosial", 9, -0.1, 0.2), ("RSUD A.W. Sjahranie", 4, -0.2, 0.3)):
        units.append(Unit(f"{name} {prov}", "samarinda", n, {"pns": 0.65, "pppk": 0.25, "non_asn": 0.1},
                          level, gain))
    return SessionSpec(
        id="kesbangpol-kaltim-2024-10-17",
        nama="Sosialisasi Netralitas Pegawai ASN dan Non-ASN pada Pilkada Serentak 2024",
        tanggal="2024-10-17", tempat="Novotel Balikpapan (hibrida: Zoom dan YouTube)",
        penyelenggara="Badan Kesbangpol Provinsi Kalimantan Timur",
        pengumpulan="Google Forms (daring)", units=tuple(units), seed=20241017,
        p_skip_post=0.16, p_only_post=0.04, p_duplicate=0.05, start="09:00",
        formats=("google", "google"))


def _balikpapan() -> SessionSpec:
    bpp = "balikpapan"
    return SessionSpec(
        id="kesbangpol-balikpapan-2023-10-20",
        nama="Sosialisasi Netralitas ASN Menjelang Pemilu 2024 Kota Balikpapan",
        tanggal="2023-10-20", tempat="Hotel Maxone Balikpapan",
        penyelenggara="Badan Kesbangpol Kota Balikpapan",
        pengumpulan="formulir kertas, diketik ke templat Excel",
        units=(Unit("BKPSDM Kota Balikpapan", bpp, 9, {"pns": 0.9, "pppk": 0.1}, 0.2, -0.1),
               Unit("Kesbangpol Kota Balikpapan", bpp, 7, {"pns": 0.85, "non_asn": 0.15}, 0.4, -0.2),
               Unit("DP3AKB Kota Balikpapan", bpp, 8, {"pns": 0.7, "pppk": 0.3}, -0.2, 0.2),
               Unit("Diskominfo Kota Balikpapan", bpp, 10, {"pns": 0.7, "pppk": 0.2, "non_asn": 0.1},
                    0.0, 0.1)),
        seed=20231020, p_skip_post=0.06, p_only_post=0.03, empty_rows=1, start="08:30",
        formats=("template", "template"))


SESSIONS = {s.id: s for s in (_loa_janan(), _kaltim(), _balikpapan())}


@dataclass(frozen=True)
class FollowupSpec:
    """A follow-up knowledge test weeks after a session (``of``): a share of
    its participants answer again, keeping ``keep`` of what they gained,
    beside colleagues (``units``) who never attended."""
    id: str
    nama: str
    tanggal: str
    tempat: str
    penyelenggara: str
    pengumpulan: str
    of: str
    share: float
    keep: float
    units: tuple
    seed: int
    start: str = "09:00"


def _kukar_followup() -> FollowupSpec:
    kk = "kutai_kartanegara"
    return FollowupSpec(
        id="kukar-tindak-lanjut-2024-12-20",
        nama="Survei Tindak Lanjut Pemahaman Netralitas ASN Pemkab Kutai Kartanegara",
        tanggal="2024-12-20", tempat="daring (Google Forms), semua OPD Pemkab Kutai Kartanegara",
        penyelenggara="Pemkab Kutai Kartanegara (tindak lanjut surat edaran netralitas ASN)",
        pengumpulan="Google Forms (daring)", of="loa-janan-2024-11-22", share=0.75, keep=0.6,
        units=(Unit("Diskominfo Kab. Kutai Kartanegara", kk, 14, {"pns": 0.7, "pppk": 0.2, "non_asn": 0.1}, 0.1),
                Unit("DLH Kab. Kutai Kartanegara", kk, 11, {"pns": 0.6, "pppk": 0.3, "non_asn": 0.1}, -0.1)),
        seed=20241220)


FOLLOWUPS = {f.id: f for f in (_kukar_followup(),)}


def simulate_followup(spec: FollowupSpec, inst: Instrument) -> pd.DataFrame:
    """The follow-up wave in the canonical layout: the session's people are
    drawn again exactly as ``simulate_session`` drew them (same seed), then
    answer with ``keep`` of their gain; ``others`` answer from their level."""
    session = SESSIONS[spec.of]
    people, difficulty, _ = _cohort(session, inst)  # the same people and items as the session
    rng = np.random.default_rng(spec.seed)
    others = _people(spec, rng)
    day = pd.Timestamp(f"{spec.tanggal} {spec.start}")
    rows = []
    for attended, group in ((True, people), (False, others)):
        for _, p in group.iterrows():
            if attended and rng.random() >= spec.share:
                continue
            shift = {t: spec.keep * (TOPIC_GAIN[t] + p["gain"]) + rng.normal(0, 0.3) if attended
                     else 0.0 for t in TOPIC_GAIN}
            rows.append({"submitted_at": day + pd.Timedelta(hours=float(rng.uniform(0, 200))),
                         "session": spec.id, "wave": "followup",
                         **{k: p[k] for k in ("nama", "nip", "kode_peserta", "opd", "jenis_pegawai",
                                              "jabatan", "jenis_kelamin", "kabupaten_kota")},
                         **_answers(inst, p["theta"], shift, rng, difficulty)})
    df = pd.DataFrame(rows).sort_values("submitted_at", kind="stable").reset_index(drop=True)
    df["submitted_at"] = df["submitted_at"].dt.strftime("%Y-%m-%d %H:%M:%S")
    df["keterangan"] = SYNTHETIC_NOTE
    return df


def _nip(rng, jenis: str, male: bool) -> str:
    year = int(rng.integers(1966, 1999))
    birth = f"{year}{int(rng.integers(1, 13)):02d}{int(rng.integers(1, 29)):02d}"
    g = "1" if male else "2"
    seq = f"{int(rng.integers(1, 999)):03d}"
    if jenis == "pppk":  # birth + first year + agreements + gender + sequence
        return f"{birth}{int(rng.integers(2021, 2025))}{int(rng.integers(1, 3)):02d}{g}{seq}"
    appt = min(year + int(rng.integers(21, 32)), 2023)
    return f"{birth}{appt}{int(rng.integers(1, 13)):02d}{g}{seq}"


def _people(spec: SessionSpec, rng) -> pd.DataFrame:
    rows = []
    for u in spec.units:
        kinds = list(u.types)
        probs = np.array([u.types[k] for k in kinds], float)
        for _ in range(u.n):
            first, last = rng.choice(_FIRST), rng.choice(_LAST)
            male = first in _MALE
            jenis = str(rng.choice(kinds, p=probs / probs.sum()))
            nip = _nip(rng, jenis, male) if jenis in ("pns", "pppk") else ""
            kode = "" if nip else f"{first[0]}{last[0]}{int(rng.integers(1, 29)):02d}{int(rng.integers(1, 13)):02d}"
            jabatan = {"desa": "Kepala Desa", "non_asn": "Tenaga Pendukung"}.get(
                jenis, str(rng.choice(["Pelaksana", "Analis", "Pengelola", "Kepala Seksi", "Guru",
                                       "Perawat", "Penyuluh"])))
            rows.append({"nama": f"{first} {last}", "nip": nip, "kode_peserta": kode, "opd": u.opd,
                         "jenis_pegawai": jenis, "jabatan": jabatan,
                         "jenis_kelamin": "l" if male else "p", "kabupaten_kota": u.kabupaten_kota,
                         "theta": rng.normal(u.level, 0.8), "gain": u.gain})
    return pd.DataFrame(rows)


def _answers(inst: Instrument, theta: float, shift: dict, rng, difficulty: dict) -> dict:
    out = {}
    for item in inst.items:
        guess = 0.5 if item.type == "truefalse" else (0.05 if item.type == "multi" else 0.25)
        logit = 1.3 * (theta + shift.get(item.topic, 0.0) - difficulty[item.id])
        p = guess + (1 - guess) / (1 + np.exp(-logit))
        opts = list(item.options)
        if item.type == "multi":
            if rng.random() < p:
                chosen = set(item.key)
            else:
                chosen = {o for o in opts if rng.random() < 0.45} or {opts[0]}
                if chosen == set(item.key):
                    chosen ^= {opts[1]}
            out[item.id] = " ".join(sorted(chosen))
        elif rng.random() < p:
            out[item.id] = item.key
        else:
            wrong = [o for o in opts if o != item.key]
            w = np.linspace(2, 1, len(wrong))  # the first distractor tempts most
            out[item.id] = str(rng.choice(wrong, p=w / w.sum()))
    return out


def _cohort(spec: SessionSpec, inst: Instrument):
    """A session's people and item difficulties, drawn from its seed first, and
    the generator to continue with (a follow-up re-draws the same people)."""
    rng = np.random.default_rng(spec.seed)
    people = _people(spec, rng)
    difficulty = {i.id: TOPIC_DIFFICULTY[i.topic] + rng.normal(0, 0.5) for i in inst.items}
    return people, difficulty, rng


def simulate_session(spec: SessionSpec, inst: Instrument) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Pre and post response tables in the canonical layout, seeded by the spec."""
    people, difficulty, rng = _cohort(spec, inst)
    day = pd.Timestamp(f"{spec.tanggal} {spec.start}")
    att = [li for li in inst.likert_items if li.scale == "sikap_netralitas"]
    rea = [li for li in inst.likert_items if li.scale == "reaksi"]
    waves = {"pre": [], "post": []}
    for _, p in people.iterrows():
        base = {k: p[k] for k in ("nama", "nip", "kode_peserta", "opd", "jenis_pegawai", "jabatan",
                                  "jenis_kelamin", "kabupaten_kota")}
        attitude = rng.normal(3.7, 0.55)
        r = rng.random()
        takes = ("post",) if r < spec.p_only_post else (
            ("pre",) if r < spec.p_only_post + spec.p_skip_post else ("pre", "post"))
        for wave in takes:
            post = wave == "post"
            shift = {t: (TOPIC_GAIN[t] + p["gain"] + rng.normal(0, 0.3)) if post else 0.0
                     for t in TOPIC_GAIN}
            row = {"submitted_at": day + pd.Timedelta(minutes=float(rng.uniform(0, 25)) + (180 if post else 0)),
                   "session": spec.id, "wave": wave, **base,
                   **_answers(inst, p["theta"], shift, rng, difficulty)}
            level = attitude + (0.35 if post else 0.0)
            for li in att:
                v = int(np.clip(np.rint(level + rng.normal(0, 0.7)), 1, 5))
                row[li.id] = 6 - v if li.reverse else v
            for li in rea:
                row[li.id] = int(np.clip(np.rint(rng.normal(4.0, 0.7)), 1, 5)) if post else ""
            row["saran"] = str(rng.choice(SUGGESTIONS)) if post and rng.random() < 0.3 else ""
            if rng.random() < spec.p_blank:
                for iid in rng.choice(inst.item_ids, size=int(rng.integers(1, 4)), replace=False):
                    row[iid] = ""
            waves[wave].append(row)
            if rng.random() < spec.p_duplicate:
                # an earlier, half-finished submission of the same person
                dup = dict(row, submitted_at=row["submitted_at"] - pd.Timedelta(minutes=6))
                for iid in inst.item_ids[len(inst.item_ids) // 2:]:
                    dup[iid] = ""
                waves[wave].append(dup)
    out = []
    for wave, fmt in zip(("pre", "post"), spec.formats):
        df = pd.DataFrame(waves[wave]).sort_values("submitted_at", kind="stable").reset_index(drop=True)
        spaced = (df["nip"] != "") & (rng.random(len(df)) < spec.p_nip_spaces)
        if fmt in ("canonical", "template"):  # forms with an 18-digit constraint refuse spaces
            df.loc[spaced, "nip"] = df.loc[spaced, "nip"].map(
                lambda s: f"{s[:8]} {s[8:14]} {s[14]} {s[15:]}")
        df["submitted_at"] = df["submitted_at"].dt.strftime("%Y-%m-%d %H:%M:%S")
        df["keterangan"] = SYNTHETIC_NOTE
        for k in range(spec.empty_rows if fmt in ("canonical", "template") else 0):
            at = int(rng.integers(5, len(df) - 5))
            blank = pd.DataFrame([{c: "" for c in df.columns}])
            df = pd.concat([df.iloc[:at], blank, df.iloc[at:]], ignore_index=True)
        out.append(df)
    return out[0], out[1]


# File names as each tool names its download; "CONTOH SINTETIS" in the form
# title says the data are synthetic wherever the file travels.
_TITLE = "CONTOH SINTETIS Tes Pemahaman Netralitas ASN"


def _typist(df: pd.DataFrame, rng, registry) -> list[dict]:
    """Rows as a typist enters paper forms: some OPDs by a short name, a few
    names with titles, a few NIPs typed into a number cell (Excel keeps 15
    digits); empty rows stay empty."""
    alias = {s: a.split(";")[0] for s, a in zip(registry["singkatan"], registry["alias"]) if a}
    rows = []
    for rec in df.drop(columns=["keterangan", "submitted_at", "session", "wave"]).to_dict("records"):
        if not any(str(v).strip() for v in rec.values()):
            rows.append({})
            continue
        u = rng.random(3)
        if u[0] < 0.15 and rec["opd"] in alias:
            rec["opd"] = alias[rec["opd"]]
        if u[1] < 0.08:
            rec["nama"] = f"Drs. {rec['nama']}" if u[1] < 0.04 else f"{rec['nama']}, S.Pd."
        if u[2] < 0.05 and rec["nip"] and " " not in rec["nip"]:
            rec["nip"] = float(rec["nip"])
        rows.append(rec)
    return rows


def _write_meta(folder: Path, spec, inst: Instrument, **extra) -> Path:
    """``sesi.yaml``: the session facts, marked synthetic with its seed."""
    import yaml
    meta = {"id": spec.id, "nama": spec.nama, "tanggal": spec.tanggal, "tempat": spec.tempat,
            "penyelenggara": spec.penyelenggara, "pengumpulan": spec.pengumpulan,
            "instrumen": inst.id, "versi_instrumen": inst.version, "sintetis": True, **extra,
            "catatan": SYNTHETIC_NOTE + f"; seed {spec.seed}"}
    path = folder / "sesi.yaml"
    path.write_text(yaml.safe_dump(meta, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def _export_name(fs, fmt: str, tanggal: str) -> str:
    """The name ``fmt``'s tool gives its download of the wave ``fs.wave``."""
    from .forms.gforms import quiz_model
    if fmt == "kobo":
        clock = "10-05-11" if fs.wave == "pre" else "13-20-40"
        return f"{_TITLE} {fs.wave} - all versions - xml - {tanggal}-{clock}.csv"
    if fmt == "google":
        title = quiz_model(fs)["title"].replace(fs.instrument.title.replace(": ", " - "), _TITLE)
        return f"{title} (Responses).csv"
    return f"{fs.wave}-entri-kertas-sintetis.xlsx" if fmt == "template" else f"{fs.wave}.csv"


def write_sample(out_dir, inst: Instrument, sessions=None, registry=None,
                 followups=None, *, overwrite: bool = False) -> list[Path]:
    """Write each sample session as its collection tool exports it (see
    ``SessionSpec.formats``), plus ``sesi.yaml``; then each follow-up survey
    (``FOLLOWUPS``) as a Google Forms CSV with ``tindak_lanjut_dari`` in its
    ``sesi.yaml``. A file in the way (to be replaced, or an older export to be
    removed) that evaltools did not write, or that was changed since, is
    refused before anything is written unless ``overwrite=True``.

    Example:
        >>> write_sample("data/sample", inst)  # doctest: +SKIP
    """
    from .forms import FormSpec, stable_xlsx
    from .forms.gforms import google_export_csv
    from .forms.template import fill_entry_template
    from .forms.xlsform import kobo_export_csv
    from .overwrite import claim
    if registry is None:
        registry = Path(inst.path).resolve().parent.parent / "data" / "opd.csv"
    reg = registry if isinstance(registry, pd.DataFrame) else load_opd_registry(registry)
    sessions = list(sessions or SESSIONS)
    followups = list(followups if followups is not None else FOLLOWUPS)

    def form(sid, wave):
        return FormSpec(inst, wave, sid, tuple(reg["singkatan"]), tuple(reg["kode"]))

    # every name is known before anything is written
    files = {sid: [_export_name(form(sid, wave), fmt, SESSIONS[sid].tanggal)
                   for wave, fmt in zip(("pre", "post"), SESSIONS[sid].formats)] for sid in sessions}
    files |= {fid: [_export_name(form(fid, "followup"), "google", FOLLOWUPS[fid].tanggal)]
              for fid in followups}
    out = Path(out_dir)
    # a format change must not leave the old file behind
    stale = [f"{sid}/{p.name}" for sid in sessions if (out / sid).is_dir()
             for p in sorted((out / sid).iterdir())
             if p.suffix in (".csv", ".xlsx") and p.name not in files[sid]]
    names = [f"{sid}/{name}" for sid, own in files.items() for name in [*own, "sesi.yaml"]]
    written = []
    with claim(out, names + stale, overwrite=overwrite):
        for name in stale:
            (out / name).unlink()
        for sid in sessions:
            spec = SESSIONS[sid]
            rng = np.random.default_rng(spec.seed + 1)
            frames = simulate_session(spec, inst)
            for wave, fmt, df, name in zip(("pre", "post"), spec.formats, frames, files[sid]):
                fs, path = form(sid, wave), out / sid / name
                if fmt == "kobo":
                    kobo_export_csv(fs, df.to_dict("records"), path)
                elif fmt == "google":
                    google_export_csv(fs, df.to_dict("records"), path)
                elif fmt == "template":
                    stable_xlsx(fill_entry_template(fs, _typist(df, rng, reg), path))
                else:
                    df.to_csv(path, index=False, lineterminator="\n")
                written.append(path)
            written.append(_write_meta(out / sid, spec, inst))
        for fid in followups:
            spec = FOLLOWUPS[fid]
            df = simulate_followup(spec, inst)
            written.append(google_export_csv(form(fid, "followup"), df.to_dict("records"),
                                             out / fid / files[fid][0]))
            written.append(_write_meta(out / fid, spec, inst, tindak_lanjut_dari=[spec.of]))
    return written
