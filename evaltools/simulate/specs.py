"""The sample sessions and follow-up surveys: who came from which OPD, how
much each OPD knew and gained, how each wave was collected, and the seed.

Example:
    >>> s = SESSIONS["loa-janan-2024-11-22"]
    >>> s.formats, sum(u.n for u in s.units), FOLLOWUPS["kukar-tindak-lanjut-2024-12-20"].of
    (('kobo', 'template'), 56, 'loa-janan-2024-11-22')
    >>> [(f.of, f.tanggal) for f in LATER_FOLLOWUPS.values()]
    [('loa-janan-2024-11-22', '2025-02-21')]
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

# Pre-test difficulty shift and learning gain by topic (logit units): the
# session teaches social media and prohibitions well, reporting rules poorly.
TOPIC_DIFFICULTY = {"dasar_hukum": 0.2, "nilai_dasar": -0.6, "larangan": 0.0,
                    "media_sosial": 0.3, "sanksi": 0.8, "hak_pilih": -0.4, "pelaporan": 0.9}
TOPIC_GAIN = {"dasar_hukum": 0.9, "nilai_dasar": 0.5, "larangan": 1.1, "media_sosial": 1.3,
              "sanksi": 0.8, "hak_pilih": 0.6, "pelaporan": 0.15}


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
    # how the sosialisasi itself was held (sesi.yaml ``format``): luring, daring or hibrida
    held: str = "luring"


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
        formats=("google", "google"), held="hibrida")


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


def _kukar_followup_later() -> FollowupSpec:
    """The same Loa Janan participants asked again three months after the
    session, fewer of them, having kept less."""
    return replace(_kukar_followup(), id="kukar-tindak-lanjut-2025-02-21",
                   nama="Survei Tindak Lanjut Kedua Pemahaman Netralitas ASN Pemkab Kutai Kartanegara",
                   tanggal="2025-02-21", share=0.7, keep=0.35, units=(), seed=20250221)


# Follow-ups that data/sample does not hold (many tests count its folders): a
# second survey of the same participants, for the trajectory over several
# follow-ups (``write_sample(..., followups=[*FOLLOWUPS, *LATER_FOLLOWUPS])``).
LATER_FOLLOWUPS = {f.id: f for f in (_kukar_followup_later(),)}

