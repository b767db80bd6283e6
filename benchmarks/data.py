"""Synthetic responses at scale: N participants x 2 waves x the instrument's
31 items over G groups (OPDs), written as two wide CSV files (one row per
submission, one column per question, as a Google Forms export) and as Parquet.

Vectorised throughout: 4.3 million participants take seconds, not hours.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

SESSION = "bench-2024-11-01"


def registry(groups: int) -> pd.DataFrame:
    """An OPD registry holding exactly the benchmark's groups."""
    names = [f"OPD Uji {i:04d}" for i in range(groups)]
    return pd.DataFrame({"kode": [f"9900-{i:04d}" for i in range(groups)], "nama": names,
                         "singkatan": names, "alias": "", "jenis": "dinas",
                         "kabupaten_kota": "samarinda", "induk": ""})


def _nips(n: int) -> np.ndarray:
    """Unique, plausible 18-digit NIPs: birth date, appointment, sex digit, serial."""
    i = np.arange(n)
    year = 1966 + (i % 33)
    month = 1 + (i // 33) % 12
    day = 1 + (i // 396) % 28
    serial = 1 + (i // 11088) % 999
    appt = np.minimum(year + 25, 2023)
    sex = 1 + i % 2
    parts = [pd.Series(year).astype(str), pd.Series(month).map("{:02d}".format),
             pd.Series(day).map("{:02d}".format), pd.Series(appt).astype(str),
             pd.Series(1 + i % 12).map("{:02d}".format), pd.Series(sex).astype(str),
             pd.Series(serial).map("{:03d}".format)]
    out = parts[0]
    for p in parts[1:]:
        out = out + p
    return out.to_numpy()


def simulate(participants: int, groups: int, inst, seed: int = 1) -> dict:
    """{"pre": DataFrame, "post": DataFrame} in the canonical wide layout."""
    rng = np.random.default_rng(seed)
    n = participants
    g = rng.integers(0, groups, n)
    theta = rng.normal(0, 1, n) + rng.normal(0, 0.3, groups)[g]
    gain = 0.8 + rng.normal(0, 0.3, groups)[g]
    nip = _nips(n)
    base = pd.DataFrame({"nama": pd.Series(np.arange(n)).map("Peserta {:07d}".format),
                         "nip": nip, "opd": np.array([f"OPD Uji {k:04d}" for k in range(groups)])[g],
                         "jenis_pegawai": "pns"})
    out = {}
    for wave, shift in (("pre", 0.0), ("post", 1.0)):
        df = base.copy()
        df.insert(0, "Timestamp", f"2024/11/01 {'8' if wave == 'pre' else '11'}:15:00 AM GMT+8")
        for k, item in enumerate(inst.items):
            opts = np.array(list(item.options))
            diff = rng.normal(0, 0.7)
            p = 1 / (1 + np.exp(-(theta + shift * gain - diff)))
            right = rng.random(n) < p
            if item.type == "multi":
                key = " ".join(sorted(item.key))
                df[item.id] = np.where(right, key, opts[0])
            else:
                wrong = np.array([o for o in opts if o != item.key])
                df[item.id] = np.where(right, item.key, wrong[rng.integers(0, len(wrong), n)])
        out[wave] = df
    return out


def write(frames: dict, folder) -> dict:
    """Write pre.csv/post.csv, and pre.parquet/post.parquet where pyarrow is
    installed; return their paths."""
    import importlib.util
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    paths = {}
    for wave, df in frames.items():
        csv = folder / f"{wave}.csv"
        df.to_csv(csv, index=False)
        paths[f"{wave}_csv"] = csv
        if importlib.util.find_spec("pyarrow"):
            pq = folder / f"{wave}.parquet"
            df.to_parquet(pq, index=False)
            paths[f"{wave}_parquet"] = pq
    return paths
