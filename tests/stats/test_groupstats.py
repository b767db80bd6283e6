"""The per-group path (``groupstats.paired_by_group``, ``compare``'s only
path) equals the scalar ``stats`` functions, whose values are checked
against R, group by group: on the sample sessions (per OPD, per employee
type, per topic) and on awkward groups: empty, one or two people, everyone
changing by the same amount, nobody changing, ties, zeros, small groups
taking the exact Wilcoxon, missing scores."""

import numpy as np
import pandas as pd
import pytest

from evaltools import stats
from evaltools.groupstats import COLUMNS, paired_by_group


def reference_row(pre, post, passed_pre=None, passed_post=None, min_n=5) -> dict:
    """One group's row from the scalar functions."""
    t = stats.paired_ttest(pre, post)
    w = stats.wilcoxon_signed_rank(pre, post)
    d = stats.cohen_dz(pre, post)
    g = stats.normalized_gain(pre, post)
    n = t["n"]
    ok = ~(np.isnan(pre) | np.isnan(post))
    row = {"n": n, "mean_pre": np.mean(pre[ok]) if n else np.nan,
           "mean_post": np.mean(post[ok]) if n else np.nan, "mean_gain": t["mean_diff"],
           "sd_gain": t["sd_diff"], "ci_low": t["ci_low"], "ci_high": t["ci_high"], "t": t["t"],
           "df": t["df"], "p_t": t["p"], "V": w["V"], "p_w": w["p"], "wilcoxon_method": w["method"],
           "r_rb": w["r_rb"], "d_z": d["d_z"], "d_z_ci_low": d["ci_low"], "d_z_ci_high": d["ci_high"],
           "g_z": d["g_z"], "d_av": stats.cohen_dav(pre, post)["d_av"], "g_hake": g["g_class"],
           "g_mean": g["g_mean"], "pass_pre": np.nan, "pass_post": np.nan, "p_pass": np.nan,
           "bf10": stats.jzs_bf10(t["t"], n)["bf10"] if np.isfinite(t["t"]) else np.nan,
           "min_detectable_gain": stats.min_detectable_d(n),  # times the session's SD below
           "suppressed": n < min_n}
    if passed_pre is not None and n:  # pass/fail over every row of the group
        row.update(pass_pre=100 * np.mean(passed_pre), pass_post=100 * np.mean(passed_post),
                   p_pass=stats.mcnemar(passed_pre, passed_post)["p"])
    return row


def reference(codes, pre, post, pp=None, pq=None, size=None, min_n=5) -> pd.DataFrame:
    size = codes.max() + 1 if size is None else size
    rows = [reference_row(pre[codes == g], post[codes == g],
                          None if pp is None else pp[codes == g],
                          None if pq is None else pq[codes == g], min_n) for g in range(size)]
    out = pd.DataFrame(rows, columns=COLUMNS)
    ok = ~(np.isnan(pre) | np.isnan(post))
    sd = np.std(post[ok] - pre[ok], ddof=1) if ok.sum() > 1 else np.nan  # the session's SD of gains
    return out.assign(min_detectable_gain=out["min_detectable_gain"] * sd)


def assert_same(fast, slow):
    assert list(fast.columns) == COLUMNS
    for col in COLUMNS:
        a, b = fast[col].tolist(), slow[col].tolist()
        if col in ("wilcoxon_method", "suppressed", "n", "df"):
            assert a == b, col
        else:
            tol = 1e-9 if col.startswith("d_z_ci") else 1e-11
            assert np.allclose(np.asarray(a, float), np.asarray(b, float), rtol=tol, atol=tol,
                               equal_nan=True), (col, a, b)


def _columns(m, metric="pct"):
    return (m[f"{metric}_pre"].to_numpy(float), m[f"{metric}_post"].to_numpy(float),
            m["passed_pre"].to_numpy(bool), m["passed_post"].to_numpy(bool))


@pytest.mark.parametrize("by", ["opd", "jenis_pegawai"])
def test_equals_the_scalar_functions_on_the_sample_sessions(ev_kaltim, ev_loa, by):
    for ev in (ev_kaltim, ev_loa):
        m = ev.pairs.matched
        codes = m.groupby(by).ngroup().to_numpy()
        args = (codes, *_columns(m))
        assert_same(paired_by_group(*args), reference(*args))
    # Kaltim's 32 OPDs take both Wilcoxon methods
    m = ev_kaltim.pairs.matched
    fast = paired_by_group(m.groupby("opd").ngroup().to_numpy(), *_columns(m))
    assert len(fast) == 32 and set(fast["wilcoxon_method"]) == {"exact", "normal, continuity-corrected"}


def test_equals_the_scalar_functions_per_topic(ev_kaltim, inst):
    m = ev_kaltim.pairs.matched
    for topic in inst.topics:
        pre, post, *_ = _columns(m, f"pct_{topic.id}")
        codes = m.groupby("opd").ngroup().to_numpy()
        assert_same(paired_by_group(codes, pre, post), reference(codes, pre, post))


def awkward_groups():
    rng = np.random.default_rng(7)
    x1, x2, x3 = rng.integers(0, 10, 12) * 10.0, rng.normal(60, 10, 20), rng.integers(0, 28, 300) * 100 / 27
    y = np.array([40.0, np.nan, 70, 80, 90, 100])
    return [
        (np.array([50.0]), np.array([60.0])),                                   # n = 1
        (np.array([50.0, 70]), np.array([65.0, 80])),                           # n = 2: no g_z
        (np.array([50.0, 60, 70]), np.array([55.0, 65, 75])),                   # same change: sd 0
        (np.array([50.0, 60, 70, 80]), np.array([50.0, 60, 70, 80])),           # no change at all
        (x1, x1 + rng.integers(-1, 3, 12) * 10.0),                              # ties and zeros
        (x2, x2 + rng.normal(8, 5, 20)),                                        # exact Wilcoxon
        (x3, np.clip(x3 + rng.integers(-3, 9, 300) * 100 / 27, 0, 100)),       # large, normal
        (y, np.array([60.0, 70, np.nan, 85, 95, 100])),                         # missing scores, 100s
        (np.array([10, 20, 30, 40]) * 100 / 27, np.array([10, 20, 30, 40]) * 100 / 27 + 400 / 27),
    ]


def test_equals_the_scalar_functions_on_awkward_groups():
    groups = awkward_groups()
    codes = np.concatenate([np.full(len(a), g) for g, (a, _) in enumerate(groups)])
    codes = np.where(codes >= 4, codes + 1, codes)  # group 4 stays empty: n = 0
    pre = np.concatenate([a for a, _ in groups])
    post = np.concatenate([b for _, b in groups])
    pp, pq = np.nan_to_num(pre) >= 70, np.nan_to_num(post) >= 70
    fast, slow = paired_by_group(codes, pre, post, pp, pq), reference(codes, pre, post, pp, pq)
    assert fast["n"].tolist() == [1, 2, 3, 4, 0, 12, 20, 300, 4, 4]
    assert fast["wilcoxon_method"].tolist()[3:6] == ["none", "none", "normal, continuity-corrected"]
    assert fast.loc[6, "wilcoxon_method"] == "exact"
    assert np.isnan(fast.loc[1, "g_z"]) and not np.isnan(fast.loc[1, "d_z_ci_low"])
    assert np.isnan(fast.loc[9, "t"])  # 4 people who all gained 4 of 27 items
    assert_same(fast, slow)
    # and without pass/fail (topic scores)
    assert_same(paired_by_group(codes, pre, post), reference(codes, pre, post))


def test_no_participants_at_all_is_one_empty_row():
    out = paired_by_group(np.array([], int), np.array([]), np.array([]), np.array([], bool),
                          np.array([], bool), size=1)
    assert_same(out, reference(np.array([], int), np.array([]), np.array([]), size=1))
    assert out.loc[0, "n"] == 0 and out.loc[0, "wilcoxon_method"] == "none" and out.loc[0, "suppressed"]
    assert paired_by_group(np.array([], int), np.array([]), np.array([])).empty


def test_a_constant_change_has_no_t_and_no_d_on_both_paths():
    # six people who all gained 5 of 27 items: differences equal up to rounding (R: t.test stops
    # with "data are essentially constant")
    pre = np.array([10, 12, 14, 16, 18, 20]) * 100 / 27
    post = pre + 5 * 100 / 27
    assert np.isnan(stats.paired_ttest(pre, post)["t"])
    assert np.isnan(stats.cohen_dz(pre, post)["d_z"])
    g = paired_by_group(np.zeros(6, int), pre, post)
    assert np.isnan(g.loc[0, "t"]) and np.isnan(g.loc[0, "d_z"]) and np.isnan(g.loc[0, "d_z_ci_low"])
    assert g.loc[0, "ci_low"] == pytest.approx(5 * 100 / 27) == g.loc[0, "ci_high"]


@pytest.mark.parametrize("dense_cells", [20_000_000, 0], ids=["counts-table", "sort"])
def test_signed_ranks_within_groups_equal_pandas_average_ranks(monkeypatch, dense_cells):
    # both ways of ranking (a table of counts, one sort) against pandas' groupby rank of |d|
    # over the non-zero differences: V, m, the tie term, ties, zeros
    from evaltools import groupstats
    monkeypatch.setattr(groupstats, "_DENSE_CELLS", dense_cells)
    rng = np.random.default_rng(7)
    codes = rng.integers(0, 40, 3000)
    d = np.round(rng.integers(-6, 12, 3000) * 100 / 27, 9)
    codes[:5] = 41  # group 40 stays empty
    d[codes == 3] = np.where(d[codes == 3] == 0, 100 / 27, d[codes == 3])  # a group without zeros
    v, m, tie_term, has_ties, has_zero = groupstats._signed_ranks(codes, d, 43)
    frame = pd.DataFrame({"g": codes, "a": np.abs(d), "pos": d > 0})[d != 0]
    frame["rank"] = frame.groupby("g")["a"].rank(method="average")
    expected_v = frame["rank"].where(frame["pos"], 0).groupby(frame["g"]).sum()
    np.testing.assert_array_equal(v, expected_v.reindex(range(43), fill_value=0).to_numpy(float))
    assert m.tolist() == frame.groupby("g").size().reindex(range(43), fill_value=0).tolist()
    t = frame.groupby(["g", "a"]).size()
    expected = t.pow(3).sub(t).groupby(level=0).sum().reindex(range(43), fill_value=0)
    np.testing.assert_allclose(tie_term, expected.to_numpy(float))
    assert has_ties.tolist() == (expected > 0).tolist()
    assert has_zero.tolist() == [bool((d[codes == g] == 0).any()) for g in range(43)]
    assert not has_zero[3] and has_zero[0] and not has_zero[40]
