# Reference values for tests/test_recap.py (Rscript tests/r/retention_loa_janan.R).
# retention_loa_janan.csv: correct answers (of 27 scored items) at pre, post and follow-up of the
# Loa Janan participants found in all three waves (data/sample, matched by NIP or code).
d <- read.csv("tests/r/retention_loa_janan.csv")
pct <- d * 100 / 27
t <- t.test(pct$followup, pct$post, paired = TRUE)
kept <- 100 * (mean(pct$followup) - mean(pct$pre)) / (mean(pct$post) - mean(pct$pre))
cat(sprintf("%.17g", c(nrow(d), colMeans(pct), t$estimate, t$conf.int, t$p.value, kept)), sep = "\n")
