# Reference values for tests/stats/test_ancova.py (Rscript tests/r/ancova_sample.R; R 4.2, car, emmeans).
# ancova_sample.csv: the matched participants of the three sample sessions (data/sample), their
# session, its sesi.yaml format and percent correct pre and post, as
# evaltools.sessions_compare.session_scores gives them (the test checks the file is current).
# Part 2 writes anorexia.csv from MASS::anorexia (public data: weight before/after, 3 treatments).
suppressMessages({library(car); library(emmeans)})
show <- function(label, x) cat(label, sprintf("%.17g", x), "\n")
one <- function(d, pre, post, group) {
  d$pre <- d[[pre]]; d$post <- d[[post]]; d$group <- factor(d[[group]]); d$gain <- d$post - d$pre
  m <- lm(post ~ pre + group, data = d)
  a <- car::Anova(m, type = 2)
  show("anova SS (pre, group, residuals):", a$`Sum Sq`)
  show("anova Df:", a$Df)
  show("anova F:", a$`F value`[1:2])
  show("anova p:", a$`Pr(>F)`[1:2])
  show("partial eta2:", a$`Sum Sq`[1:2] / (a$`Sum Sq`[1:2] + a$`Sum Sq`[3]))
  e <- summary(emmeans::emmeans(m, "group"))
  show("emmean:", e$emmean); show("emmean SE:", e$SE); show("emmean df:", e$df)
  show("emmean lower.CL:", e$lower.CL); show("emmean upper.CL:", e$upper.CL)
  pr <- summary(pairs(emmeans::emmeans(m, "group"), adjust = "holm"))
  cat("pairs:", as.character(pr$contrast), sep = " | "); cat("\n")
  show("pairs estimate:", pr$estimate); show("pairs SE:", pr$SE)
  show("pairs t:", pr$t.ratio); show("pairs p holm:", pr$p.value)
  show("pairs p unadjusted:", summary(pairs(emmeans::emmeans(m, "group"), adjust = "none"))$p.value)
  s <- anova(m, lm(post ~ pre * group, data = d))
  show("slopes F, p:", c(s$F[2], s$`Pr(>F)`[2]))
  l <- car::leveneTest(residuals(m) ~ d$group)  # center = median, car's default
  show("levene F, p:", c(l$`F value`[1], l$`Pr(>F)`[1]))
  w <- shapiro.test(residuals(m))
  show("shapiro W, p:", c(w$statistic, w$p.value))
  if (nlevels(d$group) == 2) {
    lv <- levels(d$group)
    t <- t.test(d$gain[d$group == lv[1]], d$gain[d$group == lv[2]])
    show("welch t, df, p, lo, hi:", c(t$statistic, t$parameter, t$p.value, t$conf.int))
  } else {
    o <- oneway.test(gain ~ group, data = d)
    show("welch anova F, df1, df2, p:", c(o$statistic, o$parameter, o$p.value))
  }
}
d <- read.csv("tests/r/ancova_sample.csv")
cat("== sample by format\n"); one(d, "pct_pre", "pct_post", "format")
cat("== sample by session\n"); one(d, "pct_pre", "pct_post", "session")
data(anorexia, package = "MASS")
write.csv(anorexia, "tests/r/anorexia.csv", row.names = FALSE)
cat("== MASS anorexia\n"); one(anorexia, "Prewt", "Postwt", "Treat")
cat("== shapiro.test, small n\n")
for (x in list(c(1, 2, 4), c(1, 2, 4, 8, 9), c(2.1, 3.4, 1.9, 5.6, 4.4, 3.3, 2.8),
               c(2.1, 3.4, 1.9, 5.6, 4.4, 3.3, 2.8, 6.1, 3.9, 4.0, 2.2, 3.1))) {
  s <- shapiro.test(x); show("W, p:", c(s$statistic, s$p.value))
}
