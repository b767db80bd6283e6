"""R's rules that the scalar functions and the per-group path share.

``evaltools.groupstats`` computes the paired comparison for many groups at
once; it must decide ties and constant differences exactly as the scalar
functions here do, so both read these.

Example:
    >>> paired_arrays([1, 2, float("nan")], [3, float("nan"), 4])
    (array([1.]), array([3.]))
"""

from __future__ import annotations

import numpy as np

#: Differences (and, between groups, values) are rounded to this many decimals
#: before zeros and ties are decided, so that float noise in percent scores
#: (100 * 7/27 computed two ways) cannot split a true tie.
TIE_DECIMALS = 9


def paired_arrays(pre, post) -> tuple[np.ndarray, np.ndarray]:
    """``pre`` and ``post`` as float arrays without the pairs that miss a value.

    Example:
        >>> paired_arrays([50, 60], [55, 70])[1].tolist()
        [55.0, 70.0]
    """
    pre = np.asarray(pre, dtype=float)
    post = np.asarray(post, dtype=float)
    if pre.shape != post.shape or pre.ndim != 1:
        raise ValueError("pre and post must be 1-d arrays of equal length")
    keep = ~(np.isnan(pre) | np.isnan(post))
    return pre[keep], post[keep]


def group_array(a) -> np.ndarray:
    """One group's values as a flat float array without missing values.

    Example:
        >>> group_array([[1, float("nan")], [3, 4]]).tolist()
        [1.0, 3.0, 4.0]
    """
    a = np.asarray(a, dtype=float).ravel()
    return a[~np.isnan(a)]


def essentially_constant(mean, sd, n):
    """R's test in ``t.test``: differences whose standard error is under 10
    machine epsilons of their mean are one number repeated (up to rounding),
    and have no t and no d. Works on arrays too.

    Example:
        >>> bool(essentially_constant(18.518518518518519, 1.9e-15, 6))
        True
        >>> bool(essentially_constant(5.0, 1.0, 6))
        False
    """
    return np.asarray(sd) / np.sqrt(n) < 10 * np.finfo(float).eps * np.abs(mean)
