# Reference values for tests/stats/test_scales.py: attitude items of the 52 matched
# participants of the Loa Janan sample, reverse-coded (sikap_6 as 6 - x), and the
# scale scores (tests/r/attitude_loa_janan.csv, written from evaltools' pairing).
suppressMessages(library(psych))
d <- read.csv("tests/r/attitude_loa_janan.csv")
p <- function(x) cat(sprintf("%.17g", x), "\n")
for (i in 1:6) {
  w <- suppressWarnings(wilcox.test(d[[paste0("sikap_", i, "_post")]], d[[paste0("sikap_", i, "_pre")]], paired = TRUE))
  p(c(w$statistic, w$p.value))
}
pre <- d[, paste0("sikap_", 1:6, "_pre")]; post <- d[, paste0("sikap_", 1:6, "_post")]
# every item answered, so the scale score is rowSums / 6; sums keep R from
# splitting true ties by float noise (23/6 - 19/6 vs 27/6 - 23/6)
stopifnot(all(abs(rowSums(pre) / 6 - d$skala_sikap_netralitas_pre) < 1e-12))
w <- suppressWarnings(wilcox.test(rowSums(post), rowSums(pre), paired = TRUE))
p(c(w$statistic, w$p.value))
p(alpha(pre, warnings = FALSE)$total$raw_alpha); p(alpha(post, warnings = FALSE)$total$raw_alpha)
