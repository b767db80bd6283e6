# Reference values for tests/stats/test_dz_interval.py and tests/test_compare.py:
# the exact noncentral-t confidence limits, R's uniroot on pt with tol = 1e-15.
# R's pt is exact for ncp below 37.62 (and df up to 4e5), which every root here is;
# beyond it the tests check against mpmath instead.
# Run: Rscript tests/r/dz_interval.R  (R 4.2.2)
p <- function(...) cat(sprintf("%.17g", c(...)), "\n")
root <- function(t, df, prob) {
  r <- uniroot(function(nc) pt(t, df, nc) - prob, c(t - 4, t + 4), tol = 1e-15)$root
  pt(t, df, r)  # warns if pt is not exact at the root (none does)
  r
}
limits <- function(t, df) c(root(t, df, 0.975), root(t, df, 0.025))

# 1. Student's sleep data: d_z and its interval (divided by sqrt(n))
pre <- sleep$extra[1:10]; post <- sleep$extra[11:20]
d <- post - pre; n <- length(d); dz <- mean(d) / sd(d)
cat("sleep d_z, CI:\n"); p(dz, limits(dz * sqrt(n), n - 1) / sqrt(n))

# 2. the noncentrality limits of t values that effectsize:::.get_ncp_t was checked on
cat("ncp limits of (2.1, 5), (-3.3, 20), (19.7, 262), (0.4, 12):\n")
p(limits(2.1, 5)); p(limits(-3.3, 20)); p(limits(19.7, 262)); p(limits(0.4, 12))

# 3. a mean gain of exactly zero: eight gains in whole items of 27 (t = 0)
d <- c(1, -1, 2, -2, 0, 1, -1, 0) * 100 / 27
cat("zero gain, n = 8: mean, CI:\n"); p(mean(d), limits(0, 7) / sqrt(8))

# 4. the Loa Janan sample session (52 matched participants)
m <- read.csv("tests/r/loa_janan_matched_counts.csv")
d <- (m$n_correct_post - m$n_correct_pre) * 100 / 27; n <- length(d); dz <- mean(d) / sd(d)
cat("Loa Janan d_z, CI:\n"); p(dz, limits(dz * sqrt(n), n - 1) / sqrt(n))

# 5. Hedges' g_s of two independent groups: the limits of t = d_s / sqrt(1/nx + 1/ny),
#    scaled back by sqrt(1/nx + 1/ny) and the exact J (as effectsize::hedges_g(y, x))
gs <- function(x, y) {
  nx <- length(x); ny <- length(y); df <- nx + ny - 2
  s <- sqrt((sum((x - mean(x))^2) + sum((y - mean(y))^2)) / df)
  ds <- (mean(y) - mean(x)) / s; h <- sqrt(1 / nx + 1 / ny)
  J <- exp(lgamma(df / 2) - log(sqrt(df / 2)) - lgamma((df - 1) / 2))
  c(ds * J, limits(ds / h, df) * h * J)
}
cat("g_s, CI: A, B, anonymous session:\n")
p(gs(c(12, 15, 9, 20, 14, 11, 18, 13), c(19, 22, 16, 25, 17, 23, 21)))
p(gs(c(45, 60, 55, 70, 45, 50, 65, 60, 40), c(70, 65, 80, 75, 60, 85, 70, 90, 55, 75, 80, 65, 70, 95)))
p(gs(c(24, 22, 18, 23, 24, 20, 23, 22, 23, 23) * 100 / 27, c(26, 26, 24, 25, 26, 26, 25, 26, 24) * 100 / 27))

# 6. where R's pt is approximate (ncp > 37.62): its values, for the record
cat("pt(-45, 99, -50), pt(45, 99, 50), pt(45, 5e5, 44):\n")
p(pt(-45, 99, -50), pt(45, 99, 50), pt(45, 5e5, 44))
