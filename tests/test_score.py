"""score: marks and scores of the kept submissions (evaltools.score)."""

import numpy as np
import pandas as pd
import pytest

import evaltools as et


def test_scores_one_row_per_participant_and_wave(ev_loa, inst):
    s = ev_loa.scores
    assert len(s) == len(ev_loa.responses.data)
    assert not s.duplicated(["session", "wave", "pid"]).any()
    assert (s["n_items"] == 27).all()
    np.testing.assert_allclose(s["pct"], 100 * s["n_correct"] / 27)
    assert (s["passed"] == (s["pct"] >= 70)).all()
    topic_cols = [f"pct_{t}" for t in inst.topic_ids]
    # topic percents weight back to the total: sum over topics of pct_t * items_t = 100 * n_correct
    items_per_topic = np.array([sum(i.topic == t for i in inst.scored_items) for t in inst.topic_ids])
    np.testing.assert_allclose(s[topic_cols].to_numpy() @ items_per_topic, 100 * s["n_correct"])


def test_score_of_a_known_answer_sheet(inst):
    import pandas as pd
    row = {"session": "s", "wave": "pre", "pid": "kode:X", **{f: "" for f in inst.field_ids}}
    for item in inst.items:
        row[item.id] = " ".join(sorted(item.key)) if item.type == "multi" else item.key
    for li in inst.likert_items:
        row[li.id] = pd.NA
    row["q01"] = "a"            # wrong
    row["q31"] = "a c"          # multi: a subset of the key is wrong
    row["q02"] = ""             # blank: wrong and counted as blank
    row["q04"] = "salah"        # unscored item: does not count
    row["sikap_1"], row["sikap_2"], row["sikap_6"] = 5, 4, 1   # sikap_6 reverse-coded: 6 - 1 = 5
    data = pd.DataFrame([row])
    s = et.score(data, inst).iloc[0]
    assert (s["n_correct"], s["n_blank"]) == (24, 1)
    assert s["pct"] == pytest.approx(100 * 24 / 27)
    assert s["pct_dasar_hukum"] == pytest.approx(100 * 2 / 3)   # q01 wrong of q01, q06, q28
    assert s["pct_larangan"] == pytest.approx(100 * 6 / 7)      # q31 wrong
    # mean of the 3 answered items (half of 6 is the minimum): (5 + 4 + 5) / 3
    assert s["skala_sikap_netralitas"] == pytest.approx(14 / 3)
    assert np.isnan(s["skala_reaksi"])  # no reaction item answered


def test_each_answer_is_marked_once_and_the_marks_are_kept(ev_loa, inst):
    # evaluate marks once; the scores are the sums of those very marks
    marks, data = ev_loa.marks, ev_loa.responses.data
    assert marks.shape == (len(data), 27) and list(marks.columns) == [i.id for i in inst.scored_items]
    pd.testing.assert_frame_equal(marks, et.mark(ev_loa.responses, inst))
    assert (marks.sum(axis=1).to_numpy() == ev_loa.scores["n_correct"].to_numpy()).all()
    pd.testing.assert_frame_equal(et.score(ev_loa.responses, inst, marks=marks), ev_loa.scores)
    # a multi-select item is right only with exactly the keyed options
    q31 = data["q31"] == " ".join(sorted(inst.item("q31").key))
    assert (marks["q31"] == q31.astype("int8")).all() and 0 < q31.sum() < len(data)


def test_a_scale_mean_needs_half_its_items_rounded_up(inst):
    """reaksi has 5 items: 3 answered give a mean, 2 give none (half of 5,
    rounded up, is 3); the points come as read (nullable Int8) or as text."""
    base = {"session": "s", "wave": "post", "pid": "kode:X", **{f: "" for f in inst.field_ids},
            **{i.id: "" for i in inst.items}, **{li.id: None for li in inst.likert_items}}
    two = {**base, "reaksi_1": 4, "reaksi_2": 5}
    three = {**base, "pid": "kode:Y", "reaksi_1": 4, "reaksi_2": 5, "reaksi_5": 2}
    data = pd.DataFrame([two, three])
    likert = [li.id for li in inst.likert_items]
    coded = data.astype({c: "Int8" for c in likert})
    for frame in (coded, coded.astype({c: "str" for c in likert})):
        got = et.score(frame, inst)["skala_reaksi"].tolist()
        assert np.isnan(got[0]) and got[1] == pytest.approx(11 / 3)


def test_likert_means_summed_as_integers_are_the_float_sums():
    """Int8 Likert points are summed as integers (``score._scale_means_int8``):
    the same means as the float sums, for every Int8 value a caller may pass
    (6 - x of -128 once wrapped round in int8, a review found)."""
    from evaltools.score import _scale_means, _scale_means_int8

    class Item:
        def __init__(self, id, reverse):
            self.id, self.reverse = id, reverse
    rng = np.random.default_rng(5)
    values = np.r_[-128, 127, -1, 0, 6, rng.integers(1, 6, 995)]
    cols = [Item(f"l{k}", k % 2 == 1) for k in range(5)]
    data = pd.DataFrame({c.id: pd.array(np.where(rng.random(1000) < 0.2, None, rng.permutation(values)).tolist(),
                                        dtype="Int8") for c in cols})
    np.testing.assert_array_equal(_scale_means_int8(data, cols), _scale_means(data.astype("Float64"), cols))
