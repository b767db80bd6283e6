"""The vectorised per-group comparison equals the scalar one (whose values are
checked against R) group by group, on the sample sessions and on awkward
groups: one person, everyone changing by the same amount, ties, zeros, small
groups taking the exact Wilcoxon, missing scores."""

import numpy as np
import pandas as pd
import pytest

from evaltools import stats
from evaltools.compare import COLUMNS, _row
from evaltools.groupstats import paired_by_group

DZ_CI = ["d_z_ci_low", "d_z_ci_high"]


def _scalar(codes, pre, post, pp, pq, min_n=5):
    rows = []
    for g in range(codes.max() + 1):
        k = codes == g
        r = _row(pre[k], post[k], pp[k], pq[k], min_n)
        ex = stats.cohen_dz(pre[k], post[k], ci_method="exact")
        r["d_z_ci_low"], r["d_z_ci_high"] = ex["ci_low"], ex["ci_high"]
        rows.append(r)
    return pd.DataFrame(rows, columns=COLUMNS)


def _same(fast, slow):
    for col in COLUMNS:
        a, b = fast[col].tolist(), slow[col].tolist()
        if col in ("wilcoxon_method", "suppressed", "n", "df"):
            assert a == b, col
        else:
            tol = 1e-9 if col in DZ_CI else 1e-11
            assert np.allclose(np.asarray(a, float), np.asarray(b, float), rtol=tol, atol=tol,
                               equal_nan=True), (col, a, b)


def test_equals_the_scalar_path_on_kaltim_by_opd(ev_kaltim):
    m = ev_kaltim.pairs.matched
    codes = m.groupby("opd").ngroup().to_numpy()
    args = (codes, m["pct_pre"].to_numpy(float), m["pct_post"].to_numpy(float),
            m["passed_pre"].to_numpy(bool), m["passed_post"].to_numpy(bool))
    fast, slow = paired_by_group(*args, min_n=5), _scalar(*args)
    assert len(fast) == 32 and set(fast["wilcoxon_method"]) == {"exact", "normal, continuity-corrected"}
    _same(fast, slow)
    # and the d_z limits stay within 1e-6 of effectsize's (the scalar default)
    for g in (0, 5, 20):
        k = codes == g
        es = stats.cohen_dz(args[1][k], args[2][k])
        assert fast.loc[g, "d_z_ci_low"] == pytest.approx(es["ci_low"], abs=1e-6)


def test_equals_the_scalar_path_on_awkward_groups():
    rng = np.random.default_rng(7)
    groups = []
    groups.append((np.array([50.0]), np.array([60.0])))                      # n = 1
    groups.append((np.array([50.0, 60, 70]), np.array([55.0, 65, 75])))       # same change: sd 0
    groups.append((np.array([50.0, 60, 70, 80]), np.array([50.0, 60, 70, 80])))  # no change at all
    x = rng.integers(0, 10, 12) * 10.0
    groups.append((x, x + rng.integers(-1, 3, 12) * 10.0))                     # ties and zeros
    x = rng.normal(60, 10, 20)
    groups.append((x, x + rng.normal(8, 5, 20)))                               # exact Wilcoxon
    x = rng.integers(0, 28, 300) * 100 / 27
    groups.append((x, np.clip(x + rng.integers(-3, 9, 300) * 100 / 27, 0, 100)))  # large, normal
    y = np.array([40.0, np.nan, 70, 80, 90, 100])
    groups.append((y, np.array([60.0, 70, np.nan, 85, 95, 100])))              # missing scores, 100s
    codes = np.concatenate([np.full(len(a), g) for g, (a, _) in enumerate(groups)])
    pre = np.concatenate([a for a, _ in groups])
    post = np.concatenate([b for _, b in groups])
    pp, pq = np.nan_to_num(pre) >= 70, np.nan_to_num(post) >= 70
    fast, slow = paired_by_group(codes, pre, post, pp, pq), _scalar(codes, pre, post, pp, pq)
    assert fast["n"].tolist() == [1, 3, 4, 12, 20, 300, 4]
    assert fast.loc[4, "wilcoxon_method"] == "exact" and fast.loc[2, "wilcoxon_method"] == "none"
    _same(fast, slow)


def test_compare_by_group_uses_it_and_keeps_the_keys(ev_loa):
    by = ev_loa.by("opd")
    assert by["opd"].tolist() == sorted(by["opd"])
    m = ev_loa.pairs.matched
    one = m[m["opd"] == "Kecamatan Loa Janan"]
    r = by.set_index("opd").loc["Kecamatan Loa Janan"]
    # R: t.test(post, pre, paired = TRUE) on that OPD's 13 participants
    t = stats.paired_ttest(one["pct_pre"], one["pct_post"])
    assert r["n"] == 13 and r["t"] == pytest.approx(t["t"], abs=1e-12)
    two = ev_loa.compare(by=["opd", "jenis_pegawai"]) if hasattr(ev_loa, "compare") else None
    from evaltools.compare import compare
    two = compare(ev_loa.pairs, by=["opd", "jenis_pegawai"])
    assert list(two.columns[:2]) == ["opd", "jenis_pegawai"]
    assert two["n"].sum() == 52 and len(two) == m.groupby(["opd", "jenis_pegawai"]).ngroups


def test_a_constant_change_has_no_t_and_no_d_on_both_paths():
    # six people who all gained 5 of 27 items: differences equal up to rounding (R: t.test stops
    # with "data are essentially constant")
    pre = np.array([10, 12, 14, 16, 18, 20]) * 100 / 27
    post = pre + 5 * 100 / 27
    assert stats.paired_ttest(pre, post)["t"] != stats.paired_ttest(pre, post)["t"]  # NaN
    assert np.isnan(stats.cohen_dz(pre, post)["d_z"])
    g = paired_by_group(np.zeros(6, int), pre, post)
    assert np.isnan(g.loc[0, "t"]) and np.isnan(g.loc[0, "d_z"])
    assert g.loc[0, "ci_low"] == pytest.approx(5 * 100 / 27) == g.loc[0, "ci_high"]


@pytest.mark.parametrize("dense_cells", [20_000_000, 0], ids=["counts-table", "sort"])
def test_ranks_within_groups_equal_pandas_average_ranks(monkeypatch, dense_cells):
    # both ways of ranking (a table of counts, one sort) against pandas' groupby rank
    from evaltools import groupstats
    monkeypatch.setattr(groupstats, "_DENSE_CELLS", dense_cells)
    rng = np.random.default_rng(7)
    codes = rng.integers(0, 40, 3000)
    a = np.round(rng.integers(0, 28, 3000) * 100 / 27, 9)
    codes[:5] = 41  # group 40 stays empty
    ranks, tie_term, has_ties = groupstats._ranks(codes, a, 43)
    frame = pd.DataFrame({"g": codes, "a": a})
    np.testing.assert_allclose(ranks, frame.groupby("g")["a"].rank(method="average").to_numpy())
    t = frame.groupby(["g", "a"]).size()
    expected = t.pow(3).sub(t).groupby(level=0).sum().reindex(range(43), fill_value=0)
    np.testing.assert_allclose(tie_term, expected.to_numpy(float))
    assert has_ties.tolist() == (expected > 0).tolist()
