"""Attitude and reaction scales."""

from __future__ import annotations

import numpy as np
import pandas as pd

from .. import fmt
from .labels import LABELS, title
from .style import POST, PRE, empty, ensure_axes, finish, legend_below, pre_post_handles, row_segments, wrap


def reaction_bars(reaction: pd.DataFrame, *, ax=None, lang: str = "id", synthetic: bool = False):
    """How participants rated the session: one stacked bar per reaction item,
    answers 1-5 as shares, agreeing (4-5) to the right of the line at 0.
    ``reaction`` is ``ev.reaction()``.

    Example:
        >>> from matplotlib.figure import Figure
        >>> ax = reaction_bars(ev.reaction(), ax=Figure().subplots())
        >>> ax.get_title(loc="left")
        'Penilaian peserta atas penyelenggaraan (n = 53)'
    """
    t = LABELS[lang]
    ax = ensure_axes(ax, (6.4, 0.9 + 0.45 * max(len(reaction), 3)))
    n = int(reaction["n"].max()) if len(reaction) else 0
    if n == 0:
        return empty(ax, title("reaksi", lang, n=0), synthetic, lang, "no_answers")
    # a diverging bar: disagreeing to the left of 0, neutral centred, agreeing to the right;
    # blue-orange (colour-blind safe) with lightness steps that survive grayscale
    colors = {1: "#A63603", 2: "#FDAE6B", 3: "#D9D9D9", 4: "#9ECAE1", 5: "#08519C"}
    df = reaction.iloc[::-1].reset_index(drop=True)
    for i, r in df.iterrows():
        share = {k: 100 * r[f"n_{k}"] / r["n"] if r["n"] else 0 for k in range(1, 6)}
        left = -(share[1] + share[2] + share[3] / 2)
        for k in range(1, 6):
            ax.barh(i, share[k], left=left, color=colors[k], edgecolor="white", lw=0.5, height=0.6)
            if share[k] >= 8:
                ax.text(left + share[k] / 2, i, fmt.num(share[k], 0, lang), ha="center", va="center",
                        fontsize=7, color="white" if k in (1, 5) else "#222222")
            left += share[k]
        ax.text(101, i, f"{fmt.pct(r['pct_agree'], 0, lang)} ≥ 4", va="center", fontsize=8)
    ax.axvline(0, color="#444444", lw=0.8)
    ax.set_yticks(range(len(df)), [wrap(x, 40) for x in df["text"]], fontsize=8)  # in full
    ax.set_xlim(-100, 125)
    ax.set_xticks([-100, -50, 0, 50, 100], ["100", "50", "0", "50", "100"])
    ax.set_xlabel(t["agree_share"])
    from matplotlib.patches import Patch
    words = t["likert"]
    legend_below(ax, [Patch(color=colors[k], label=f"{k} {words[k - 1]}") for k in range(1, 6)],
                  ncol=3, fontsize=7, x=0.45)
    return finish(ax, title("reaksi", lang, n=n), synthetic, lang)


def attitude_dumbbell(attitudes: pd.DataFrame, *, ax=None, lang: str = "id",
                      synthetic: bool = False):
    """Mean of each attitude item and of the scale (last row, bold), before
    and after, on the 1-5 scale; reverse-coded items say so. ``attitudes``
    is ``ev.attitudes()``.

    Example:
        >>> from matplotlib.figure import Figure
        >>> ax = attitude_dumbbell(ev.attitudes(), ax=Figure().subplots())
        >>> ax.get_title(loc="left"), ax.texts[0].get_text()
        ('Sikap netralitas (n = 52)', '3,69 → 4,04')
    """
    t = LABELS[lang]
    df = attitudes.iloc[::-1].reset_index(drop=True)
    ax = ensure_axes(ax, (6.4, 0.9 + 0.45 * max(len(df), 3)))
    n = int(df["n"].max()) if len(df) else 0
    if n == 0:
        return empty(ax, title("sikap", lang, n=0), synthetic, lang, "no_answers")
    # one artist per kind for all statements (see style.row_segments); a scale's line is wider
    y = np.arange(len(df))
    scales = df["item"].astype(str).str.startswith("skala_").to_numpy(dtype=bool)
    for part, lw in ((~scales, 2), (scales, 3)):
        if part.any():
            row_segments(ax, df["mean_pre"][part], df["mean_post"][part], y[part], color="#BBBBBB", lw=lw)
    ax.scatter(df["mean_pre"], y, s=40, facecolors="white", edgecolors=PRE, lw=1.5, zorder=2)
    ax.scatter(df["mean_post"], y, s=44, marker="s", color=POST, zorder=3)
    for i, r in df.iterrows():
        scale = str(r["item"]).startswith("skala_")
        ax.text(5.08, i, f"{fmt.num(r['mean_pre'], 2, lang)} → {fmt.num(r['mean_post'], 2, lang)}",
                va="center", fontsize=8,
                fontweight="bold" if scale else "normal")
    labels = []
    for _, r in df.iterrows():
        # the whole statement, wrapped: a cut one can read as its opposite
        text = str(r["text"]) + (f" ({t['reversed']})" if r.get("reverse", False) else "")
        labels.append(wrap(text, 40))
    ax.set_yticks(range(len(df)), labels, fontsize=7)
    for lab, item in zip(ax.get_yticklabels(), df["item"]):
        if str(item).startswith("skala_"):
            lab.set_fontweight("bold")
    ax.set_xlim(1, 6.0)
    ax.set_xticks([1, 2, 3, 4, 5])
    ax.set_xlabel(t["likert_mean"], fontsize=8)
    legend_below(ax, pre_post_handles(lang), x=0.45)
    ax.grid(axis="x", color="#EEEEEE")
    ax.set_axisbelow(True)
    return finish(ax, title("sikap", lang, n=n), synthetic, lang)
