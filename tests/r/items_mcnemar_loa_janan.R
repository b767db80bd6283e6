# Reference values for tests/stats/test_items.py::test_per_item_change_loa_janan.
# b (right -> wrong) and c (wrong -> right) per scored item for the 52 matched
# participants of data/sample/loa-janan-2024-11-22 (the test recounts them from
# the marks); McNemar as statistics.md says, then BH across the 27 items.
b <- c(6, 8, 6, 9, 2, 3, 11, 3, 10, 9, 3, 1, 7, 4, 1, 8, 3, 5, 7, 3, 9, 13, 5, 3, 12, 3, 3)
c <- c(22, 7, 11, 12, 12, 9, 9, 17, 14, 15, 11, 22, 14, 14, 13, 15, 16, 19, 12, 6, 9, 14, 13, 20, 12, 17, 23)
p <- mapply(function(b, c) if (b + c < 25) binom.test(c, b + c)$p.value
            else mcnemar.test(matrix(c(0, c, b, 0), 2))$p.value, b, c)
cat(sprintf("%.17g", p), "\n")
cat(sprintf("%.17g", p.adjust(p, "BH")), "\n")
