"""Retention over the follow-up surveys of a session: the mean score of the
participants who took every test, wave by wave with its 95% CI, and under
each follow-up its change from the post-test on everyone who took both
(Holm-adjusted p), from ``Recap.trajectory()``.

Example:
    >>> from matplotlib.figure import Figure
    >>> from evaltools.retention import trajectory
    >>> w = pd.DataFrame({"pre": [50, 55, 60, 40, 45, 70.0], "post": [70, 75, 80, 60, 65, 85.0],
    ...                   "a": [65, 70, 72, 58, 60, 80.0], "b": [60, np.nan, 70, 50, 55, 78.0]})
    >>> t = trajectory(w, {"post": "2024-11-22", "a": "2024-12-20", "b": "2025-02-21"})
    >>> ax = retention_chart(t, kkm=70, ax=Figure(layout="constrained").subplots())
    >>> [x.get_text().splitlines()[0] for x in ax.get_xticklabels()]
    ['Pre-test', 'Post-test', '1 bulan', '3 bulan']
"""

from __future__ import annotations

import numpy as np

from .. import fmt
from ..retention import SESSION_WAVES, holm_p, wave_label
from .labels import LABELS, title
from .style import KKM_COLOR, MUTED, POST, PRE, empty, ensure_axes, finish


def _tick(r, lang: str, family: int) -> str:
    """A wave's name, its date, and for a follow-up its change from the post-test."""
    t = LABELS[lang]
    if r["wave"] in SESSION_WAVES:
        return f"{t[r['wave']]}\nn = {fmt.count(r['n_available'], lang)}"
    head = f"{wave_label(r, lang)}\n{fmt.date(r['date'], lang)}"
    if r["suppressed_pair"]:
        return f"{head}\n{t['suppressed']}"
    p = holm_p(r["p_holm"], lang, family=family) if not fmt.missing(r["p_holm"]) \
        else fmt.uncomputable(lang=lang)
    return f"{head}\n" + t["vs_post"].format(change=fmt.points(r["change"], 1, lang),
                                              n=fmt.count(r["n_pair"], lang), p=p)


def retention_chart(rows, *, kkm: float | None = None, ax=None, lang: str = "id",
                    synthetic: bool = False, min_n: int = 5):
    """One session's ``Recap.trajectory()`` rows (pre, post, the follow-ups
    in date order): the complete cases' mean per wave with its 95% CI,
    joined; under each follow-up its change from the post-test, n and the
    Holm-adjusted p. A trajectory under ``min_n`` complete cases draws no
    line and says why; a comparison under ``min_n`` pairs shows "n < 5".

    Example:
        >>> from matplotlib.figure import Figure
        >>> from evaltools.retention import trajectory
        >>> w = pd.DataFrame({"pre": [50.0] * 4, "post": [70, 72, 74, 76.0], "a": [60, 65, 66, 70.0]})
        >>> t = trajectory(w, {"post": "2024-11-22", "a": "2024-12-20"})
        >>> ax = retention_chart(t, ax=Figure(layout="constrained").subplots(), lang="en")
        >>> ax.texts[0].get_text().splitlines()[0], ax.get_xticklabels()[2].get_text().splitlines()[-1]
        ('Fewer than 5 participants took every test:', 'n < 5 (suppressed)')
    """
    t = LABELS[lang]
    ax = ensure_axes(ax, (7.5, 4.6))
    head = title("retensi", lang)
    if len(rows) == 0:
        return empty(ax, head, synthetic, lang)
    rows = rows.reset_index(drop=True)
    x = np.arange(len(rows), dtype=float)
    handles = []
    if rows["suppressed"].iloc[0]:
        ax.text(0.5, 0.5, t["no_line"].format(min_n=min_n), transform=ax.transAxes, ha="center",
                va="center", fontsize=9, color=MUTED)
    else:
        ax.errorbar(x, rows["mean"], yerr=[rows["mean"] - rows["ci_low"], rows["ci_high"] - rows["mean"]],
                    color=POST, lw=1.6, capsize=4, zorder=2)
        ax.scatter(x[:1], rows["mean"].iloc[:1], s=50, facecolors="white", edgecolors=PRE, lw=1.5,
                   zorder=3)
        ax.scatter(x[1:], rows["mean"].iloc[1:], s=45, marker="s", color=POST, zorder=3)
        for xi, r in zip(x, rows.itertuples()):
            ax.annotate(fmt.num(r.mean, 1, lang), (xi, r.ci_high), xytext=(0, 4),
                        textcoords="offset points", ha="center", va="bottom", fontsize=8)
        from matplotlib.lines import Line2D
        handles.append(Line2D([], [], color=POST, marker="s", lw=1.6,
                              label=t["complete"].format(n=fmt.count(rows["n_complete"].iloc[0], lang))))
    if kkm is not None:
        handles.append(ax.axhline(kkm, color=KKM_COLOR, ls="--", lw=1.1, zorder=0,
                                  label=t["kkm"].format(kkm=fmt.plain(kkm, lang))))
    family = int(rows["p_holm"].notna().sum())
    ax.set_xticks(x, [_tick(r, lang, family) for _, r in rows.iterrows()], fontsize=8)
    ax.set_xlim(-0.5, len(rows) - 0.5)
    ax.set_ylim(0, 108)
    ax.set_ylabel(t["mean_score"])
    ax.set_xlabel(t["session_of"].format(session=rows["session"].iloc[0],
                                         date=fmt.date(rows["date"].iloc[0], lang)), fontsize=8)
    ax.grid(axis="y", color="#EEEEEE")
    ax.set_axisbelow(True)
    finish(ax, head, synthetic, lang)
    if handles:  # inside, low: the follow-ups' words take the room under the axis
        ax.legend(handles=handles, loc="lower left", frameon=False, fontsize=8)
    return ax
