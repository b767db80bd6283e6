# Reference values for tests/test_compare.py::test_kaltim_per_opd_pooling:
# per-OPD mean gain of the matched participants of the Kaltim sample
# (tests/r/kaltim_gain_by_opd.csv = ev.pairs.matched[["opd", "gain"]]),
# then a DerSimonian-Laird random-effects model and its BLUPs.
suppressMessages(library(metafor))
m <- read.csv("tests/r/kaltim_gain_by_opd.csv")
g <- aggregate(gain ~ opd, m, function(x) c(mean = mean(x), var = var(x), n = length(x)))
g <- data.frame(opd = g$opd, g$gain)
g <- g[order(g$opd, method = "radix"), ]   # C-locale order, as pandas sorts
r <- rma(g$mean, g$var / g$n, method = "DL")
p <- function(x) cat(sprintf("%.17g", x), "\n")
p(c(r$tau2, r$I2, r$beta))
cat(g$opd[c(1, 14, 28)], sep = " | "); cat("\n")
p(blup(r)$pred[c(1, 14, 28)])
