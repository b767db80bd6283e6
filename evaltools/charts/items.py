"""Items: difficulty and discrimination, change per item."""

from __future__ import annotations

import textwrap

import numpy as np
import pandas as pd

from .. import fmt
from ..items import EASY, HARD, WEAK
from .labels import LABELS, title
from .style import (ACCENT, KKM_COLOR, POST, PRE, dodge, empty, ensure_axes, finish, legend_below,
                    pre_post_handles, row_segments)


def _item_text(item_id: str, instrument, lang: str, width: int) -> str:
    """An item as a reader knows it: number and short question with an
    ``instrument``, else its id."""
    return instrument.item_label(item_id, lang, width) if instrument is not None else item_id


def _option_text(item_id: str, option: str, instrument, options, lang: str) -> str:
    if instrument is not None and option in instrument.item(item_id).options:
        return instrument.option_label(item_id, option, lang)
    return f"{option}. {(options or {}).get(option, '')}".strip(". ")


def item_map(item_table: pd.DataFrame, *, wave: str = "pre", ax=None, lang: str = "id",
             synthetic: bool = False, instrument=None):
    """Each item's difficulty (x) against its discrimination (y), from
    ``items.item_stats``; items flagged for revision in the accent colour and
    labelled (number and short question with ``instrument``), the "revise"
    zone (D < 0.20) shaded, the easy/hard limits drawn.

    Example:
        >>> from matplotlib.figure import Figure
        >>> ax = item_map(ev.item_analysis("pre", matched_only=True), ax=Figure().subplots())
        >>> ax.get_title(loc="left")
        'Kesukaran dan daya beda butir (Pre-test, n = 52)'
    """
    t = LABELS[lang]
    ax = ensure_axes(ax, (6.4, 4.8))
    head = title("peta_butir", lang, n=int(item_table["n"].max()), wave=wave)
    ax.axhspan(-1, WEAK, color=ACCENT, alpha=0.07, lw=0)
    for x in (HARD, EASY):
        ax.axvline(x, color="#999999", lw=0.8, ls=":")
    bad = (item_table["discrimination"] < WEAK) | (item_table["r_drop"] < WEAK)
    ok = item_table[~bad]
    ax.scatter(ok["difficulty"], ok["discrimination"], s=28, color=POST, marker="o",
               label=f"{t['ok']} ({fmt.count(len(ok), lang)})", zorder=3)
    flag = item_table[bad]
    ax.scatter(flag["difficulty"], flag["discrimination"], s=40, color=ACCENT, marker="^",
               label=f"{t['revise']} ({fmt.count(len(flag), lang)})", zorder=3)
    # one label per point (items at the same spot share it), each put where it
    # covers no other label and no marker (style.dodge, after the axes are final);
    # with an instrument the point shows the item's number and a key under the
    # chart its question
    keyed = instrument is not None
    mark = flag["item"].map(lambda i: str(instrument.item_number(i))) if keyed else flag["item"]
    spots = flag.assign(_mark=mark).groupby(
        [flag["difficulty"].round(6), flag["discrimination"].round(6)], sort=True)["_mark"].agg(
        ", ".join).reset_index()
    notes = [ax.annotate(r["_mark"], (r["difficulty"], r["discrimination"]), xytext=(4, 2),
                         textcoords="offset points", fontsize=8, color=ACCENT)
             for _, r in spots.iterrows()]
    ax.set_xlim(0, 1.02)
    low = min(-0.1, float(item_table["discrimination"].min()) - 0.05)
    ax.set_ylim(low, 1.02)
    ax.axhline(0, color="#555555", lw=0.6)
    ax.set_xlabel(t["difficulty"])
    ax.set_ylabel(t["discrimination"])
    ax.legend(loc="upper left", frameon=False, fontsize=9)
    finish(ax, head, synthetic, lang)
    if keyed and len(flag):
        order = sorted(flag["item"], key=instrument.item_number)
        ax.annotate("\n".join(_item_text(i, instrument, lang, 60) for i in order), (0, 0), xycoords="axes fraction",
                    xytext=(0, -34), textcoords="offset points", va="top", fontsize=8,
                    color=ACCENT)
    marks = [(x, y, x, y) for x, y in zip(item_table["difficulty"], item_table["discrimination"])]
    dodge(ax, notes, [(4, 2), (-4, 2), (4, -2), (-4, -2), (0, 7), (0, -8), (8, 12), (-8, 12),
                      (8, -12), (-8, -12), (0, 18), (0, -19), (12, 24), (-12, -24)], avoid=marks)
    return ax


def item_change(items: pd.DataFrame, *, ax=None, lang: str = "id", synthetic: bool = False,
                alpha: float = 0.05, instrument=None):
    """Percent correct per item, pre to post, sorted by the post-test;
    items whose change is significant after BH adjustment (``p_bh``) are
    drawn solid and marked "*", the others hollow. ``items`` is ``ev.items()``;
    with ``instrument`` each row reads "<number>. <short question>".

    Example:
        >>> from matplotlib.figure import Figure
        >>> ax = item_change(ev.items(), ax=Figure().subplots())
        >>> ax.get_title(loc="left")
        'Persentase benar per butir, sebelum → sesudah (n = 52)'
    """
    t = LABELS[lang]
    df = items.sort_values(["pct_post", "item"]).reset_index(drop=True)
    ax = ensure_axes(ax, (6.4, 0.9 + 0.22 * max(len(df), 5)))
    n = int(df["n"].max()) if len(df) else 0
    if n == 0:
        return empty(ax, title("per_butir", lang, n=0), synthetic, lang)
    sig = (df["p_bh"] < alpha).to_numpy()
    y = np.arange(len(df))  # one artist per kind for all items (see style.row_segments)
    row_segments(ax, df["pct_pre"], df["pct_post"], y, color="#BBBBBB", lw=2, zorder=1)
    ax.scatter(df["pct_pre"], y, s=28, facecolors="white", edgecolors=PRE, lw=1.3, zorder=2)
    for part, face in ((~sig, "white"), (sig, POST)):  # one colour a collection (style.row_segments)
        if part.any():
            ax.scatter(df["pct_post"][part], y[part], s=30, marker="s", zorder=3, lw=1.3,
                       facecolors=face, edgecolors=POST)
    names = [_item_text(i, instrument, lang, 40) for i in df["item"]]
    ax.set_yticks(range(len(df)), [f"{name} *" if s else name for name, s in zip(names, sig)],
                  fontsize=7)
    for lab, s in zip(ax.get_yticklabels(), sig):
        if s:
            lab.set_fontweight("bold")
    from matplotlib.lines import Line2D
    signif = t["signif"].format(alpha=fmt.plain(alpha, lang))
    handles = [*pre_post_handles(lang)[:1],
               Line2D([], [], ls="", marker="s", color=POST, label=f"{t['post']}: {signif}"),
               Line2D([], [], ls="", marker="s", mfc="white", mec=POST,
                      label=f"{t['post']}: {t['not_signif']}")]
    ax.set_xlim(0, 100)
    ax.set_ylim(-0.8, len(df) - 0.2)
    ax.set_xlabel(t["pct"])
    legend_below(ax, handles, fontsize=7)
    ax.grid(axis="x", color="#EEEEEE")
    ax.set_axisbelow(True)
    return finish(ax, title("per_butir", lang, n=n), synthetic, lang)


def distractor_bars(pre: pd.DataFrame, post: pd.DataFrame | None = None, *, item: str,
                    options: dict | None = None, ax=None, lang: str = "id",
                    synthetic: bool = False, instrument=None):
    """Which answer participants chose for one item, before and after: one
    bar pair per option, the key marked. ``pre``/``post`` are
    ``ev.distractors("pre")``/``("post")``. With ``instrument`` the title
    shows the item's number and question and the options read as on the
    form (true/false once: "Benar"); else ``options`` maps option ids to
    their text for the labels.

    Example:
        >>> from matplotlib.figure import Figure
        >>> ax = distractor_bars(ev.distractors("pre"), ev.distractors("post"), item="q02",
        ...                      ax=Figure().subplots(), instrument=inst)
        >>> ax.get_title(loc="left"), [t.get_text() for t in ax.get_yticklabels()][-1]
        ('Jawaban yang dipilih: butir 2. Yang BUKAN termasuk\\nnilai dasar BerAKHLAK…', 'A. Harmonis')
    """
    t = LABELS[lang]
    a = pre[pre["item"] == item].reset_index(drop=True)
    b = post[post["item"] == item].set_index("option") if post is not None else None
    n_pre = int(a["n"].iloc[0]) if len(a) else 0
    n_post = int(b["n"].iloc[0]) if b is not None and len(b) else 0
    head = title("pengecoh", lang, item=_item_text(item, instrument, lang, 50))
    ax = ensure_axes(ax, (6.4, 1.2 + 0.5 * max(len(a), 3)))
    if n_pre == 0 and n_post == 0:
        return empty(ax, head, synthetic, lang, "no_answers")
    a = a.iloc[::-1].reset_index(drop=True)
    h = 0.38
    for i, r in a.iterrows():
        color = KKM_COLOR if r["is_key"] else POST
        ax.barh(i + h / 2, 100 * r["share_all"], height=h, color="white", edgecolor=PRE,
                hatch="////", lw=1)
        ax.text(100 * r["share_all"] + 1, i + h / 2, fmt.num(100 * r["share_all"], 0, lang),
                va="center", fontsize=7)
        if b is not None and r["option"] in b.index:
            v = 100 * b.loc[r["option"], "share_all"]
            ax.barh(i - h / 2, v, height=h, color=color)
            ax.text(v + 1, i - h / 2, fmt.num(v, 0, lang), va="center", fontsize=7)
    labels = []
    for _, r in a.iterrows():
        text = t["blank"] if r["option"] == "(kosong)" else \
            _option_text(item, r["option"], instrument, options, lang)
        # two short lines at most, so the chart keeps its width
        lines = textwrap.wrap(text, 26) or [""]
        text = "\n".join(lines[:2]) + ("…" if len(lines) > 2 else "")
        labels.append(f"{text}  ✓ {t['key']}" if r["is_key"] else text)
    ax.set_yticks(range(len(a)), labels, fontsize=8)
    for lab, key in zip(ax.get_yticklabels(), a["is_key"]):
        if key:
            lab.set_fontweight("bold")
            lab.set_color(KKM_COLOR)
    ax.set_xlim(0, 108)
    ax.set_xlabel(t["share"].format(n_pre=fmt.count(n_pre, lang), n_post=fmt.count(n_post, lang)))
    from matplotlib.patches import Patch
    handles = [Patch(facecolor="white", edgecolor=PRE, hatch="////", label=t["pre"])]
    if b is not None:
        handles += [Patch(color=POST, label=t["post"]),
                    Patch(color=KKM_COLOR, label=f"{t['post']}: {t['key']}")]
    legend_below(ax, handles, ncol=3, x=0.4)
    ax.grid(axis="x", color="#EEEEEE")
    ax.set_axisbelow(True)
    return finish(ax, head, synthetic, lang)
