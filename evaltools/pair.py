"""Match each participant's pre-test to their post-test.

Matching is by NIP (spaces and dots already stripped when read), then, for
those left over, by participant code. Nobody is dropped silently: every
score row is either in a matched pair or in ``unmatched`` with a reason, and
``audit`` records how each pair was made.

Example:
    >>> p = pair(scores)                    # doctest: +SKIP
    >>> len(p.matched), len(p.unmatched)    # doctest: +SKIP
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

METRICS_PREFIX = ("n_correct", "n_blank", "pct", "passed", "skala_")


@dataclass
class Pairs:
    """matched: one row per participant with <metric>_pre, <metric>_post and gain;
    unmatched: score rows without a partner (reason no_post / no_pre);
    audit: one row per participant record: how it was matched."""
    matched: pd.DataFrame
    unmatched: pd.DataFrame
    audit: pd.DataFrame


def _metrics(scores: pd.DataFrame) -> list:
    return [c for c in scores.columns if c.startswith(METRICS_PREFIX)]


def pair(scores: pd.DataFrame, *, pre: str = "pre", post: str = "post") -> Pairs:
    """Pair the ``pre`` and ``post`` waves of a score table (from ``score``).

    Example:
        >>> p = pair(score(read_responses(folder, inst), inst))  # doctest: +SKIP
        >>> p.audit["match_by"].value_counts()                    # doctest: +SKIP
    """
    metrics = _metrics(scores)
    fields = [c for c in scores.columns
              if c not in metrics and c not in ("session", "wave", "pid", "n_items")]
    a = scores[scores["wave"] == pre].reset_index(drop=True)
    b = scores[scores["wave"] == post].reset_index(drop=True)
    a["_i"], b["_j"] = range(len(a)), range(len(b))

    links = []
    used_a, used_b = set(), set()
    for key in ("nip", "kode_peserta"):
        if key not in scores.columns:
            continue
        la = a[~a["_i"].isin(used_a) & (a[key].fillna("") != "")]
        lb = b[~b["_j"].isin(used_b) & (b[key].fillna("") != "")]
        # duplicates were removed when reading, so a key is unique per wave
        m = la[["session", key, "_i"]].merge(lb[["session", key, "_j"]], on=["session", key])
        m = m.drop_duplicates("_i").drop_duplicates("_j")
        links.append(m.assign(match_by=key)[["_i", "_j", "match_by"]])
        used_a |= set(m["_i"])
        used_b |= set(m["_j"])
    link = pd.concat(links, ignore_index=True) if links else pd.DataFrame(
        {"_i": [], "_j": [], "match_by": []})

    left = a.loc[link["_i"].to_numpy()].reset_index(drop=True)
    right = b.loc[link["_j"].to_numpy()].reset_index(drop=True)
    matched = left[["session", "pid"]].copy()
    matched["match_by"] = link["match_by"].to_numpy()
    for f in fields:
        # participant fields from the pre-test, filled from the post-test
        lv, rv = left[f], right[f]
        matched[f] = lv.mask(lv.isna() | (lv.astype(str) == ""), rv)
    for mcol in metrics:
        matched[f"{mcol}_pre"] = left[mcol].to_numpy()
        matched[f"{mcol}_post"] = right[mcol].to_numpy()
    matched["gain"] = matched["pct_post"] - matched["pct_pre"]

    un_a = a[~a["_i"].isin(used_a)].assign(reason="no_post")
    un_b = b[~b["_j"].isin(used_b)].assign(reason="no_pre")
    unmatched = pd.concat([un_a, un_b], ignore_index=True).drop(columns=["_i", "_j"])

    audit = pd.concat([
        pd.DataFrame({"session": left["session"], "pid_pre": left["pid"],
                      "pid_post": right["pid"], "match_by": link["match_by"].to_numpy(),
                      "status": "matched"}),
        pd.DataFrame({"session": un_a["session"], "pid_pre": un_a["pid"], "pid_post": "",
                      "match_by": "", "status": "no_post"}),
        pd.DataFrame({"session": un_b["session"], "pid_pre": "", "pid_post": un_b["pid"],
                      "match_by": "", "status": "no_pre"}),
    ], ignore_index=True)
    return Pairs(matched=matched, unmatched=unmatched, audit=audit)
