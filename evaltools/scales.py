"""Likert scales: attitude items pre vs post, reaction items after the session.

Items are 1-5, reverse-coded items enter as 6 - x (so higher always means
more neutral / more satisfied); the scale score is the mean of its items
(``score``). Conventions: docs/statistics.md.

Example:
    >>> a = attitudes(responses.data, pairs, inst)
    >>> a.loc[a["item"] == "skala_sikap_netralitas", ["n", "method"]].values.tolist()
    [[52, 'normal, continuity-corrected']]
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from . import stats
from .instrument import Instrument
from .items import cronbach_alpha
from .pair import Pairs


def _coded(df: pd.DataFrame, items) -> pd.DataFrame:
    """Likert answers as floats, reverse-coded items as 6 - x."""
    return pd.DataFrame({li.id: (6 - df[li.id].astype("Float64")) if li.reverse
                         else df[li.id].astype("Float64") for li in items}).astype(float)


def attitudes(data: pd.DataFrame, pairs: Pairs, instrument: Instrument) -> pd.DataFrame:
    """Attitude items pre vs post among matched participants.

    One row per item (reverse-coded), then one row per scale (``item`` =
    "skala_<id>", the scale score): mean pre and post, Wilcoxon signed-rank
    (R's rules) with rank-biserial r, Holm-adjusted across the items of a
    scale, and the scale's alpha (complete cases) pre and post.

    Example:
        >>> a = attitudes(responses.data, pairs, inst).set_index("item")
        >>> bool(a.loc["sikap_6", "reverse"]), int(a.loc["sikap_6", "n"])
        (True, 52)
    """
    rows = []
    for scale in instrument.scales:
        if scale.kind != "attitude":
            continue
        items = [li for li in instrument.likert_items if li.scale == scale.id]
        pre, post = pairs.aligned(data[[li.id for li in items]])
        pre, post = _coded(pre, items), _coded(post, items)
        part = []
        for li in items:
            w = stats.wilcoxon_signed_rank(pre[li.id], post[li.id])
            part.append({"scale": scale.id, "item": li.id, "text": li.text, "reverse": li.reverse,
                         "n": w["n"], "mean_pre": float(pre[li.id].mean()),
                         "mean_post": float(post[li.id].mean()), "V": w["V"], "p": w["p"],
                         "method": w["method"], "r_rb": w["r_rb"]})
        holm = stats.adjust_p([r["p"] for r in part], "holm")
        for r, h in zip(part, holm):
            r["p_holm"] = h
        # the scale score as score() computes it (enough items answered)
        m = pairs.matched
        s_pre = m[f"skala_{scale.id}_pre"].astype(float)
        s_post = m[f"skala_{scale.id}_post"].astype(float)
        w = stats.wilcoxon_signed_rank(s_pre, s_post)
        part.append({"scale": scale.id, "item": f"skala_{scale.id}", "text": scale.label,
                     "reverse": False, "n": w["n"], "mean_pre": float(s_pre.mean()),
                     "mean_post": float(s_post.mean()), "V": w["V"], "p": w["p"],
                     "method": w["method"], "r_rb": w["r_rb"], "p_holm": np.nan,
                     "alpha_pre": cronbach_alpha(pre)["alpha"],
                     "alpha_post": cronbach_alpha(post)["alpha"]})
        rows += part
    return pd.DataFrame(rows)


def reaction(data: pd.DataFrame, instrument: Instrument, *, wave: str = "post") -> pd.DataFrame:
    """Reaction items (asked after the session), everyone who answered.

    One row per item: n, mean, share agreeing (4 or 5, percent), and the
    count of each answer 1-5; reverse-coded items as 6 - x.

    Example:
        >>> r = reaction(responses.data, inst)
        >>> r[["item", "n"]].head(2).values.tolist()
        [['reaksi_1', 53], ['reaksi_2', 53]]
    """
    d = data[data["wave"] == wave]
    rows = []
    for scale in instrument.scales:
        if scale.kind != "reaction":
            continue
        items = [li for li in instrument.likert_items if li.scale == scale.id]
        coded = _coded(d, items) if len(d) else pd.DataFrame(columns=[li.id for li in items])
        for li in items:
            v = coded[li.id].dropna()
            rows.append({"scale": scale.id, "item": li.id, "text": li.text, "n": len(v),
                         "mean": float(v.mean()) if len(v) else np.nan,
                         "pct_agree": 100 * float((v >= 4).mean()) if len(v) else np.nan,
                         **{f"n_{k}": int((v == k).sum()) for k in range(1, 6)}})
    return pd.DataFrame(rows)
