# Reference values for tests/stats/test_dif.py: Mantel-Haenszel DIF on the post-test of
# the matched participants of two sample sessions (tests/r/dif_sample_post.csv, written
# from data/sample by evaltools; the test checks the CSV against the sample data).
# Each group of >= 5 people (jenis_pegawai, kabupaten_kota) against the rest of those
# groups (two groups: one comparison, the smaller focal), matched on the rest score
# (total - item); mantelhaen.test with the reference group and "right" first;
# ETS delta = -2.35 log(alpha_MH), SE from R's (Robins-Breslow-Greenland) interval;
# BH across the items of each comparison.
# Run from the repository root: Rscript tests/r/dif_sample.R > tests/r/dif_sample_r.csv
d <- read.csv("tests/r/dif_sample_post.csv", colClasses = c(session = "character",
              jenis_pegawai = "character", kabupaten_kota = "character"))
items <- grep("^q", names(d), value = TRUE)
out <- NULL
for (s in unique(d$session)) for (by in c("jenis_pegawai", "kabupaten_kota")) {
  x <- d[d$session == s, ]
  n <- table(x[[by]])
  shown <- sort(names(n)[n >= 5 & names(n) != ""])
  if (length(shown) < 2) next
  x <- x[x[[by]] %in% shown, ]
  focals <- if (length(shown) == 2) names(sort(n[shown]))[1] else shown
  for (f in focals) {
    rows <- lapply(items, function(it) {
      g <- factor(ifelse(x[[by]] == f, "focal", "reference"), levels = c("reference", "focal"))
      y <- factor(x[[it]], levels = c(1, 0))
      rest <- x$total - x[[it]]
      keep <- rest %in% names(which(table(rest) >= 2))   # R refuses strata of one person
      m <- tryCatch(mantelhaen.test(table(g[keep], y[keep], rest[keep]), correct = TRUE),
                    error = function(e) NULL)
      if (is.null(m) || !is.finite(m$statistic))
        return(data.frame(chi2 = NA, p = NA, alpha_mh = NA, delta = NA, delta_se = NA))
      se <- (log(m$conf.int[2]) - log(m$estimate)) / qnorm(0.975)
      data.frame(chi2 = unname(m$statistic), p = m$p.value, alpha_mh = unname(m$estimate),
                 delta = -2.35 * log(unname(m$estimate)), delta_se = 2.35 * se)
    })
    r <- do.call(rbind, rows)
    r$p_bh <- p.adjust(r$p, "BH")
    out <- rbind(out, data.frame(session = s, by = by, focal = f, item = items, r))
  }
}
write.csv(out, stdout(), row.names = FALSE)
