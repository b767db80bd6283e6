"""Array-level statistics, each returning a plain dict; docs/statistics.md
explains every one, its formula and the R call it equals.

- ``paired``: ``paired_ttest`` (R ``t.test(post, pre, paired = TRUE)``),
  ``wilcoxon_signed_rank`` (``wilcox.test(post, pre, paired = TRUE)``),
  ``mcnemar`` (``mcnemar.test`` / ``binom.test``);
- ``effects``: ``cohen_dz`` with the exact noncentral-t interval and
  ``g_z`` (``effectsize::cohens_d(post, pre, paired = TRUE)``), ``cohen_dav``,
  ``normalized_gain`` (Hake, Marx & Cummings), ``cohen_label``, ``hake_label``;
- ``unpaired``: ``welch_ttest`` (``t.test(y, x)``), ``mann_whitney``
  (``wilcox.test(y, x)``), ``hedges_gs`` (``effectsize::hedges_g(y, x)``);
- ``multiple``: ``adjust_p`` (``p.adjust``), ``partial_pooling``
  (``metafor::rma(method = "DL")``, ``blup``);
- ``dif``: ``mantel_haenszel`` (``mantelhaen.test(table, correct = TRUE)``, ETS
  delta), ``ets_class`` (the ETS A/B/C rule);
- ``noncentral``: ``ncp_interval``, ``ncp_root``, ``nct_cdf``, ``hedges_j``;
- ``bayes``: ``jzs_bf10`` (``BayesFactor::ttestBF(x = post, y = pre,
  paired = TRUE)``), ``bf10_many``, ``bf_label`` (Jeffreys' words);
- ``power``: ``min_detectable_d`` (``pwr::pwr.t.test(n, power = 0.8,
  type = "paired")$d``), ``sample_size`` (its ``$n``), ``paired_power``;
- ``common``: ``TIE_DECIMALS``, ``essentially_constant``: R's rules the
  per-group path (``evaltools.groupstats``) shares.

These scalar functions are the R-checked reference; ``compare`` computes the
same values for every group at once with ``evaltools.groupstats``.
Distributions and tests come from scipy (imported on first use).

Example:
    >>> from evaltools import stats
    >>> r = stats.paired_ttest([50, 60, 70], [60, 75, 80])
    >>> round(r["t"], 4), r["df"]
    (7.0, 2)
"""

from __future__ import annotations

from .bayes import bf10_many, bf_label, jzs_bf10
from .common import TIE_DECIMALS, essentially_constant
from .effects import cohen_dav, cohen_dz, cohen_label, hake_label, normalized_gain
from .multiple import adjust_p, partial_pooling
from .noncentral import hedges_j, ncp_interval, ncp_root, nct_cdf
from .power import min_detectable_d, paired_power, sample_size
from .paired import mcnemar, paired_ttest, wilcoxon_signed_rank
from .unpaired import hedges_gs, mann_whitney, welch_ttest

__all__ = ["TIE_DECIMALS", "essentially_constant", "paired_ttest", "wilcoxon_signed_rank",
           "mcnemar", "cohen_dz", "cohen_dav", "normalized_gain", "cohen_label", "hake_label",
           "welch_ttest", "mann_whitney", "hedges_gs", "adjust_p", "partial_pooling",
           "ncp_interval", "ncp_root", "nct_cdf", "hedges_j", "jzs_bf10", "bf10_many", "bf_label",
           "min_detectable_d", "paired_power", "sample_size"]
