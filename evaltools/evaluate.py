"""One call from exported files to a session's results.

``evaluate`` runs read -> score -> pair and keeps everything on an
:class:`Evaluation`; its methods compare (overall, per group, per topic) and
export. This is the orchestration layer above the stages, like the CLI.

Example:
    >>> import evaltools as et
    >>> inst = et.load_instrument("survey/netralitas-asn-pilkada-2024.yaml")
    >>> ev = et.evaluate("data/sample/loa-janan-2024-11-22", inst)
    >>> int(ev.summary["n"].iloc[0]) > 30
    True
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import numpy as np
import pandas as pd

from .compare import MIN_N, attrition, compare, compare_items, compare_topics, compare_unpaired
from .findings import attrition_sentence, session_findings
from .history import history_sentence, previous_folder
from .instrument import Instrument, load_instrument
from .dif import DIF_COLUMNS, dif_table
from .items import cronbach_alpha, distractors, item_stats
from .pages import page_policy
from .pair import Pairs, pair
from .recommend import recommendations
from .read import ReadOptions, Responses, read_responses, read_session_meta
from .read.sessions import check_session_meta
from .scales import attitudes, reaction
from .score import mark, score


DIF_BY = ("jenis_pegawai", "kabupaten_kota")  # the groups of the DIF analysis


@dataclass
class Evaluation:
    """A session evaluated: responses, scores, pairs, and the comparisons.
    Treat it as read-only: results are kept once computed."""
    instrument: Instrument
    responses: Responses
    scores: pd.DataFrame
    pairs: Pairs
    meta: dict = field(default_factory=dict)
    min_n: int = MIN_N
    # 0/1 per scored item, row for row with responses.data (and scores): marked once
    marks: pd.DataFrame | None = None
    # results already computed, by method and arguments (an export asks for some five times)
    _memo: dict = field(default_factory=dict, init=False, repr=False, compare=False)
    # the session folder the responses were read from (None for files given one by one)
    folder: Path | None = None
    options: ReadOptions | None = None  # how the responses were read (the previous session alike)
    # the export's figures being drawn, by (lang, formats): see prepare_export
    _drawings: dict = field(default_factory=dict, init=False, repr=False, compare=False)

    def _once(self, key, compute) -> pd.DataFrame:
        if key not in self._memo:
            self._memo[key] = compute()
        return self._memo[key].copy()  # a caller may add columns: the kept one stays as it was

    @cached_property
    def matched_opd(self) -> pd.DataFrame:
        """The rows of ``pairs.matched`` whose OPD is a registry OPD: the only
        ones grouped by OPD. A name that is no registry OPD (free text, it may
        hold anything) is never a group; it is counted in ``quality()`` and
        listed in ``responses.unresolved_opds`` to be corrected (docs/opd.md).

        Example:
            >>> len(ev.matched_opd) == len(ev.pairs.matched)  # every OPD of the sample is known
            True
        """
        m = self.pairs.matched
        if not len(m):
            return m
        known = m["opd"].fillna("").astype(str) != ""
        if "opd_terdaftar" in m.columns:
            known &= m["opd_terdaftar"].fillna(False).astype(bool)
        return m[known].reset_index(drop=True)

    def no_opd_reason(self) -> str:
        """Why a per-OPD view of this session would show no OPD, as the key of
        its placeholder text (``charts.group_forest(..., why=)``): "empty"
        when no participant took both tests, "no_opd" when none of the matched
        participants names a registry OPD, "hidden" when every registry OPD
        has too few of them to be shown.

        Example:
            >>> ev.no_opd_reason()
            'hidden'
        """
        if not len(self.pairs.matched):
            return "empty"
        return "hidden" if len(self.matched_opd) else "no_opd"

    @property
    def n_outside_opd(self) -> int:
        """Matched participants without a registry OPD (left out of ``by("opd")``)."""
        return len(self.pairs.matched) - len(self.matched_opd)

    def __post_init__(self):
        if self.marks is None:
            self.marks = mark(self.responses, self.instrument)

    def wave_rows(self, wave: str, *, matched_only: bool = False) -> tuple:
        """The answers and the marks of one wave, row for row and in the order of
        the files: everyone who took it, or with ``matched_only`` (``wave`` "pre"
        or "post") the matched participants only. File order, not the order of
        ``pairs.matched``: the upper and lower 27% of an item analysis break ties
        by it. (``Pairs.aligned`` gives both waves in the order of the pairs.)

        Example:
            >>> answers, marks = ev.wave_rows("post", matched_only=True)
            >>> len(answers) == len(marks) == len(ev.pairs.matched)
            True
        """
        data = self.responses.data
        if not matched_only:
            mask = (data["wave"] == wave).to_numpy()
            return data[mask], self.marks[mask]
        if wave not in ("pre", "post"):
            raise ValueError(f"matched participants have a pre and a post row, not {wave!r}")
        rows = np.sort(self.pairs.rows[wave].to_numpy())
        return data.iloc[rows], self.marks.iloc[rows]

    @property
    def synthetic(self) -> bool:
        """True when the session's sesi.yaml says the data are synthetic."""
        return bool(self.meta.get("sintetis", False))

    @cached_property
    def summary(self) -> pd.DataFrame:
        """The whole session: ``compare(pairs)``."""
        return compare(self.pairs, min_n=self.min_n)

    def by(self, col, *, metric: str = "pct") -> pd.DataFrame:
        """Per group of a participant column: ``compare(pairs, by=col)``. By
        ``"opd"`` (or ``"opd_induk"``) the groups are registry OPDs only
        (``matched_opd``); the participants left out still count for the
        secondary suppression (``compare(..., outside=)``), so that no hidden
        group comes back as the session minus the groups shown.

        Example:
            >>> ev.by("opd")["opd"].iloc[0]
            'Kecamatan Loa Janan'
        """
        keys = [col] if isinstance(col, str) else list(col)
        if {"opd", "opd_induk"} & set(keys):
            pairs, outside = self.pairs.sharing_audit(self.matched_opd), self.n_outside_opd
        else:
            pairs, outside = self.pairs, 0
        return self._once(("by", str(col), metric), lambda: compare(
            pairs, by=col, metric=metric, min_n=self.min_n, outside=outside))

    def topics(self, lang: str = "id") -> pd.DataFrame:
        """Per topic: percent correct pre vs post, Holm-adjusted (labels in ``lang``)."""
        return self._once(("topics", lang), lambda: compare_topics(
            self.pairs, self.instrument, min_n=self.min_n, lang=lang))

    def items(self) -> pd.DataFrame:
        """Per scored item: percent correct pre and post (matched participants),
        McNemar, BH-adjusted across items: ``compare.compare_items``."""
        return self._once(("items",), lambda: compare_items(self.marks, self.pairs,
                                                            self.instrument))

    def hardest_item(self) -> str | None:
        """The item fewest answered correctly after the session (lowest post-test
        percent correct among matched participants; ties by id): the one whose
        wrong answers are worth a distractor chart."""
        single = {i.id for i in self.instrument.scored_items if i.type != "multi"}
        items = self.items()
        items = items[items["item"].isin(single)]  # a multi-select answer has no single distractor
        return None if items.empty else str(items.sort_values(["pct_post", "item"])["item"].iloc[0])

    def item_analysis(self, wave: str = "pre", lang: str = "id", *,
                      matched_only: bool = False) -> pd.DataFrame:
        """Item statistics of one wave (everyone who took it, or with
        ``matched_only`` the matched participants, as in manager exports, where
        every number is about the same people): topic, difficulty,
        discrimination, r_drop, alpha if deleted, flags: ``items.item_stats``."""
        out = item_stats(self.wave_rows(wave, matched_only=matched_only)[1], lang=lang)
        topic = {i.id: self.instrument.topic_label(i.topic, lang) for i in self.instrument.scored_items}
        out.insert(1, "topic", out["item"].map(topic))
        return out

    def dif(self) -> pd.DataFrame:
        """Mantel-Haenszel DIF on the post-test of the matched participants, by
        each column of ``DIF_BY`` (each group of at least ``min_n`` against the
        rest, matched on the rest score): ``items.dif_table``, with
        ``focal_label`` the group's label. Empty when the session is hidden.

        Example:
            >>> sorted(set(ev.dif()["focal"]))
            ['desa', 'pns', 'pppk']
        """
        def compute():
            answers, marks = self.wave_rows("post", matched_only=True)
            frames = [] if bool(self.summary["suppressed"].iloc[0]) else [
                dif_table(marks, answers[col].fillna("").astype(str), by=col, min_n=self.min_n)
                for col in DIF_BY if col in answers.columns]
            out = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=DIF_COLUMNS)
            labels = {col: self.instrument.field(col).options for col in DIF_BY
                      if col in self.instrument.field_ids}
            out["focal_label"] = [labels.get(b, {}).get(f, f) for b, f in zip(out["by"], out["focal"])]
            return out
        return self._once(("dif",), compute)

    def distractors(self, wave: str = "pre", *, matched_only: bool = False) -> pd.DataFrame:
        """Share choosing each option, overall and in the upper and lower 27%
        (``matched_only``: of the matched participants): ``items.distractors``."""
        return self._once(("distractors", wave, matched_only),
                          lambda: distractors(*self.wave_rows(wave, matched_only=matched_only),
                                              self.instrument))

    def reliability(self) -> pd.DataFrame:
        """Cronbach's alpha (KR-20) with its Feldt 95% CI for each wave, on
        everyone who took that wave."""
        rows = []
        for wave in ("pre", "post"):
            marks = self.wave_rows(wave)[1]
            if len(marks):
                rows.append({"wave": wave, **cronbach_alpha(marks)})
        return pd.DataFrame(rows, columns=["wave", "alpha", "ci_low", "ci_high", "n", "k", "k_dropped"])

    def unpaired(self) -> pd.DataFrame:
        """All pre-tests against all post-tests as independent groups (Welch t,
        Mann-Whitney, Hedges' g_s): for anonymous forms; weaker evidence."""
        return compare_unpaired(self.scores, min_n=self.min_n)

    def attitudes(self) -> pd.DataFrame:
        """Attitude items and scale pre vs post (reverse-coded, Wilcoxon, alpha):
        ``scales.attitudes``."""
        return self._once(("attitudes",), lambda: attitudes(self.responses.data, self.pairs,
                                                            self.instrument))

    def reaction(self) -> pd.DataFrame:
        """Reaction items after the session: mean, % agreeing, answer counts:
        ``scales.reaction``."""
        return self._once(("reaction",), lambda: reaction(self.responses.data, self.instrument))

    def attrition(self) -> pd.DataFrame:
        """Pre-test takers who missed the post-test, and whether their pre-scores
        differ from completers' (Welch t, Mann-Whitney): ``compare.attrition``."""
        return self._once(("attrition",), lambda: attrition(self.pairs, min_n=self.min_n))

    def recommendations(self, lang: str = "id") -> pd.DataFrame:
        """Which OPDs and topics need another session, and the evaluator's own
        recommendations: ``kind``, ``target``, ``action``, ``reason``,
        ``source`` (``recommend.recommendations``; rules in docs/recommendations.md).

        Example:
            >>> ev.recommendations()["action"].iloc[0]
            'perlu sosialisasi ulang'
        """
        return self._once(("recommendations", lang), lambda: recommendations(self, lang))

    def previous(self):
        """The previous session of the same organiser and instrument in the same
        data folder, evaluated, or None (``history.previous_folder``).

        Example:
            >>> ev.previous() is None
            True
        """
        if "previous" not in self._memo:
            prev = previous_folder(self.folder, self.meta) if self.folder else None
            self._memo["previous"] = None if prev is None else evaluate(
                prev, self.instrument, registry=self.options.registry if self.options else None,
                min_n=self.min_n)
        return self._memo["previous"]

    def history_sentence(self, lang: str = "id") -> str:
        """"Dibanding sesi sebelumnya ...": one line, or "" without a previous session."""
        prev = self.previous()
        return "" if prev is None else history_sentence(self, prev, lang)

    def findings(self, lang: str = "id") -> list:
        """The main results as short sentences for managers (Indonesian; English
        with ``lang="en"``): ``findings.session_findings``."""
        return session_findings(self, lang)

    def attrition_sentence(self, lang: str = "id") -> str:
        """``attrition()`` in one sentence for managers (``findings.attrition_sentence``)."""
        return attrition_sentence(self.attrition().iloc[0], self.min_n, lang)

    def quality(self) -> pd.DataFrame:
        """Row accounting: files read and entries skipped, rows read, kept, excluded and repaired, matched and
        unmatched, OPD names not in the registry and the matched participants
        they leave out of the per-OPD tables.

        Example:
            >>> ev.quality().set_index("description").loc["OPD names not in the registry", "n"]
            np.int64(0)
        """
        led = self.responses.ledger
        u = self.pairs.unmatched
        skipped = int((self.responses.sources["skipped"] != "").sum())
        rows = [("berkas dibaca", "files read", len(self.responses.sources) - skipped),
                # a folder or named pipe named like a data file (sources: skipped)
                ("dilewati: bukan berkas biasa, tidak dibuka", "skipped: not a regular file, not opened",
                 skipped),
                ("baris dibaca", "rows read", self.responses.n_input_rows),
                ("baris dipakai", "rows kept", len(self.responses.data)),
                ("baris dikeluarkan", "rows excluded", int((led["action"] == "excluded").sum())),
                ("perbaikan data", "repairs", int((led["action"] == "repaired").sum())),
                ("catatan untuk diperiksa", "flagged for review", int((led["action"] == "flagged").sum())),
                ("peserta pre dan post (berpasangan)", "matched participants", len(self.pairs.matched)),
                ("dicocokkan lewat nama + OPD", "matched by name + OPD",
                 int((self.pairs.matched["match_by"] == "nama_opd").sum())),
                ("nama OPD tidak ada di daftar OPD", "OPD names not in the registry",
                 len(self.responses.unresolved_opds)),
                # not counted per OPD (docs/opd.md)
                ("berpasangan tanpa OPD terdaftar", "matched without a registry OPD",
                 self.n_outside_opd),
                ("hanya pre-test", "pre-test only", int((u["reason"] == "no_post").sum())),
                ("hanya post-test", "post-test only", int((u["reason"] == "no_pre").sum())),
                ("tidak dicocokkan: calon ganda", "not matched: ambiguous",
                 int((u["reason"] == "ambiguous").sum()))]
        return pd.DataFrame(rows, columns=["keterangan", "description", "n"])

    def prepare_export(self, lang: str = "id", formats=("png", "svg", "pdf")) -> None:
        """Start drawing the export's figures in the background (forked workers,
        where the machine allows), so that a later ``export`` with the same
        ``lang`` and ``formats`` only writes them (``export.prepare_export``):
        call it once the evaluation is done, before the cells that show it.
        Nothing is written."""
        from .export import prepare_export
        prepare_export(self, lang, formats)

    def export(self, out_dir, *, lang: str = "id", formats=("png", "svg", "pdf"),
               include_participants: bool = False, salt: str | None = None,
               overwrite: bool = False) -> list:
        """Write the PNG charts, ``ringkasan.xlsx``, the one-page
        ``ringkasan.pdf`` and ``ringkasan.pptx`` to ``out_dir/kirim/`` (what
        managers get) and the charts' other ``formats`` to ``out_dir``; return
        the paths (``export.export_session``; ``overwrite=True`` replaces files evaltools
        did not write or that were changed since)."""
        from .export import export_session  # lazy: matplotlib and openpyxl load only to export
        return export_session(self, out_dir, lang=lang, formats=formats,
                              include_participants=include_participants, salt=salt,
                              overwrite=overwrite)


@page_policy()  # read, score and pair with memory kept for reuse (evaltools/pages.py)
def evaluate(source, instrument, options: ReadOptions | None = None, *, wave=None, session=None,
             columns=None, registry=None, anonymous: bool = False, format: str | None = None,
             review: str | None = None, meta: dict | None = None, min_n: int = MIN_N) -> Evaluation:
    """Read, score and pair a session's responses.

    ``source``: a folder, a path or a list of paths; ``instrument``: an
    Instrument or the path of its YAML file. The read options (``wave``,
    ``session``, ``columns``, ``registry``: the OPD list, ``anonymous``,
    ``format``, ``review``; or one ``ReadOptions``) are those of ``read_responses``.
    Session facts come from ``sesi.yaml`` in the files' folder unless
    ``meta`` is given.

    Example:
        >>> ev = evaluate("data/sample/loa-janan-2024-11-22",
        ...               "survey/netralitas-asn-pilkada-2024.yaml")
        >>> list(ev.by("opd").columns[:3])
        ['opd', 'n', 'mean_pre']
    """
    options = ReadOptions.of(options, wave=wave, session=session, columns=columns, registry=registry,
                             anonymous=anonymous, format=format, review=review)  # checked first
    if not isinstance(instrument, Instrument):
        instrument = load_instrument(instrument)
    responses = read_responses(source, instrument, options)
    first = Path(source if isinstance(source, (str, os.PathLike)) else list(source)[0])
    folder = first if first.is_dir() else first.parent
    # a meta given is checked as sesi.yaml is: no raw "kemarin sore" printed as the date
    meta = read_session_meta(folder) if meta is None else check_session_meta(meta, folder)
    marks = mark(responses, instrument)  # every answer marked once, kept for the item analyses
    scores = score(responses, instrument, marks=marks)
    return Evaluation(instrument, responses, scores, pair(scores), dict(meta), min_n, marks,
                      folder=folder.resolve() if (folder / "sesi.yaml").exists() else None,
                      options=options)
