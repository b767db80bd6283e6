"""Synthetic responses at scale: N participants x 2 waves x the instrument's
31 items over G groups (OPDs), written as two wide CSV files (one row per
submission, one column per question, as a Google Forms export) and as Parquet.

Vectorised, and written chunk by chunk: 4.3 million participants take a
minute, in bounded memory.
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


def _nips(n: int, start: int = 0) -> np.ndarray:
    """Unique, plausible 18-digit NIPs: birth date, appointment, sex digit,
    serial; those of participants ``start`` to ``start + n``."""
    i = np.arange(start, start + n)
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
    return next(_chunks(participants, groups, inst, seed, chunk=max(participants, 1)))


def _chunks(participants: int, groups: int, inst, seed: int, chunk: int):
    """The same session, ``chunk`` participants at a time (group effects and
    item difficulties drawn once), so that 4.3 million fit in memory."""
    rng = np.random.default_rng(seed)
    level, gain_of = rng.normal(0, 0.3, groups), 0.8 + rng.normal(0, 0.3, groups)
    difficulty = {(wave, item.id): rng.normal(0, 0.7) for wave in ("pre", "post") for item in inst.items}
    names = np.array([f"OPD Uji {k:04d}" for k in range(groups)])
    for start in range(0, participants, chunk):
        n = min(chunk, participants - start)
        g = rng.integers(0, groups, n)
        theta = rng.normal(0, 1, n) + level[g]
        ids = np.arange(start, start + n)
        base = pd.DataFrame({"nama": pd.Series(ids).map("Peserta {:07d}".format),
                             "nip": _nips(n, start), "opd": names[g],
                             "jenis_pegawai": "pns"})
        out = {}
        for wave, shift, hour in (("pre", 0.0, 8), ("post", 1.0, 11)):
            df = base.copy()
            # Google Forms' stamp, to the second, over four weeks of a national module
            day, minute, second = rng.integers(1, 29, n), rng.integers(0, 60, n), rng.integers(0, 60, n)
            df.insert(0, "Timestamp", [f"2024/11/{d:02d} {hour}:{m:02d}:{s:02d} AM GMT+8"
                                       for d, m, s in zip(day, minute, second)])
            for item in inst.items:
                opts = np.array(list(item.options))
                p = 1 / (1 + np.exp(-(theta + shift * gain_of[g] - difficulty[(wave, item.id)])))
                right = rng.random(n) < p
                if item.type == "multi":
                    df[item.id] = np.where(right, " ".join(sorted(item.key)), opts[0])
                else:
                    wrong = np.array([o for o in opts if o != item.key])
                    df[item.id] = np.where(right, item.key, wrong[rng.integers(0, len(wrong), n)])
            out[wave] = df
        yield out


def write(frames: dict, folder) -> dict:
    """Write pre.csv/post.csv and pre.parquet/post.parquet; return their paths."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    paths = {}
    for wave, df in frames.items():
        paths[f"{wave}_csv"], paths[f"{wave}_parquet"] = folder / f"{wave}.csv", folder / f"{wave}.parquet"
        df.to_csv(paths[f"{wave}_csv"], index=False)
        df.to_parquet(paths[f"{wave}_parquet"], index=False)
    return paths


def write_session(participants: int, groups: int, inst, folder, seed: int = 1,
                  chunk: int = 250_000) -> dict:
    """Simulate and write a session chunk by chunk (bounded memory); the
    files' paths, as ``write``."""
    import pyarrow as pa
    import pyarrow.parquet as pq
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    paths = {f"{w}_{k}": folder / f"{w}.{k}" for w in ("pre", "post") for k in ("csv", "parquet")}
    writers = {}
    try:
        for i, frames in enumerate(_chunks(participants, groups, inst, seed, chunk)):
            for wave, df in frames.items():
                df.to_csv(paths[f"{wave}_csv"], index=False, header=i == 0, mode="w" if i == 0 else "a")
                table = pa.Table.from_pandas(df, preserve_index=False)
                if wave not in writers:
                    writers[wave] = pq.ParquetWriter(paths[f"{wave}_parquet"], table.schema)
                writers[wave].write_table(table)
    finally:
        for w in writers.values():
            w.close()
    return paths
