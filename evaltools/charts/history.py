"""The session beside the previous session of the same organiser: mean score
before and after, and the share reaching the KKM after, for each.

Example:
    >>> import pandas as pd
    >>> from matplotlib.figure import Figure
    >>> rows = pd.DataFrame({"label": ["Sesi lalu", "Sesi ini"], "date": ["2024-01-10", "2024-06-10"],
    ...                      "n": [40, 35], "mean_pre": [50.0, 55.0], "mean_post": [60.0, 70.0],
    ...                      "pass_post": [40.0, 60.0], "suppressed": [False, False]})
    >>> history_chart(rows, ax=Figure().subplots()).get_title(loc="left")
    'Dibanding sesi sebelumnya'
"""

from __future__ import annotations

import textwrap

from .. import fmt
from .style import MUTED, POST, PRE, ensure_axes, finish, legend_below, pre_post_handles

TITLE = {"id": "Dibanding sesi sebelumnya", "en": "Compared with the previous session"}
AXIS = {"id": "Skor rata-rata (% benar)", "en": "Mean score (% correct)"}
RIGHT = {"id": "lulus KKM {p}  (n = {n})", "en": "pass mark {p}  (n = {n})"}
HIDDEN = {"id": "n < 5 (disembunyikan)", "en": "n < 5 (hidden)"}


def history_chart(rows, *, ax=None, lang: str = "id", synthetic: bool = False):
    """One row per session (previous first): ``label``, ``date``, ``n``,
    ``mean_pre``, ``mean_post``, ``pass_post``, ``suppressed``; pre and post
    means as a dumbbell, the pass rate after and n at the right. A hidden
    session shows its name only.

    Example:
        >>> import pandas as pd
        >>> from matplotlib.figure import Figure
        >>> rows = pd.DataFrame({"label": ["A"], "date": ["2024-01-10"], "n": [3], "mean_pre": [1.0],
        ...                      "mean_post": [2.0], "pass_post": [0.0], "suppressed": [True]})
        >>> history_chart(rows, ax=Figure().subplots()).texts[-1].get_text()
        'n < 5 (disembunyikan)'
    """
    ax = ensure_axes(ax, (6.4, 2.4))
    y = list(range(len(rows)))[::-1]
    names = []
    for yi, r in zip(y, rows.itertuples()):
        names.append("\n".join(textwrap.wrap(f"{r.label} ({fmt.date(r.date, lang)})", 34)))
        if bool(r.suppressed):
            ax.text(101, yi, HIDDEN[lang], va="center", ha="left", fontsize=8, color=MUTED)
            continue
        ax.plot([r.mean_pre, r.mean_post], [yi, yi], color="#BBBBBB", lw=2, zorder=1)
        ax.plot(r.mean_pre, yi, "o", mfc="white", mec=PRE, mew=1.5, zorder=2)
        ax.plot(r.mean_post, yi, "s", color=POST, zorder=3)
        ax.text(101, yi, RIGHT[lang].format(p=fmt.pct(r.pass_post, 0, lang), n=fmt.count(r.n, lang)),
                va="center", ha="left", fontsize=8)
    ax.set_yticks(y, names, fontsize=8)
    ax.set_ylim(-0.6, len(rows) - 0.4)
    ax.set_xlim(0, 100)
    ax.set_xlabel(AXIS[lang])
    finish(ax, TITLE[lang], synthetic, lang)
    legend_below(ax, pre_post_handles(lang))
    return ax
