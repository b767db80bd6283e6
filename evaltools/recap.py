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

from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import numpy as np
import pandas as pd

from . import stats
from .compare import MIN_N, compare
from .errors import EvalToolsError
from .evaluate import evaluate
from .instrument import Instrument, load_instrument
from .normalize import norm_text
from .pair import Pairs, pair
from .read import find_sessions, resolver_for
from .recommend import COLUMNS as REC_COLUMNS
from .recommend import TARGET_PASS, absent_rows, recap_opd_rows, recap_topic_rows, target_pass
from .retention import COLUMNS as TRAJECTORY_COLUMNS
from .retention import trajectory


@dataclass
class Recap:
    """Evaluations of every session and follow-up survey in a data folder."""
    instrument: Instrument
    evaluations: dict  # session id -> Evaluation, sessions by date, then follow-ups
    min_n: int = MIN_N
    # folders that could not be evaluated, and what the recap could not use: {where: why}
    problems: dict = field(default_factory=dict)

    @property
    def followups(self) -> dict:
        return {k: e for k, e in self.evaluations.items() if followed_up(e.meta)}

    @property
    def sessions_only(self) -> dict:
        return {k: e for k, e in self.evaluations.items() if k not in self.followups}

    @cached_property
    def matched(self) -> pd.DataFrame:
        """Every session's matched participants with a registry OPD, one table
        (``session`` says which; ``Evaluation.matched_opd``): a name that is
        no registry OPD is never a group, here either."""
        frames = [e.matched_opd for e in self.sessions_only.values() if len(e.matched_opd)]
        return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()

    def no_opd_reason(self) -> str:
        """Why the per-OPD view over all sessions would show no OPD, as the key
        of its placeholder: the sessions' own reasons (``Evaluation.no_opd_reason``)
        taken together, "hidden" if any session has a registry OPD, else "no_opd"
        if any has matched participants, else "empty".

        Example:
            >>> recap("data/sample", "survey/netralitas-asn-pilkada-2024.yaml").no_opd_reason()
            'hidden'
        """
        reasons = {e.no_opd_reason() for e in self.sessions_only.values()}
        return next((r for r in ("hidden", "no_opd") if r in reasons), "empty")

    @cached_property
    def sessions(self) -> pd.DataFrame:
        """One row per session in date order: facts and the session summary
        (n, mean_pre, mean_post, mean_gain, CI, pass rates, suppressed)."""
        rows = []
        for sid, e in self.sessions_only.items():
            s = e.summary.iloc[0]
            rows.append({"session": sid, "label": e.meta.get("nama", sid),
                         "date": str(e.meta.get("tanggal", "")),
                         "n_opd": e.matched_opd["opd"].nunique() if len(e.matched_opd) else 0,
                         **{k: s[k] for k in ("n", "mean_pre", "mean_post", "mean_gain", "ci_low",
                                              "ci_high", "d_z", "pass_pre", "pass_post", "suppressed")}})
        return pd.DataFrame(rows, columns=SESSION_COLUMNS)

    def by_opd(self) -> pd.DataFrame:
        """Per registry OPD over all sessions (``matched``): how many sessions it
        sent people to, the paired comparison of all its matched participants
        together (as ``compare(by="opd")``), and ``low_post`` where its mean
        post-test score stays under the KKM.

        Example:
            >>> rc = recap("data/sample", "survey/netralitas-asn-pilkada-2024.yaml")
            >>> int(rc.by_opd()["n_sessions"].max())
            2
        """
        m = self.matched
        if m.empty:
            return pd.DataFrame(columns=OPD_COLUMNS)
        # hidden here: under min_n, and every OPD hidden in a session's report (below); each
        # session's hidden block (with its participants without a registry OPD) holds min_n
        # people or more, so nothing more need be hidden
        out = compare(Pairs(m, pd.DataFrame(), pd.DataFrame()), by="opd", min_n=self.min_n,
                      secondary=False)
        sent = m.groupby("opd")["session"].agg(n_sessions="nunique",
                                                sessions=lambda s: ", ".join(sorted(set(s))))
        out = out.merge(sent, on="opd", how="left")
        # an OPD hidden in one session's report stays hidden here: its row here minus the
        # other sessions' published rows would give the hidden part back
        hidden = {o for e in self.sessions_only.values() if len(e.pairs.matched)
                  for o in e.by("opd").query("suppressed")["opd"]}
        carried = out["opd"].isin(hidden) & ~out["suppressed"]
        out["suppressed"] = out["suppressed"] | carried
        out["suppressed_secondary"] = out["suppressed_secondary"] | carried
        out["low_post"] = (out["mean_post"] < self.instrument.passing_score) & ~out["suppressed"]
        return out[OPD_COLUMNS + [c for c in out.columns if c not in OPD_COLUMNS]]

    def weakest_topics(self, lang: str = "id") -> pd.DataFrame:
        """Per OPD shown in ``by_opd`` (not suppressed): the topic
        with the lowest post-test percent correct, where the next session
        should aim, with its pre-test value and the OPD's n."""
        m = self.matched
        by = self.by_opd()
        shown = set(by.loc[~by["suppressed"], "opd"])
        rows = []
        for opd, g in m.groupby("opd", sort=True) if len(m) else []:
            if opd not in shown:  # hidden in the OPD table: hidden here too
                continue
            post = {t.id: g[f"pct_{t.id}_post"].mean() for t in self.instrument.topics}
            tid = min(post, key=lambda k: (post[k], k))
            rows.append({"opd": opd, "n": len(g), "topic": tid,
                         "label": self.instrument.topic_label(tid, lang),
                         "mean_pre": g[f"pct_{tid}_pre"].mean(), "mean_post": post[tid]})
        return pd.DataFrame(rows, columns=["opd", "n", "topic", "label", "mean_pre", "mean_post"])

    def recommendations(self, lang: str = "id") -> pd.DataFrame:
        """Across sessions: OPDs whose pass rate stayed under the target
        (``kind`` "opd"), registry OPDs that never sent anyone ("opd_absent"),
        the weakest topics ("topic"); the columns of
        ``Evaluation.recommendations`` (docs/recommendations.md).

        Example:
            >>> rc = recap("data/sample", "survey/netralitas-asn-pilkada-2024.yaml")
            >>> rc.recommendations()["kind"].unique().tolist()
            ['opd', 'opd_absent', 'topic']
        """
        latest = list(self.sessions_only.values())
        target = target_pass(latest[-1].meta) if latest else TARGET_PASS
        m = self.matched
        sent = set(m["opd"]) if len(m) else set()
        registry = resolver_for(None, self.instrument.path).name.values()
        rows = (recap_opd_rows(self.by_opd(), target, lang) + absent_rows(registry, sent, lang)
                + recap_topic_rows(m, self.instrument, self.min_n, lang))
        return pd.DataFrame(rows, columns=REC_COLUMNS)

    def triples(self, followup: str, session: str) -> pd.DataFrame:
        """The participants of ``session`` found in the follow-up survey: one row
        each with ``pid_pre``, ``pid_post``, ``pid_followup`` and how the
        follow-up was matched to the post-test (``match_by``, ``score``), by
        the rules that match pre to post (NIP, code, then name within the OPD).
        The follow-up is matched against the post-tests of every session it
        follows up at once, so each response goes to one person only; a match
        by participant code also needs the same OPD (a code is initials and a
        birthday: colleagues who never attended can share one)."""
        return self._links(followup).query("session == @session").drop(columns="session") \
            .reset_index(drop=True)

    @cached_property
    def _triples(self) -> dict:
        return {}

    def _links(self, followup: str) -> pd.DataFrame:
        if followup in self._triples:
            return self._triples[followup]
        f = self.evaluations[followup]
        fu = f.scores[f.scores["wave"] == "followup"]
        posts, links = [], []
        for sid in followed_up(f.meta):
            e = self.evaluations.get(sid)
            if e is None or sid in self.followups:
                continue
            # session-qualified ids: a code or a name is unique within one session only
            posts.append(e.scores[e.scores["wave"] == "post"].assign(pid=lambda d, s=sid: s + "|" + d["pid"]))
            link = e.pairs.audit[e.pairs.audit["status"] == "matched"][["pid_pre", "pid_post"]]
            links.append(link.assign(session=sid, key=sid + "|" + link["pid_post"]))
        cols = ["session", "pid_pre", "pid_post", "pid_followup", "match_by", "score"]
        if not posts:
            self._triples[followup] = pd.DataFrame(columns=cols)
            return self._triples[followup]
        both = pd.concat([*posts, fu], ignore_index=True).assign(session=followup)
        later = pair(both, pre="post", post="followup").audit
        later = later[later["status"] == "matched"]
        opd_post = dict(zip(both["pid"], both["opd"].map(norm_text)))
        opd_fu = dict(zip(fu["pid"], fu["opd"].map(norm_text)))
        same = [by != "kode_peserta" or opd_post.get(a) == opd_fu.get(b)
                for by, a, b in zip(later["match_by"], later["pid_pre"], later["pid_post"])]
        later = later[same][["pid_pre", "pid_post", "match_by", "score"]]
        later.columns = ["key", "pid_followup", "match_by", "score"]
        out = pd.concat(links, ignore_index=True).merge(later, on="key")[cols]
        self._triples[followup] = out
        return out

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
            for sid in followed_up(f.meta):
                if sid not in self.sessions_only:
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

    def followups_of(self, session: str) -> list:
        """The follow-up surveys of ``session`` in this folder, in date order.

        Example:
            >>> Recap(inst, {"loa-janan-2024-11-22": ev}).followups_of("loa-janan-2024-11-22")
            []
        """
        return [fid for fid, f in self.followups.items() if session in followed_up(f.meta)]

    def trajectory_scores(self, session: str) -> pd.DataFrame:
        """Percent correct of the session's matched participants (index
        ``pid_post``): ``pre``, ``post``, one column per ``followups_of``, NaN
        where ``triples`` did not find the participant.

        Example:
            >>> wide = Recap(inst, {"loa-janan-2024-11-22": ev}).trajectory_scores("loa-janan-2024-11-22")
            >>> list(wide.columns), len(wide), round(float(wide["post"].mean()), 2)
            (['pre', 'post'], 52, 70.66)
        """
        e = self.evaluations[session]
        link = e.pairs.audit[e.pairs.audit["status"] == "matched"]

        def pct(ev, wave):
            return ev.scores[ev.scores["wave"] == wave].set_index("pid")["pct"]
        wide = pd.DataFrame({"pre": link["pid_pre"].map(pct(e, "pre")).to_numpy(float),
                             "post": link["pid_post"].map(pct(e, "post")).to_numpy(float)},
                            index=pd.Index(link["pid_post"], name="pid_post"))
        for fid in self.followups_of(session):
            t = self.triples(fid, session)
            found = wide.index.map(dict(zip(t["pid_post"], t["pid_followup"])))
            wide[fid] = found.map(pct(self.evaluations[fid], "followup")).to_numpy(float)
        return wide

    def trajectory(self) -> pd.DataFrame:
        """Retention over every follow-up survey of each session as a paired
        trajectory (``evaltools.retention``): one row per session and wave
        (``pre``, ``post``, each follow-up by folder id in date order), the
        line on those present at every wave (``n_complete``), each follow-up
        against the post-test on all who took both (``n_pair``, Holm).

        Example:
            >>> rc = recap("data/sample", "survey/netralitas-asn-pilkada-2024.yaml")
            >>> rc.trajectory()[["wave", "n_available", "n_complete", "n_pair"]].values.tolist()[1:]
            [['post', 52, 40, nan], ['kukar-tindak-lanjut-2024-12-20', 40, 40, 40.0]]
        """
        frames = []
        for sid, e in self.sessions_only.items():
            later = self.followups_of(sid)
            if not later or not len(e.pairs.matched):
                continue
            dates = {k: str(self.evaluations[k].meta.get("tanggal", "")) for k in later}
            dates["post"] = str(e.meta.get("tanggal", ""))
            frames.append(trajectory(self.trajectory_scores(sid), dates, session=sid,
                                     min_n=self.min_n))
        return pd.concat(frames, ignore_index=True) if frames else \
            pd.DataFrame(columns=TRAJECTORY_COLUMNS)

    def coverage(self, lang: str = "id") -> pd.DataFrame:
        """Which folders the recap counts and which it leaves out, and why: one
        row per folder (``session``; ``kind`` "session", "followup" or "" for
        a folder that could not be read; ``used``; ``n``, the matched
        participants of a session or the respondents of a follow-up;
        ``reason`` in ``lang``, empty when all is used). A session without
        matched pairs (no post-test, say) adds nothing to the numbers; a
        follow-up none of whose sessions is in the folder has nothing to be
        compared with.

        Example:
            >>> rc = recap("data/sample", "survey/netralitas-asn-pilkada-2024.yaml")
            >>> rc.coverage()[["session", "used", "n"]].values.tolist()[-2:]
            [['loa-janan-2024-11-22', True, 52], ['kukar-tindak-lanjut-2024-12-20', True, 69]]
        """
        rows = [(self._followup_use if sid in self.followups else self._session_use)(sid, e, lang)
                for sid, e in self.evaluations.items()]
        rows += [{"session": sid, "kind": "", "used": False, "n": 0, "reason": _in_lang(why, lang)}
                 for sid, why in self.problems.items() if sid not in self.evaluations]
        return pd.DataFrame(rows, columns=["session", "kind", "used", "n", "reason"])

    def _session_use(self, sid: str, e, lang: str) -> dict:
        n, waves = len(e.pairs.matched), set(e.scores["wave"])
        reason = ""
        if not n:
            missing = [w for w in ("pre", "post") if w not in waves]
            reason = (f"tidak ada {missing[0]}-test" if lang != "en" else f"no {missing[0]}-test") \
                if missing else ("tidak ada pre-test yang cocok dengan post-test" if lang != "en"
                                 else "no pre-test matched a post-test")
        return {"session": sid, "kind": "session", "used": bool(n), "n": n, "reason": reason}

    def _followup_use(self, sid: str, e, lang: str) -> dict:
        bases = followed_up(e.meta)
        absent = [b for b in bases if b not in self.sessions_only]
        reason = ""
        if absent:
            names = ", ".join(absent)
            reason = (f"tindak lanjut dari {names}, yang tidak ada di folder ini" if lang != "en"
                      else f"a follow-up of {names}, which is not in this folder")
        return {"session": sid, "kind": "followup", "used": len(absent) < len(bases),
                "n": int((e.scores["wave"] == "followup").sum()), "reason": reason}

    def export(self, out_dir, *, lang: str = "id", formats=("png", "svg", "pdf"),
               overwrite: bool = False) -> list:
        """Write ``tren_sesi``, ``rekap_opd`` and ``rekap.xlsx`` (for managers in
        ``out_dir/kirim/``; ``export.export_recap``;
        ``overwrite=True`` replaces files evaltools did not write or that were changed since)."""
        from .export import export_recap  # lazy: matplotlib and openpyxl load only to export
        return export_recap(self, out_dir, lang=lang, formats=formats, overwrite=overwrite)


def _in_lang(message: str, lang: str) -> str:
    """An evaltools message's line in ``lang``: the Indonesian first line, or its "(en) " line."""
    lines = message.splitlines() or [""]
    english = [t[len("(en) "):] for t in lines if t.startswith("(en) ")]
    return english[0] if lang == "en" and english else lines[0]


def followed_up(meta: dict) -> list:
    """The session ids a follow-up survey's ``sesi.yaml`` names in
    ``tindak_lanjut_dari`` (one id or a list), or [] for a session.

    Example:
        >>> followed_up({"tindak_lanjut_dari": "loa-janan-2024-11-22"})
        ['loa-janan-2024-11-22']
    """
    ids = meta.get("tindak_lanjut_dari") or []
    return [str(ids)] if isinstance(ids, (str, int)) else [str(i) for i in ids]


def recap(data_dir, instrument, *, min_n: int = MIN_N, review: str | None = None) -> Recap:
    """Evaluate every session folder under ``data_dir`` (see ``find_sessions``),
    sessions in date order, follow-up surveys last; ``review`` is that of
    ``read_responses`` (Kobo/ODK Central review status; default "exclude"). A folder that cannot be
    evaluated, or a follow-up naming a session that is not there, is listed
    in ``problems`` with the reason; the others are used.

    Example:
        >>> rc = recap("data/sample", "survey/netralitas-asn-pilkada-2024.yaml")
        >>> rc.problems
        {}
    """
    if not isinstance(instrument, Instrument):
        instrument = load_instrument(instrument)
    evals, problems = {}, {}
    for sid in find_sessions(data_dir):
        try:
            evals[sid] = evaluate(Path(data_dir) / sid, instrument, min_n=min_n, review=review)
        except EvalToolsError as exc:
            problems[sid] = str(exc)
    for sid, e in evals.items():
        for other in followed_up(e.meta):
            if other not in evals or followed_up(evals[other].meta):
                problems[sid] = (f"tindak_lanjut_dari menyebut '{other}', tetapi sesi itu tidak ada di "
                                 f"{data_dir} / names a session that is not there")
    order = sorted(evals, key=lambda k: (bool(followed_up(evals[k].meta)),
                                         str(evals[k].meta.get("tanggal", "")), k))
    return Recap(instrument, {k: evals[k] for k in order}, min_n, problems)


SESSION_COLUMNS = ["session", "label", "date", "n_opd", "n", "mean_pre", "mean_post", "mean_gain",
                   "ci_low", "ci_high", "d_z", "pass_pre", "pass_post", "suppressed"]
OPD_COLUMNS = ["opd", "n_sessions", "sessions", "n", "mean_pre", "mean_post", "mean_gain",
               "ci_low", "ci_high", "gain_pooled", "p_t_holm", "d_z", "pass_pre", "pass_post",
               "low_post", "suppressed"]
