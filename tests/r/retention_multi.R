# Reference values for tests/stats/test_retention.py (Rscript tests/r/retention_multi.R).
# retention_multi.csv: percent correct of the Loa Janan participants (pre and post matched) at
# pre, post and two follow-up surveys, f1 (2024-12-20) and f2 (2025-02-21), NA where a participant
# was not found; synthetic data written by evaltools.simulate (write_sample with FOLLOWUPS and
# LATER_FOLLOWUPS), as the test writes it again in a temporary folder.
d <- read.csv("tests/r/retention_multi.csv")
fu <- c("f1", "f2")
out <- function(...) cat(sprintf("%.17g", c(...)), sep = "\n")
# the trajectory: complete cases (present at every wave), per wave n, mean, sd, t interval
cc <- d[complete.cases(d), ]
for (w in names(d)) {
  x <- cc[[w]]
  cat("wave", w, "\n")
  out(sum(!is.na(d[[w]])), nrow(cc), mean(x), sd(x), t.test(x)$conf.int)
}
# each follow-up against the post-test on all who took both, Holm across the follow-ups
p <- c()
for (f in fu) {
  ok <- !is.na(d[[f]])
  t <- t.test(d[[f]][ok], d$post[ok], paired = TRUE)
  dz <- mean(d[[f]][ok] - d$post[ok]) / sd(d[[f]][ok] - d$post[ok])
  cat("versus post", f, "\n")
  out(sum(ok), mean(d$post[ok]), mean(d[[f]][ok]), t$estimate, t$conf.int, t$statistic,
      t$parameter, t$p.value, dz)
  p <- c(p, t$p.value)
}
cat("holm\n")
out(p.adjust(p, "holm"))
