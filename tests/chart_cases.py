"""The charts the overlap test draws: every chart of the session and recap
exports on the sample sessions, and stress cases built as frames (30 OPDs
with 60-character names, groups under 5, all groups suppressed, one and
twelve sessions on uneven dates, long attitude and reaction statements).

``cases()`` yields ``(name, figure)`` pairs, each figure drawn and sized as
the export sizes it. tests/render_charts.py saves them as PNG to look at.
"""

from __future__ import annotations

import functools
from pathlib import Path

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

import evaltools as et
from evaltools import charts
from evaltools.compare import visible_only
from evaltools.export.session import session_charts

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "data" / "sample"
INSTRUMENT = ROOT / "survey" / "netralitas-asn-pilkada-2024.yaml"
LONG = ("Saya memahami bahwa ASN wajib menjaga netralitas dalam setiap tahapan pemilihan kepala "
        "daerah, termasuk di media sosial dan di luar jam kerja kantor")


def _fig(size):
    fig = Figure(figsize=size, layout="constrained")
    return fig, fig.subplots()


def session_cases(ev, tag: str, lang: str = "id"):
    """Every chart ``export_session`` draws for ``ev`` (placeholders included)."""
    for c in session_charts(ev, lang):
        fig, ax = _fig(c.size)
        if c.n is not None and c.n < ev.min_n:
            charts.placeholder(ax, c.title, min_n=ev.min_n, lang=lang, synthetic=ev.synthetic)
        else:
            c.draw(ax)
        yield f"{tag}-{c.name}-{lang}", fig


def recap_cases(sessions, by_opd, tag: str, kkm: float = 70, lang: str = "id"):
    """The two recap charts as ``export_recap`` draws them."""
    fig, ax = _fig((7.5, 4.4 + 0.17 * len(sessions)))
    charts.trend(sessions, kkm=kkm, ax=ax, lang=lang, synthetic=True)
    yield f"{tag}-tren_sesi-{lang}", fig
    by = visible_only(by_opd) if "sd_gain" in by_opd else by_opd
    fig, ax = _fig((7.5, 1.4 + 0.32 * max(len(by), 3)))
    charts.group_forest(by, ax=ax, lang=lang, synthetic=True)
    yield f"{tag}-rekap_opd-{lang}", fig


def stress_groups(k: int = 30, seed: int = 1, small_every: int = 4, all_small: bool = False):
    """``k`` OPDs with 60-character names, every ``small_every``-th under 5."""
    rng = np.random.default_rng(seed)
    rows = []
    for i in range(k):
        name = f"Dinas Pemberdayaan Masyarakat dan Desa Kabupaten Kutai {i:02d}"
        name = (name + " Kartanegara Timur")[:60]
        n = 3 if all_small or i % small_every == 0 else int(rng.integers(5, 60))
        gain = float(rng.normal(12, 10))
        pre = float(rng.uniform(30, 70))
        rows.append({"opd": name, "n": n, "mean_pre": pre, "mean_post": pre + gain,
                     "mean_gain": gain, "ci_low": gain - 8, "ci_high": gain + 8,
                     "gain_pooled": gain * 0.8, "p_t": 0.01, "p_w": 0.01, "pass_pre": float(rng.uniform(0, 60)),
                     "pass_post": float(rng.uniform(20, 100)), "suppressed": n < 5,
                     "suppressed_secondary": False, "n_sessions": 2,
                     "low_post": bool(i % 3 == 0)})
    if not all_small:
        rows[1]["suppressed"] = rows[1]["suppressed_secondary"] = True
    return pd.DataFrame(rows)


def stress_sessions(k: int, seed: int = 2):
    """``k`` sessions on uneven dates, long names, one suppressed."""
    rng = np.random.default_rng(seed)
    start = pd.Timestamp("2023-01-10")
    days = np.cumsum(rng.integers(3, 120, size=k))
    rows = []
    for i in range(k):
        pre = float(rng.uniform(40, 65))
        n = 3 if (k > 2 and i == 2) else int(rng.integers(10, 300))
        rows.append({"session": f"sesi-{i:02d}", "label": f"Sosialisasi Netralitas ASN Kesbangpol "
                     f"Kabupaten Kutai Kartanegara angkatan {i + 1}",
                     "date": (start + pd.Timedelta(days=int(days[i]))).date().isoformat(),
                     "n": n, "mean_pre": pre, "mean_post": pre + float(rng.uniform(0, 25)),
                     "suppressed": n < 5})
    return pd.DataFrame(rows)


def stress_scales(k: int = 8, seed: int = 3):
    """Attitude and reaction tables with long statements."""
    rng = np.random.default_rng(seed)
    att, rea = [], []
    for i in range(k):
        text = f"{i + 1}. {LONG}"[: 60 + 9 * i]
        a = float(rng.uniform(2, 4.5))
        att.append({"item": f"s{i}", "text": text, "n": 40, "mean_pre": a,
                    "mean_post": min(5.0, a + 0.4), "reverse": i % 3 == 0})
        counts = rng.multinomial(40, [0.05, 0.1, 0.2, 0.35, 0.3])
        rea.append({"item": f"r{i}", "text": text, "n": 40,
                    **{f"n_{j + 1}": int(c) for j, c in enumerate(counts)},
                    "pct_agree": 100 * (counts[3] + counts[4]) / 40})
    att.append({"item": "skala_sikap", "text": "Skala sikap (rata-rata)", "n": 40, "mean_pre": 3.4,
                "mean_post": 3.9, "reverse": False})
    return pd.DataFrame(att), pd.DataFrame(rea)


def stress_items(k: int = 30, seed: int = 4):
    """``k`` items, most flagged for revision, crowded together, labelled
    as ``Instrument.item_label`` labels them (number and short question)."""
    rng = np.random.default_rng(seed)
    words = "Pegawai ASN boleh hadir dalam kampanye calon kepala daerah di luar jam kerja"
    return pd.DataFrame({"item": [f"q{i + 1:02d}" for i in range(k)],
                         "label": [f"{i + 1}. {words[:20 + i % 20]}…" for i in range(k)],
                         "difficulty": rng.uniform(0.55, 0.75, k),
                         "discrimination": rng.uniform(-0.05, 0.25, k),
                         "r_drop": rng.uniform(-0.05, 0.25, k), "n": 40})


def stress_cases(lang: str = "id"):
    """Charts drawn on the stress frames."""
    fig, ax = _fig((6.4, 4.8 + 0.15 * 30))
    charts.item_map(stress_items(), ax=ax, lang=lang, synthetic=True)
    yield f"crowded-peta_butir-{lang}", fig
    groups = stress_groups()
    overall = pd.Series({"n": 900, "pass_pre": 20.0, "pass_post": 61.0, "suppressed": False})
    for tag, g in (("stress30", groups), ("allsmall", stress_groups(6, all_small=True))):
        by = g  # already as visible_only leaves it
        fig, ax = _fig((7.5, 1.4 + 0.32 * max(len(by), 3)))
        charts.group_forest(by, overall=21.8, ax=ax, lang=lang, synthetic=True)
        yield f"{tag}-per_opd-{lang}", fig
        fig, ax = _fig((7.5, 1.6 + 0.42 * max(len(by) + 1, 0)))
        charts.pass_rates(by, overall=overall, kkm=70, ax=ax, lang=lang, synthetic=True)
        yield f"{tag}-lulus_kkm-{lang}", fig
    att, rea = stress_scales()
    fig, ax = _fig((7.5, 1.6 + charts.rows_height(att["text"] + " (dibalik)")))
    charts.attitude_dumbbell(att, ax=ax, lang=lang, synthetic=True)
    yield f"long-sikap-{lang}", fig
    fig, ax = _fig((7.5, 1.9 + charts.rows_height(rea["text"])))
    charts.reaction_bars(rea, ax=ax, lang=lang, synthetic=True)
    yield f"long-reaksi-{lang}", fig
    for k in (1, 12):
        yield from recap_cases(stress_sessions(k), groups, f"sessions{k}", lang=lang)


@functools.cache
def sample_recap():
    """The four sample sessions, evaluated once."""
    return et.recap(SAMPLE, et.load_instrument(INSTRUMENT))


def sample_cases(lang: str = "id"):
    """Every chart of the four sample sessions and of their recap."""
    rc = sample_recap()
    inst = rc.instrument
    for sid, ev in rc.sessions_only.items():
        yield from session_cases(ev, sid.split("-20")[0], lang)
    yield from recap_cases(rc.sessions, rc.by_opd(), "sample", inst.passing_score, lang)


def cases(lang: str = "id"):
    """All of them."""
    yield from sample_cases(lang)
    yield from stress_cases(lang)
