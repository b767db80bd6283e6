"""Across sessions: which OPDs sent people and how much they gained, the trend
over sessions, the weakest topic per OPD, and retention where a follow-up
survey (wave ``followup``) tested the same people weeks later.

Every session folder under ``data_dir`` is evaluated as on its own; a folder
whose ``sesi.yaml`` has ``tindak_lanjut_dari: [session ids]`` is a follow-up
survey of those sessions. Groups under ``min_n`` are computed but flagged
``suppressed``, as everywhere.

Example:
    >>> rc = recap("data/sample", "survey/netralitas-asn-pilkada-2024.yaml")
    >>> list(rc.sessions["session"])
    ['kesbangpol-balikpapan-2023-10-20', 'kesbangpol-kaltim-2024-10-17', 'loa-janan-2024-11-22']
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import numpy as np
import pandas as pd

from . import stats
from .compare import MIN_N, compare
from .evaluate import evaluate
from .instrument import Instrument, load_instrument
from .pair import Pairs, pair
from .read import find_sessions


@dataclass
class Recap:
    """Evaluations of every session and follow-up survey in a data folder."""
    instrument: Instrument
    evaluations: dict  # session id -> Evaluation, sessions by date, then follow-ups
    min_n: int = MIN_N

    @property
    def followups(self) -> dict:
        return {k: e for k, e in self.evaluations.items() if e.meta.get("tindak_lanjut_dari")}

    @property
    def sessions_only(self) -> dict:
        return {k: e for k, e in self.evaluations.items() if k not in self.followups}

    @cached_property
    def matched(self) -> pd.DataFrame:
        """Every session's matched participants, one table (``session`` says which)."""
        frames = [e.pairs.matched for e in self.sessions_only.values() if len(e.pairs.matched)]
        return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()

    @cached_property
    def sessions(self) -> pd.DataFrame:
        """One row per session in date order: facts and the session summary
        (n, mean_pre, mean_post, mean_gain, CI, pass rates, suppressed)."""
        rows = []
        for sid, e in self.sessions_only.items():
            s = e.summary.iloc[0]
            rows.append({"session": sid, "label": e.meta.get("nama", sid),
                         "date": str(e.meta.get("tanggal", "")), "n_opd": e.pairs.matched["opd"].nunique(),
                         **{k: s[k] for k in ("n", "mean_pre", "mean_post", "mean_gain", "ci_low",
                                              "ci_high", "d_z", "pass_pre", "pass_post", "suppressed")}})
        return pd.DataFrame(rows)

    def by_opd(self) -> pd.DataFrame:
        """Per OPD over all sessions: how many sessions it sent people to, the
        paired comparison of all its matched participants together (as
        ``compare(by="opd")``), and ``low_post`` where its mean post-test
        score stays under the KKM."""
        m = self.matched
        if m.empty:
            return pd.DataFrame()
        out = compare(Pairs(m, pd.DataFrame(), pd.DataFrame()), by="opd", min_n=self.min_n)
        sent = m.groupby("opd")["session"].agg(n_sessions="nunique",
                                                sessions=lambda s: ", ".join(sorted(set(s))))
        out = out.merge(sent, on="opd", how="left")
        out["low_post"] = (out["mean_post"] < self.instrument.passing_score) & ~out["suppressed"]
        first = ["opd", "n_sessions", "sessions", "n", "mean_pre", "mean_post", "mean_gain",
                 "ci_low", "ci_high", "gain_pooled", "p_t_holm", "d_z", "pass_pre", "pass_post",
                 "low_post", "suppressed"]
        return out[first + [c for c in out.columns if c not in first]]

    def weakest_topics(self, lang: str = "id") -> pd.DataFrame:
        """Per OPD (with at least ``min_n`` matched participants): the topic
        with the lowest post-test percent correct, where the next session
        should aim, with its pre-test value and the OPD's n."""
        m = self.matched
        rows = []
        for opd, g in m.groupby("opd", sort=True) if len(m) else []:
            if len(g) < self.min_n:
                continue
            post = {t.id: g[f"pct_{t.id}_post"].mean() for t in self.instrument.topics}
            tid = min(post, key=lambda k: (post[k], k))
            rows.append({"opd": opd, "n": len(g), "topic": tid,
                         "label": self.instrument.topic_label(tid, lang),
                         "mean_pre": g[f"pct_{tid}_pre"].mean(), "mean_post": post[tid]})
        return pd.DataFrame(rows, columns=["opd", "n", "topic", "label", "mean_pre", "mean_post"])

    def triples(self, followup: str, session: str) -> pd.DataFrame:
        """The participants of ``session`` found in the follow-up survey: one row
        each with ``pid_pre``, ``pid_post``, ``pid_followup`` and how the
        follow-up was matched to the post-test (``match_by``, ``score``), by
        the rules that match pre to post (NIP, code, then name within the OPD)."""
        e, f = self.evaluations[session], self.evaluations[followup]
        link = e.pairs.audit[e.pairs.audit["status"] == "matched"][["pid_pre", "pid_post"]]
        post = e.scores[e.scores["wave"] == "post"]
        fu = f.scores[f.scores["wave"] == "followup"]
        both = pd.concat([post, fu], ignore_index=True).assign(session=followup)
        later = pair(both, pre="post", post="followup").audit
        later = later[later["status"] == "matched"][["pid_pre", "pid_post", "match_by", "score"]]
        later = later.rename(columns={"pid_pre": "pid_post", "pid_post": "pid_followup"})
        return link.merge(later, on="pid_post").reset_index(drop=True)

    def retention(self) -> pd.DataFrame:
        """Knowledge kept at a follow-up survey: for each session it follows
        up, the participants found in all three waves (``triples``), their
        three means, the paired t-test of follow-up against post, and
        ``kept_pct``: the share of the session's gain still there,
        (follow-up - pre) / (post - pre) x 100 on the means. Also the other
        follow-up respondents (``n_others``, ``mean_others``: colleagues who
        did not attend, or attendees without both tests), a rough comparison.
        """
        rows = []

        def pct(ev, wave, ids):
            d = ev.scores[ev.scores["wave"] == wave].set_index("pid")
            return d.loc[list(ids), "pct"].to_numpy(float)
        for fid, f in self.followups.items():
            fu = f.scores[f.scores["wave"] == "followup"]
            seen, mine = set(), []
            for sid in f.meta.get("tindak_lanjut_dari") or []:
                if sid not in self.evaluations:
                    continue
                e = self.evaluations[sid]
                three = self.triples(fid, sid)
                seen |= set(three["pid_followup"])
                a, b = pct(e, "pre", three["pid_pre"]), pct(e, "post", three["pid_post"])
                c = pct(f, "followup", three["pid_followup"])
                t = stats.paired_ttest(b, c)
                n = len(three)
                gain = b.mean() - a.mean() if n else np.nan
                mine.append({"followup": fid, "session": sid,
                             "date_session": str(e.meta.get("tanggal", "")),
                             "date_followup": str(f.meta.get("tanggal", "")), "n": n,
                             "mean_pre": a.mean() if n else np.nan,
                             "mean_post": b.mean() if n else np.nan,
                             "mean_followup": c.mean() if n else np.nan,
                             "change": t["mean_diff"], "ci_low": t["ci_low"], "ci_high": t["ci_high"],
                             "p_t": t["p"],
                             "kept_pct": 100 * (c.mean() - a.mean()) / gain if n and gain > 0 else np.nan,
                             "suppressed": n < self.min_n})
            rest = fu[~fu["pid"].isin(seen)]
            for r in mine:
                r["n_others"] = len(rest)
                r["mean_others"] = rest["pct"].mean() if len(rest) >= self.min_n else np.nan
            rows += mine
        return pd.DataFrame(rows)

    def export(self, out_dir, *, lang: str = "id", formats=("png", "svg", "pdf")) -> list:
        """Write ``tren_sesi``, ``rekap_opd`` and ``rekap.xlsx`` (``export.export_recap``)."""
        from .export import export_recap  # lazy: export pulls in matplotlib and openpyxl
        return export_recap(self, out_dir, lang=lang, formats=formats)


def recap(data_dir, instrument, *, min_n: int = MIN_N) -> Recap:
    """Evaluate every session folder under ``data_dir`` (see ``find_sessions``),
    sessions in date order, follow-up surveys last.

    Example:
        >>> rc = recap("data/sample", "survey/netralitas-asn-pilkada-2024.yaml")
        >>> rc.by_opd()[["opd", "n_sessions", "n"]].head(2)  # doctest: +SKIP
    """
    from pathlib import Path
    if not isinstance(instrument, Instrument):
        instrument = load_instrument(instrument)
    evals = {sid: evaluate(Path(data_dir) / sid, instrument, min_n=min_n)
             for sid in find_sessions(data_dir)}
    order = sorted(evals, key=lambda k: (bool(evals[k].meta.get("tindak_lanjut_dari")),
                                         str(evals[k].meta.get("tanggal", "")), k))
    return Recap(instrument, {k: evals[k] for k in order}, min_n)

