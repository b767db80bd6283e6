"""Many groups at once: p-values adjusted across a family (OPDs, topics,
items) and group means partially pooled toward the overall mean.

Example:
    >>> adjust_p([0.01, 0.04]).tolist()
    [0.02, 0.04]
"""

from __future__ import annotations

import math

import numpy as np

from .._lazy import lazy

st = lazy("scipy.stats")


def adjust_p(p, method: str = "holm") -> np.ndarray:
    """p-values adjusted for multiple comparisons, as R ``p.adjust(p, method)``.

    Parameters
    ----------
    p : array_like
        The family's p-values; NaNs are kept and left out of the family
        size, as R does.
    method : {"holm", "BH", "bonferroni"}, default "holm"
        Holm's step-down (family-wise error), Benjamini-Hochberg (false
        discovery rate, for many items) or Bonferroni.

    Returns
    -------
    ndarray
        Adjusted p-values in the input order.

    Notes
    -----
    With m p-values sorted p_(1) <= ... <= p_(m):

        Holm:        q_(i) = min(1, max_{j <= i} (m - j + 1) p_(j))
        BH:          q_(i) = min(1, min_{j >= i} m p_(j) / j)
        Bonferroni:  q_i = min(1, m p_i)

    References
    ----------
    .. [1] Holm, S. (1979). A simple sequentially rejective multiple test
       procedure. Scandinavian Journal of Statistics, 6(2), 65-70.
    .. [2] Benjamini, Y., & Hochberg, Y. (1995). Controlling the false
       discovery rate: a practical and powerful approach to multiple testing.
       Journal of the Royal Statistical Society B, 57(1), 289-300.

    Examples
    --------
    >>> adjust_p([0.01, 0.04, 0.03, 0.2, 0.005]).round(3).tolist()
    [0.04, 0.09, 0.09, 0.2, 0.025]
    >>> adjust_p([0.01, 0.04, 0.03, 0.2, 0.005], "BH").round(3).tolist()
    [0.025, 0.05, 0.05, 0.2, 0.025]
    """
    p = np.asarray(p, dtype=float)
    out = np.full_like(p, np.nan)
    ok = ~np.isnan(p)
    q = p[ok]
    n = len(q)
    if n == 0:
        return out
    if method == "bonferroni":
        adj = np.minimum(1, q * n)
    elif method == "holm":
        order = np.argsort(q, kind="stable")
        steps = (n - np.arange(n)) * q[order]
        adj = np.empty(n)
        adj[order] = np.minimum(1, np.maximum.accumulate(steps))
    elif method == "BH":
        adj = st.false_discovery_control(q, method="bh")
    else:
        raise ValueError(f"unknown method {method!r}: use holm, bonferroni or BH")
    out[ok] = adj
    return out


def _dersimonian_laird(y: np.ndarray, v: np.ndarray) -> tuple:
    """Cochran's Q about the fixed-effect mean, and the DerSimonian-Laird
    tau^2 (never below 0)."""
    w = 1 / v
    ybar = float((w * y).sum() / w.sum())
    q = float((w * (y - ybar) ** 2).sum())
    return q, float(max(0.0, (q - (len(y) - 1)) / (w.sum() - (w ** 2).sum() / w.sum())))


def partial_pooling(means, variances, ns) -> dict:
    """Empirical-Bayes (partially pooled) group means: a random-effects
    meta-analysis with DerSimonian-Laird tau^2.

    Parameters
    ----------
    means : array_like
        Each group's mean (e.g. mean gain per OPD).
    variances : array_like
        The within-group sample variances (sd^2).
    ns : array_like
        Group sizes.

    Returns
    -------
    dict
        ``shrunken`` (array, NaN for groups left out), its standard error
        ``shrunken_se`` (metafor ``blup()$se``: sqrt((1 - B_i) v_i + B_i^2
        se(mu)^2)), ``mu``, ``mu_se``,
        ``tau2``, ``I2`` (percent), ``Q``, ``k`` (groups used). Groups with
        n < 2 or no variance have no estimate of their own and are left out;
        fewer than 2 groups left give NaN.

    Notes
    -----
    Group i has mean y_i and sampling variance v_i = s_i^2 / n_i. With
    w_i = 1 / v_i and the fixed-effect mean y_w = sum(w y) / sum(w):

        Q = sum(w_i (y_i - y_w)^2),
        tau^2 = max(0, (Q - (k - 1)) / (sum(w) - sum(w^2) / sum(w))),
        I^2 = 100 * max(0, (Q - (k - 1)) / Q),
        mu = sum(y_i / (v_i + tau^2)) / sum(1 / (v_i + tau^2)),
        B_i = v_i / (v_i + tau^2),   shrunken_i = B_i mu + (1 - B_i) y_i.

    A small or noisy group (large v_i) moves most of the way to mu; with
    tau^2 = 0 every group is mu. As R ``metafor::rma(yi, vi, method = "DL")``
    (``$tau2``, ``$I2``, ``$QE``, ``$beta``, ``$se``) and ``blup(r)$pred``.

    References
    ----------
    .. [1] DerSimonian, R., & Laird, N. (1986). Meta-analysis in clinical
       trials. Controlled Clinical Trials, 7(3), 177-188.
    .. [2] Higgins, J. P. T., & Thompson, S. G. (2002). Quantifying
       heterogeneity in a meta-analysis. Statistics in Medicine, 21(11),
       1539-1558.

    Examples
    --------
    >>> r = partial_pooling([10, 20, 15], [100, 100, 100], [10, 10, 10])
    >>> round(r["tau2"], 4), round(r["I2"], 4), r["shrunken"].round(3).tolist()
    (15.0, 60.0, [12.0, 18.0, 15.0])
    """
    y = np.asarray(means, dtype=float)
    v = np.asarray(variances, dtype=float) / np.asarray(ns, dtype=float)
    ok = ~(np.isnan(y) | np.isnan(v)) & (np.asarray(ns, dtype=float) >= 2) & (v > 0)
    out = {"shrunken": np.full_like(y, np.nan), "shrunken_se": np.full_like(y, np.nan),
           "mu": math.nan, "mu_se": math.nan, "tau2": math.nan, "I2": math.nan, "Q": math.nan,
           "k": int(ok.sum())}
    if ok.sum() < 2:
        return out
    q, tau2 = _dersimonian_laird(y[ok], v[ok])
    ws = 1 / (v[ok] + tau2)
    mu = float((ws * y[ok]).sum() / ws.sum())
    shrink = v[ok] / (v[ok] + tau2)
    out["shrunken"][ok] = shrink * mu + (1 - shrink) * y[ok]
    mu_var = 1 / ws.sum()
    out["shrunken_se"][ok] = np.sqrt((1 - shrink) * v[ok] + shrink ** 2 * mu_var)
    out.update(mu=mu, mu_se=float(math.sqrt(mu_var)), tau2=tau2, Q=q,
               I2=100 * max(0.0, (q - out["k"] + 1) / q) if q > 0 else 0.0)
    return out
