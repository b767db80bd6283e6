# Reference values for tests/test_compare.py (the unpaired comparison):
# correct answers (of 27) of the pre and post files of tests/fixtures/read/matching
# read without names, NIPs and codes (every row its own participant).
pre <- c(24, 22, 18, 23, 24, 20, 23, 22, 23, 23)
post <- c(26, 26, 24, 25, 26, 26, 25, 26, 24)
p <- function(x) cat(sprintf("%.17g", x), "\n")
t <- t.test(post * 100 / 27, pre * 100 / 27)
p(c(t$statistic, t$parameter, t$p.value, t$conf.int))
w <- suppressWarnings(wilcox.test(post, pre)); p(c(w$statistic, w$p.value))
g <- effectsize::hedges_g(post * 100 / 27, pre * 100 / 27); p(c(g$Hedges_g, g$CI_low, g$CI_high))
