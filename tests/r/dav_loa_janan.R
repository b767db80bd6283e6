# Reference for tests/test_compare.py::test_session_d_av: d_av of the 52 matched
# participants of the Loa Janan sample (correct answers of 27, as evaltools pairs them).
m <- read.csv("tests/r/loa_janan_matched_counts.csv")
pre <- m$n_correct_pre / 27 * 100; post <- m$n_correct_post / 27 * 100
cat(sprintf("%.17g", mean(post - pre) / sqrt((sd(pre)^2 + sd(post)^2) / 2)), "\n")
