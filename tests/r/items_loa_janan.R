# Reference values for tests/stats/test_items.py: psych::alpha on the 0/1 marks of the
# Loa Janan sample pre-test (tests/r/loa_janan_pre_marks.csv, written by
# evaltools.score.mark from data/sample/loa-janan-2024-11-22, pre wave).
# Run: Rscript tests/r/items_loa_janan.R
suppressMessages(library(psych))
X <- read.csv("tests/r/loa_janan_pre_marks.csv")
a <- suppressWarnings(alpha(X, check.keys = FALSE, warnings = FALSE))
p <- function(x) cat(sprintf("%.17g", x), "\n")
p(a$total$raw_alpha)
p(a$feldt$lower.ci); p(a$feldt$upper.ci)
p(a$item.stats$r.drop)
p(a$alpha.drop$raw_alpha)
