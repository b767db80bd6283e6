"""Charts of a session, for evaluators and managers.

Each function takes ``ax=`` (a new figure when omitted) and returns the axes,
like seaborn. Labels are Indonesian by default (``lang="en"`` for English);
colours are the Okabe-Ito colour-blind-safe set, and pre/post also differ in
marker shape and lightness so a grayscale print still reads. Charts of
synthetic data carry "data contoh (sintetis)"; n is shown wherever a mean is.

Example:
    >>> ax = score_slopes(ev.pairs.matched, kkm=70)   # doctest: +SKIP
    >>> ax.figure.savefig("skor.png", dpi=200)          # doctest: +SKIP
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .findings import num as _num  # decimal comma in Indonesian charts

PRE = "#8C8C8C"      # light grey: reads as light in grayscale too
POST = "#0072B2"     # Okabe-Ito blue: dark in grayscale
ACCENT = "#D55E00"   # Okabe-Ito vermillion, for what needs attention
KKM_COLOR = "#009E73"

_T = {
    "id": {"pre": "Pre-test", "post": "Post-test", "score": "Skor (% benar)",
           "kkm": "KKM {kkm:g}", "slopes": "Skor peserta sebelum dan sesudah sosialisasi",
           "mean": "rata-rata", "pass": "lulus KKM: {a:.0f}% → {b:.0f}%",
           "topics": "Persentase jawaban benar per topik", "pct": "% jawaban benar",
           "weakest": "terlemah", "forest": "Kenaikan skor rata-rata per OPD (IK 95%)",
           "gain": "Kenaikan skor (poin persen)", "overall": "seluruh sesi",
           "raw": "kenaikan OPD (IK 95%)", "pooled": "dipadukan (partial pooling)",
           "suppressed": "n < 5 (disembunyikan)", "synthetic": "data contoh (sintetis)",
           "empty": "Tidak ada peserta yang mengisi pre-test dan post-test",
           "itemmap": "Kesukaran dan daya beda butir ({wave}, n = {n})",
           "difficulty": "Tingkat kesukaran (proporsi benar)",
           "discrimination": "Daya beda (27% atas − 27% bawah)", "revise": "perlu direvisi",
           "ok": "baik",
           "items": "Persentase benar per butir, sebelum → sesudah (n = {n})",
           "signif": "berubah nyata (McNemar, p BH < 0,05)", "not_signif": "tidak berubah nyata",
           "reaction": "Penilaian peserta atas penyelenggaraan (n = {n})",
           "agree_share": "% jawaban",
           "likert_mean": "Rata-rata (1 = sangat tidak setuju, 5 = sangat setuju)",
           "attitude": "Sikap netralitas (n = {n})",
           "reversed": "dibalik"},
    "en": {"pre": "Pre-test", "post": "Post-test", "score": "Score (% correct)",
           "kkm": "Pass mark {kkm:g}", "slopes": "Participants' scores before and after the session",
           "mean": "mean", "pass": "passed: {a:.0f}% → {b:.0f}%",
           "topics": "Percent correct per topic", "pct": "% correct",
           "weakest": "weakest", "forest": "Mean score gain per work unit (95% CI)",
           "gain": "Score gain (percentage points)", "overall": "whole session",
           "raw": "unit's gain (95% CI)", "pooled": "partially pooled",
           "suppressed": "n < 5 (suppressed)", "synthetic": "sample data (synthetic)",
           "empty": "No participant took both the pre-test and the post-test",
           "itemmap": "Item difficulty and discrimination ({wave}, n = {n})",
           "difficulty": "Difficulty (share correct)",
           "discrimination": "Discrimination (upper 27% − lower 27%)", "revise": "to revise",
           "ok": "fine",
           "items": "Percent correct per item, before → after (n = {n})",
           "signif": "changed (McNemar, BH p < 0.05)", "not_signif": "no clear change",
           "reaction": "Participants' rating of the session (n = {n})",
           "agree_share": "% of answers",
           "likert_mean": "Mean (1 = strongly disagree, 5 = strongly agree)",
           "attitude": "Neutrality attitude (n = {n})",
           "reversed": "reversed"},
}


def _axes(ax, size):
    if ax is None:
        import matplotlib.pyplot as plt
        _, ax = plt.subplots(figsize=size, layout="constrained")
    return ax


def _finish(ax, title, synthetic, lang):
    ax.set_title(title, loc="left", fontsize=12, fontweight="bold", pad=16 if synthetic else 6)
    ax.spines[["top", "right"]].set_visible(False)
    if synthetic:
        # a line of its own under the title, so it is never hidden by data
        ax.annotate(_T[lang]["synthetic"], (0, 1), xycoords="axes fraction", xytext=(0, 4),
                    textcoords="offset points", ha="left", va="bottom", fontsize=8,
                    style="italic", color="#555555")
    return ax


def _empty(ax, title, synthetic, lang):
    """An honest empty chart: says why there is nothing to show."""
    ax.text(0.5, 0.5, _T[lang]["empty"], transform=ax.transAxes, ha="center", va="center",
            fontsize=10, color="#555555")
    ax.set_xticks([])
    ax.set_yticks([])
    ax = _finish(ax, title, synthetic, lang)
    ax.spines[["left", "bottom"]].set_visible(False)
    return ax


def score_slopes(matched: pd.DataFrame, *, kkm: float = 70, ax=None, lang: str = "id",
                 synthetic: bool = False, seed: int = 0):
    """Each matched participant's pre and post score joined by a line, the
    means with their n, and the KKM line.

    Example:
        >>> ax = score_slopes(ev.pairs.matched, kkm=inst.passing_score)  # doctest: +SKIP
    """
    t = _T[lang]
    ax = _axes(ax, (6.4, 4.8))
    pre = matched["pct_pre"].to_numpy(float)
    post = matched["pct_post"].to_numpy(float)
    n = len(pre)
    if n == 0:
        return _empty(ax, t["slopes"], synthetic, lang)
    # a little horizontal jitter so equal scores don't hide each other
    jit = np.random.default_rng(seed).uniform(-0.06, 0.06, size=(2, n))
    for i in range(n):
        ax.plot([0 + jit[0, i], 1 + jit[1, i]], [pre[i], post[i]], color="#BBBBBB", lw=0.7,
                alpha=0.7, zorder=1)
    ax.scatter(jit[0], pre, s=14, facecolors="white", edgecolors=PRE, zorder=2)
    ax.scatter(1 + jit[1], post, s=14, marker="s", color=POST, zorder=2)
    for x, v in ((0, pre), (1, post)):
        m = v.mean() if n else np.nan
        # the mean in near-black above the dots, so it reads in colour and in grayscale
        ax.plot([x - 0.2, x + 0.2], [m, m], color="#222222", lw=3, zorder=4,
                solid_capstyle="butt")
        ax.annotate(f"{t['mean']} {_num(m, 1, lang)}\n(n = {n})", (x + (-0.22 if x == 0 else 0.22), m),
                    ha="right" if x == 0 else "left", va="center", fontsize=9)
    ax.axhline(kkm, color=KKM_COLOR, ls="--", lw=1.2, zorder=0)
    ax.text(-0.72, kkm + 0.8, t["kkm"].format(kkm=kkm), color=KKM_COLOR, va="bottom", ha="left",
            fontsize=9)
    if n:
        a, b = 100 * matched["passed_pre"].mean(), 100 * matched["passed_post"].mean()
        ax.text(0.5, 1.0, t["pass"].format(a=a, b=b), transform=ax.transAxes, ha="center",
                va="top", fontsize=9)
    ax.set_xticks([0, 1], [t["pre"], t["post"]])
    ax.set_xlim(-0.75, 1.75)
    ax.set_ylim(-2, 104)
    ax.set_ylabel(t["score"])
    return _finish(ax, t["slopes"], synthetic, lang)


def topic_dumbbell(topics: pd.DataFrame, *, ax=None, lang: str = "id", synthetic: bool = False):
    """Percent correct per topic, pre to post, the weakest post-test topic
    highlighted. ``topics`` is ``ev.topics()``.

    Example:
        >>> ax = topic_dumbbell(ev.topics())  # doctest: +SKIP
    """
    t = _T[lang]
    ax = _axes(ax, (6.4, 4.2))
    df = topics.sort_values("mean_post").reset_index(drop=True)
    if not df["mean_post"].notna().any():
        return _empty(ax, t["topics"], synthetic, lang)
    weakest = df["mean_post"].idxmin() if len(df) else None
    y = np.arange(len(df))
    for i, r in df.iterrows():
        color = ACCENT if i == weakest else POST
        ax.plot([r["mean_pre"], r["mean_post"]], [i, i], color="#BBBBBB", lw=2.5, zorder=1)
        ax.scatter(r["mean_pre"], i, s=45, facecolors="white", edgecolors=PRE, lw=1.5, zorder=2)
        ax.scatter(r["mean_post"], i, s=45, marker="s", color=color, zorder=2)
        ax.text(102, i, f"{r['mean_pre']:.0f} → {r['mean_post']:.0f}", va="center", fontsize=8)
    labels = [f"{r['label']} ({r['n_items']} butir)" if lang == "id" else
              f"{r['label']} ({r['n_items']} items)" for _, r in df.iterrows()]
    ax.set_yticks(y, labels)
    if weakest is not None:
        lab = ax.get_yticklabels()[weakest]
        lab.set_color(ACCENT)
        lab.set_fontweight("bold")
        ax.text(df.loc[weakest, "mean_post"], weakest + 0.3, t["weakest"], color=ACCENT,
                fontsize=8, ha="center", va="bottom")
    ax.set_xlim(0, 100)
    ax.set_xlabel(t["pct"] + (f" (n = {int(df['n'].iloc[0])})" if len(df) else ""))
    from matplotlib.lines import Line2D
    handles = [Line2D([], [], ls="", marker="o", mfc="white", mec=PRE, mew=1.5, label=t["pre"]),
               Line2D([], [], ls="", marker="s", color=POST, label=t["post"])]
    ax.legend(handles=handles, loc="upper center", bbox_to_anchor=(0.5, -0.16), ncol=2, frameon=False, fontsize=8)
    ax.grid(axis="x", color="#EEEEEE")
    ax.set_axisbelow(True)
    return _finish(ax, t["topics"], synthetic, lang)


def group_forest(groups: pd.DataFrame, *, by: str = "opd", overall: float | None = None,
                 ax=None, lang: str = "id", synthetic: bool = False):
    """Mean gain per group with its 95% CI, and the partially pooled gain
    (``gain_pooled``, an open diamond) beside it; groups flagged
    ``suppressed`` show "n < 5" instead of numbers. ``groups`` is ``ev.by("opd")``.

    Example:
        >>> ax = group_forest(ev.by("opd"), overall=ev.summary["mean_gain"][0])  # doctest: +SKIP
    """
    t = _T[lang]
    df = groups.copy()
    df["_order"] = df["mean_gain"].where(~df["suppressed"], -np.inf)
    df = df.sort_values(["_order", by], kind="stable").reset_index(drop=True)
    ax = _axes(ax, (7.5, 0.9 + 0.32 * max(len(df), 3)))
    if df.empty:
        return _empty(ax, t["forest"], synthetic, lang)
    shown = df[~df["suppressed"]]
    hi = float(np.nanmax(shown["ci_high"])) if len(shown) else 10.0
    lo = float(np.nanmin(shown["ci_low"])) if len(shown) else -10.0
    lo, hi = min(lo, 0.0), max(hi, 0.0)
    pad = 0.05 * (hi - lo or 1)
    pooled = "gain_pooled" in df.columns
    for i, r in df.iterrows():
        if r["suppressed"]:
            # in the numbers column, never across the zero line
            ax.text(hi + 2 * pad, i, t["suppressed"], va="center", ha="left", fontsize=8,
                    color="#555555", style="italic")
            continue
        ax.plot([r["ci_low"], r["ci_high"]], [i, i], color=POST, lw=1.6)
        ax.scatter(r["mean_gain"], i, marker="s", s=30, color=POST, zorder=3)
        if pooled and np.isfinite(r["gain_pooled"]):
            ax.scatter(r["gain_pooled"], i, marker="D", s=26, facecolors="white",
                       edgecolors="#222222", lw=1.1, zorder=4)
        sign = "+" if r["mean_gain"] > 0 else ""
        ax.text(hi + 2 * pad, i, f"{sign}{_num(r['mean_gain'], 1, lang)}  (n = {int(r['n'])})",
                va="center", fontsize=8)
    ax.axvline(0, color="#444444", lw=0.8)
    if overall is not None and np.isfinite(overall):
        ax.axvline(overall, color=ACCENT, ls="--", lw=1)
        sign = "+" if overall > 0 else ""
        ax.text(overall, len(df) - 0.4, f"{t['overall']} {sign}{_num(overall, 1, lang)}", color=ACCENT,
                fontsize=8, ha="center", va="bottom")
    ax.set_yticks(range(len(df)), df[by].astype(str).tolist(), fontsize=8)
    ax.set_ylim(-0.7, len(df) + 0.2)
    ax.set_xlim(lo - pad, hi + 9 * pad)
    ax.set_xlabel(t["gain"])
    if pooled:
        from matplotlib.lines import Line2D
        handles = [Line2D([], [], color=POST, marker="s", lw=1.6, label=t["raw"]),
                   Line2D([], [], ls="", marker="D", mfc="white", mec="#222222", label=t["pooled"])]
        ax.legend(handles=handles, loc="upper center", bbox_to_anchor=(0.5, -0.9 / max(len(df), 3)),
                  ncol=2, frameon=False, fontsize=8)
    ax.grid(axis="x", color="#EEEEEE")
    ax.set_axisbelow(True)
    return _finish(ax, t["forest"], synthetic, lang)


def item_map(item_table: pd.DataFrame, *, wave: str = "pre", ax=None, lang: str = "id",
             synthetic: bool = False):
    """Each item's difficulty (x) against its discrimination (y), from
    ``items.item_stats``; items flagged for revision in the accent colour and
    labelled, the "revise" zone (D < 0.20) shaded, the easy/hard limits drawn.

    Example:
        >>> ax = item_map(item_stats(marks), wave="pre")  # doctest: +SKIP
    """
    from .items import EASY, HARD, WEAK
    t = _T[lang]
    ax = _axes(ax, (6.4, 4.8))
    title = t["itemmap"].format(wave=t.get(wave, wave), n=int(item_table["n"].max()))
    ax.axhspan(-1, WEAK, color=ACCENT, alpha=0.07, lw=0)
    for x in (HARD, EASY):
        ax.axvline(x, color="#999999", lw=0.8, ls=":")
    bad = (item_table["discrimination"] < WEAK) | (item_table["r_drop"] < WEAK)
    ok = item_table[~bad]
    ax.scatter(ok["difficulty"], ok["discrimination"], s=28, color=POST, marker="o",
               label=f"{t['ok']} ({len(ok)})", zorder=3)
    flag = item_table[bad]
    ax.scatter(flag["difficulty"], flag["discrimination"], s=40, color=ACCENT, marker="^",
               label=f"{t['revise']} ({len(flag)})", zorder=3)
    # one label per point (items at the same spot share it); a label that would
    # sit on an earlier one goes below its marker instead
    spots = flag.groupby([flag["difficulty"].round(6), flag["discrimination"].round(6)],
                         sort=True)["item"].agg(", ".join).reset_index()
    placed = []
    for _, r in spots.iterrows():
        x, y = r["difficulty"], r["discrimination"]
        near = any(abs(x - px) < 0.06 and abs(y - py) < 0.04 and off > 0 for px, py, off in placed)
        off = -10 if near else 3
        ax.annotate(r["item"], (x, y), xytext=(4, off), textcoords="offset points", fontsize=8,
                    color=ACCENT)
        placed.append((x, y, off))
    ax.set_xlim(0, 1.02)
    low = min(-0.1, float(item_table["discrimination"].min()) - 0.05)
    ax.set_ylim(low, 1.02)
    ax.axhline(0, color="#555555", lw=0.6)
    ax.set_xlabel(t["difficulty"])
    ax.set_ylabel(t["discrimination"])
    ax.legend(loc="upper left", frameon=False, fontsize=9)
    return _finish(ax, title, synthetic, lang)


def _pre_post_handles(t):
    from matplotlib.lines import Line2D
    return [Line2D([], [], ls="", marker="o", mfc="white", mec=PRE, mew=1.5, label=t["pre"]),
            Line2D([], [], ls="", marker="s", color=POST, label=t["post"])]


def item_change(items: pd.DataFrame, *, ax=None, lang: str = "id", synthetic: bool = False,
                alpha: float = 0.05):
    """Percent correct per item, pre to post, sorted by the post-test;
    items whose change is significant after BH adjustment (``p_bh``) are
    drawn solid and marked "*", the others hollow. ``items`` is ``ev.items()``.

    Example:
        >>> ax = item_change(ev.items())  # doctest: +SKIP
    """
    t = _T[lang]
    df = items.sort_values(["pct_post", "item"]).reset_index(drop=True)
    ax = _axes(ax, (6.4, 0.9 + 0.22 * max(len(df), 5)))
    n = int(df["n"].max()) if len(df) else 0
    if n == 0:
        return _empty(ax, t["items"].format(n=0), synthetic, lang)
    sig = (df["p_bh"] < alpha).to_numpy()
    for i, r in df.iterrows():
        ax.plot([r["pct_pre"], r["pct_post"]], [i, i], color="#BBBBBB", lw=2, zorder=1)
        ax.scatter(r["pct_pre"], i, s=28, facecolors="white", edgecolors=PRE, lw=1.3, zorder=2)
        ax.scatter(r["pct_post"], i, s=30, marker="s", zorder=3, lw=1.3,
                   facecolors=POST if sig[i] else "white", edgecolors=POST)
    ax.set_yticks(range(len(df)), [f"{r['item']} *" if s else r["item"]
                                   for (_, r), s in zip(df.iterrows(), sig)], fontsize=7)
    for lab, s in zip(ax.get_yticklabels(), sig):
        if s:
            lab.set_fontweight("bold")
    from matplotlib.lines import Line2D
    handles = [*_pre_post_handles(t)[:1],
               Line2D([], [], ls="", marker="s", color=POST, label=f"{t['post']}: {t['signif']}"),
               Line2D([], [], ls="", marker="s", mfc="white", mec=POST,
                      label=f"{t['post']}: {t['not_signif']}")]
    ax.legend(handles=handles, loc="upper center", bbox_to_anchor=(0.5, -0.6 / max(len(df), 5) - 0.06),
              ncol=2, frameon=False, fontsize=7)
    ax.set_xlim(0, 100)
    ax.set_ylim(-0.8, len(df) - 0.2)
    ax.set_xlabel(t["pct"])
    ax.grid(axis="x", color="#EEEEEE")
    ax.set_axisbelow(True)
    return _finish(ax, t["items"].format(n=n), synthetic, lang)


def reaction_bars(reaction: pd.DataFrame, *, ax=None, lang: str = "id", synthetic: bool = False):
    """How participants rated the session: one stacked bar per reaction item,
    answers 1-5 as shares, agreeing (4-5) to the right of the line at 0.
    ``reaction`` is ``ev.reaction()``.

    Example:
        >>> ax = reaction_bars(ev.reaction())  # doctest: +SKIP
    """
    t = _T[lang]
    ax = _axes(ax, (6.4, 0.9 + 0.45 * max(len(reaction), 3)))
    n = int(reaction["n"].max()) if len(reaction) else 0
    if n == 0:
        return _empty(ax, t["reaction"].format(n=0), synthetic, lang)
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
                ax.text(left + share[k] / 2, i, _num(share[k], 0, lang), ha="center", va="center",
                        fontsize=7, color="white" if k in (1, 5) else "#222222")
            left += share[k]
        ax.text(101, i, f"{_num(r['pct_agree'], 0, lang)}% ≥ 4", va="center", fontsize=8)
    ax.axvline(0, color="#444444", lw=0.8)
    labels = [str(x) if len(str(x)) <= 42 else str(x)[:40] + "…" for x in df["text"]]
    ax.set_yticks(range(len(df)), labels, fontsize=8)
    ax.set_xlim(-100, 125)
    ax.set_xticks([-100, -50, 0, 50, 100], ["100", "50", "0", "50", "100"])
    ax.set_xlabel(t["agree_share"])
    from matplotlib.patches import Patch
    words = {"id": ["sangat tidak setuju", "tidak setuju", "ragu-ragu", "setuju", "sangat setuju"],
             "en": ["strongly disagree", "disagree", "neutral", "agree", "strongly agree"]}[lang]
    ax.legend(handles=[Patch(color=colors[k], label=f"{k} {words[k - 1]}") for k in range(1, 6)],
              loc="upper center", bbox_to_anchor=(0.45, -0.25 if len(df) <= 5 else -0.15), ncol=3,
              frameon=False, fontsize=7)
    return _finish(ax, t["reaction"].format(n=n), synthetic, lang)


def attitude_dumbbell(attitudes: pd.DataFrame, *, ax=None, lang: str = "id",
                      synthetic: bool = False):
    """Mean of each attitude item and of the scale (last row, bold), before
    and after, on the 1-5 scale; reverse-coded items say so. ``attitudes``
    is ``ev.attitudes()``.

    Example:
        >>> ax = attitude_dumbbell(ev.attitudes())  # doctest: +SKIP
    """
    t = _T[lang]
    df = attitudes.iloc[::-1].reset_index(drop=True)
    ax = _axes(ax, (6.4, 0.9 + 0.45 * max(len(df), 3)))
    n = int(df["n"].max()) if len(df) else 0
    if n == 0:
        return _empty(ax, t["attitude"].format(n=0), synthetic, lang)
    for i, r in df.iterrows():
        scale = str(r["item"]).startswith("skala_")
        ax.plot([r["mean_pre"], r["mean_post"]], [i, i], color="#BBBBBB", lw=3 if scale else 2)
        ax.scatter(r["mean_pre"], i, s=40, facecolors="white", edgecolors=PRE, lw=1.5, zorder=2)
        ax.scatter(r["mean_post"], i, s=44, marker="s", color=POST, zorder=3)
        ax.text(5.08, i, f"{_num(r['mean_pre'], 2, lang)} → {_num(r['mean_post'], 2, lang)}",
                va="center", fontsize=8,
                fontweight="bold" if scale else "normal")
    labels = []
    for _, r in df.iterrows():
        text = str(r["text"])
        text = text if len(text) <= 36 else text[:34] + "…"
        labels.append(text + (f" ({t['reversed']})" if r.get("reverse", False) else ""))
    ax.set_yticks(range(len(df)), labels, fontsize=7)
    for lab, item in zip(ax.get_yticklabels(), df["item"]):
        if str(item).startswith("skala_"):
            lab.set_fontweight("bold")
    ax.set_xlim(1, 6.0)
    ax.set_xticks([1, 2, 3, 4, 5])
    ax.set_xlabel(t["likert_mean"], fontsize=8)
    ax.legend(handles=_pre_post_handles(t), loc="upper center", bbox_to_anchor=(0.45, -0.22),
              ncol=2, frameon=False, fontsize=8)
    ax.grid(axis="x", color="#EEEEEE")
    ax.set_axisbelow(True)
    return _finish(ax, t["attitude"].format(n=n), synthetic, lang)

