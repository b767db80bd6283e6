"""Score kept submissions against the instrument's key.

``mark`` gives the 0/1 matrix (participant x scored item), row for row with
the responses; ``score`` the per-participant totals: one row per participant x
wave with n_correct, pct, pct_<topic> and passed, also row for row with the
responses. A blank answer counts as wrong and is counted in ``n_blank``. A
multi-select item is right only when exactly the keyed options are chosen.

Each answer is marked once: ``evaluate`` keeps the marks it scored with
(``Evaluation.marks``), and item analysis, distractors and reliability read
those, aligned to the matched participants by ``Pairs.aligned``.

Example:
    >>> s = score(responses, inst)
    >>> s[["wave", "pct", "passed"]].head(2)
      wave        pct  passed
    0  pre  59.259259   False
    1  pre  37.037037   False
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .instrument import Instrument
from .normalize import per_category
from .pages import page_policy
from .read import Responses

ID_COLUMNS = ["session", "wave", "pid"]


def _data(responses) -> pd.DataFrame:
    return responses.data if isinstance(responses, Responses) else responses


def answered(answers: pd.Series, option: str) -> np.ndarray:
    """Whether each answer is ``option`` ("" : blank, as a missing cell is);
    compared on the codes when the answers are coded, never cell by cell.

    Example:
        >>> answered(pd.Series(["a", "", None]), "").tolist()
        [False, True, True]
    """
    if isinstance(answers.dtype, pd.CategoricalDtype):  # a missing cell is blank
        return per_category(answers, answers.cat.categories == option, option == "")
    return (answers.fillna("").astype(str) == option).to_numpy(dtype=bool)


@page_policy()  # (evaltools/pages.py)
def mark(responses, instrument: Instrument) -> pd.DataFrame:
    """0/1 correctness of each scored item (columns = item ids), aligned with
    ``responses.data``.

    Example:
        >>> m = mark(responses, inst)
        >>> m.shape == (len(responses.data), len(inst.scored_items)), str(m["q01"].dtype)
        (True, 'int8')
    """
    data = _data(responses)
    out = {}
    for item in instrument.scored_items:
        key = " ".join(sorted(item.key)) if item.type == "multi" else item.key
        out[item.id] = answered(data[item.id], key).astype("int8")
    return pd.DataFrame(out, index=data.index)


@page_policy()  # (evaltools/pages.py)
def score(responses, instrument: Instrument, *, marks: pd.DataFrame | None = None) -> pd.DataFrame:
    """Per-participant scores for each wave.

    Columns: session, wave, pid, the participant fields (and opd_induk, source
    and row when read from files), n_items, n_blank,
    n_correct, pct (0-100), pct_<topic> for each topic, passed (pct >= KKM),
    then the mean of each Likert scale (reverse-coded items as 6 - x).
    ``marks``: ``mark(responses, instrument)`` when the caller has it already.

    Example:
        >>> s = score(responses, inst, marks=ev.marks)
        >>> int(s["passed"].sum()), len(s)
        (39, 108)
    """
    data = _data(responses)
    marks = mark(data, instrument) if marks is None else marks
    items = instrument.scored_items
    extra = [c for c in ("opd_induk", "opd_terdaftar", "source", "row") if c in data.columns]
    # copy-on-write: shares the text columns
    kept = data[ID_COLUMNS + instrument.field_ids + extra].reset_index(drop=True)
    out = {"n_items": np.full(len(data), len(items), dtype=np.int64)}
    blank = np.zeros(len(data), dtype=np.int64)
    for i in items:
        blank += answered(data[i.id], "")
    out["n_blank"] = blank
    # summed a column at a time: a sum along each short row of a participants x items
    # array is several times slower (2 million x 27: 0.14 s against 0.03 s)
    by_topic = {t.id: np.zeros(len(data), dtype=np.int16) for t in instrument.topics}
    correct = np.zeros(len(data), dtype=np.int16)  # (small integers: fewer bytes to touch)
    for i in items:
        right = marks[i.id].to_numpy(dtype=np.int8)
        correct += right
        if i.topic in by_topic:
            by_topic[i.topic] += right
    out["n_correct"] = correct.astype(np.int64)
    out["pct"] = 100.0 * out["n_correct"] / len(items)
    for t in instrument.topics:
        n_topic = sum(i.topic == t.id for i in items)
        out[f"pct_{t.id}"] = 100.0 * by_topic[t.id] / n_topic  # (float64, as from int64)
    out["passed"] = out["pct"] >= instrument.passing_score
    for s in instrument.scales:
        out[f"skala_{s.id}"] = _scale_means(data, [li for li in instrument.likert_items if li.scale == s.id])
    # joined at once: columns set on a frame one at a time make pandas rearrange its blocks
    # first (2 million rows: 0.3 s)
    return pd.concat([kept, pd.DataFrame(out, copy=False)], axis=1)


def _scale_means(data: pd.DataFrame, cols: list) -> np.ndarray:
    """Each participant's mean over a scale's items (reverse-coded ones as
    6 - x), NaN unless at least half of them are answered. Summed item after
    item in the scale's order, one column at a time (no items x participants
    array)."""
    if all(isinstance(data[li.id].dtype, pd.Int8Dtype) for li in cols):
        return _scale_means_int8(data, cols)
    answered = np.zeros(len(data), dtype=np.int64)
    total = np.zeros(len(data), dtype=np.float64)
    for li in cols:
        points = _points(data[li.id])
        seen = ~np.isnan(points)
        answered += seen
        total += np.where(seen, 6 - points if li.reverse else points, 0.0)
    enough = answered >= np.ceil(len(cols) / 2)  # a scale score needs half its items answered
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(enough & (answered > 0), total / answered, np.nan)


def _scale_means_int8(data: pd.DataFrame, cols: list) -> np.ndarray:
    """``_scale_means`` of Likert points read as ``Int8``: summed as
    integers from the values and their mask (exact, as the float sums are,
    for any Int8 value and any number of items a file can hold; a million
    rows touch a quarter of the memory), divided once."""
    answered = np.zeros(len(data), dtype=np.int32)
    total = np.zeros(len(data), dtype=np.int32)
    for li in cols:
        col = data[li.id].array
        # int16: 6 - x of any Int8 value without wrapping round
        points, missing = col.to_numpy(dtype=np.int16, na_value=0), col.isna()
        answered += ~missing
        total += np.where(missing, 0, 6 - points if li.reverse else points)
    enough = answered >= np.ceil(len(cols) / 2)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(enough & (answered > 0), total / answered, np.nan)


def _points(col: pd.Series) -> np.ndarray:
    """A Likert column's points as floats, NaN where unanswered (read as
    nullable integers, ``Int8``; anything else is converted).

    Example:
        >>> _points(pd.Series([1, None, 5], dtype="Int8")).tolist()
        [1.0, nan, 5.0]
    """
    if not isinstance(col.dtype, pd.Int8Dtype):
        col = pd.to_numeric(col, errors="coerce")
    return col.to_numpy(dtype="float64", na_value=np.nan)
