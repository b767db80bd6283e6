"""The response model: people drawn for each OPD, and their answers from a
simple item-response model in which gain differs by OPD and by topic, with
the imperfections of real collection (missed post-tests, double
submissions, blank items, NIPs typed with spaces, a stray empty row).

Example:
    >>> pre, post = simulate_session(SESSIONS["loa-janan-2024-11-22"], inst)
    >>> len(pre), len(post), pre["keterangan"].iloc[0]
    (58, 56, 'DATA SINTETIS (evaltools.simulate), bukan data nyata')
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..instrument import Instrument
from .specs import SESSIONS, TOPIC_DIFFICULTY, TOPIC_GAIN, FollowupSpec, SessionSpec

SYNTHETIC_NOTE = "DATA SINTETIS (evaltools.simulate), bukan data nyata"

_FIRST = ("Agus Ahmad Andi Bambang Budi Dedi Eko Fajar Hendra Irwan Joko Rudi Slamet Taufik "
          "Wahyu Yusuf Rahmat Arief Hasan Iwan Ani Dewi Endang Fitri Indah Lestari Maya Nur "
          "Rina Sari Siti Sri Wulan Yuni Ratna Hartini Nurul Kartika Ayu Rahmawati").split()
_MALE = set(_FIRST[:20])
_LAST = ("Saputra Wijaya Santoso Hidayat Kurniawan Pratama Setiawan Nugroho Siregar Lubis "
         "Rahman Hakim Syahputra Hasibuan Wibowo Sulistyo Lestari Anggraini Susanti Handayani "
         "Aryani Rusdi Mahmud Effendi Baharuddin Arsyad Fauzi Ramadhan Salim Gunawan").split()

SUGGESTIONS = ["Waktu diskusi ditambah", "Materi dibagikan dalam bentuk PDF",
               "- contoh kasus pelanggaran di media sosial diperbanyak",
               "Sosialisasi diadakan lagi menjelang hari pemungutan suara",
               "Koneksi Zoom sering putus", "+ libatkan Bawaslu kabupaten",
               "Narasumber sangat jelas, terima kasih", "Perlu sesi tanya jawab lebih panjang"]



def simulate_followup(spec: FollowupSpec, inst: Instrument) -> pd.DataFrame:
    """The follow-up wave in the canonical layout: the session's people are
    drawn again exactly as ``simulate_session`` drew them (same seed), then
    answer with ``keep`` of their gain; ``others`` answer from their level.

    Example:
        >>> from evaltools.simulate import FOLLOWUPS
        >>> df = simulate_followup(FOLLOWUPS["kukar-tindak-lanjut-2024-12-20"], inst)
        >>> set(df["wave"]), df["nama"].head(2).tolist()
        ({'followup'}, ['Taufik Fauzi', 'Yusuf Hasibuan'])
    """
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
    """Pre and post response tables in the canonical layout, seeded by the spec.

    Example:
        >>> pre, post = simulate_session(SESSIONS["kesbangpol-balikpapan-2023-10-20"], inst)
        >>> len(pre), int((pre["opd"] == "").sum())  # rows, one of them a stray empty row
        (34, 1)
    """
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
