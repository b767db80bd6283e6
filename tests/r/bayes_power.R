# Reference values for tests/stats/test_bayes.py and test_power.py (issue 24, points 3-4).
# Run: Rscript tests/r/bayes_power.R   (needs BayesFactor, pwr)
suppressMessages({library(BayesFactor); library(pwr)})
p <- function(...) cat(sprintf(...), "\n")
# R's sleep data: BF10 of the paired gain (group 2 - group 1)
x <- sleep$extra[sleep$group == 2]; y <- sleep$extra[sleep$group == 1]
p("sleep bf10 %.15g", extractBF(ttestBF(x = x, y = y, paired = TRUE))$bf)
# sample sessions: matched pairs exported by tests (pct_pre, pct_post, opd)
for (f in Sys.glob("tests/r/bayes_pairs_*.csv")) {
  d <- read.csv(f, colClasses = c(opd = "character"))
  p("%s session bf10 %.15g", basename(f), extractBF(ttestBF(x = d$pct_post, y = d$pct_pre, paired = TRUE))$bf)
  for (o in sort(unique(d$opd))) {
    s <- d[d$opd == o, ]
    if (nrow(s) >= 5 && sd(s$pct_post - s$pct_pre) > 0)
      p("%s opd %s n %d bf10 %.15g", basename(f), o, nrow(s),
        extractBF(ttestBF(x = s$pct_post, y = s$pct_pre, paired = TRUE))$bf)
  }
}
# large t and n: log BF (BayesFactor switches to its approximation here)
p("t50 n1e5 logbf %.15g", ttest.tstat(t = 50, n1 = 100000, rscale = "medium")$bf)
# minimum detectable d: pwr's power function solved to tol 1e-15, beside pwr's own uniroot
mdd <- function(n) uniroot(function(d) pwr.t.test(n = n, d = d, type = "paired")$power - 0.8,
                           c(1e-7, 10), tol = 1e-15, extendInt = "upX")$root
for (n in c(2, 5, 6, 10, 13, 52, 100000))
  p("n %d d %.15g pwr_default %.15g", n, mdd(n),
    if (n > 2) pwr.t.test(n = n, power = 0.8, sig.level = 0.05, type = "paired")$d else NA)
# participants needed: pwr.t.test(d = G/sd, power = 0.8, type = "paired")$n, exact root
for (d in c(0.5, 2/3, 0.2, 1.5))
  p("d %.15g n %.15g n_tight %.15g", d, pwr.t.test(d = d, power = 0.8, type = "paired")$n,
    uniroot(function(n) pwr.t.test(n = n, d = d, type = "paired")$power - 0.8,
            c(2 + 1e-10, 1e9), tol = 1e-13)$root)
