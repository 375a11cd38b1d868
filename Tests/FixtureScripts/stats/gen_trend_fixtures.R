# Generates the R reference fixtures for trend analysis, rates and multiple testing.
#
#   python3 Tests/FixtureScripts/stats/gen_trend_fixtures.py [output-dir]   # first: writes the series
#   Rscript Tests/FixtureScripts/stats/gen_trend_fixtures.R  [output-dir]
#
# Default output: Tests/BinhYenStatsTests/Fixtures/reference/ (run from the package root).
# Needs R >= 4.2 with jsonlite. Deterministic (set.seed). Files:
#   trend_r.json          lm(y ~ year) and cor.test(kendall, exact) on the series of trend_python.json
#   distributions_r.json  pt/qt, pchisq/qchisq, pgamma/qgamma (both tails, extreme), qpois
#   rates_r.json          poisson.test(y, T = pop/1000)$conf.int (Garwood) on random counts/populations
#   p_adjust_r.json       p.adjust(p, "BH") on random vectors with NA and ties
suppressPackageStartupMessages(library(jsonlite))

args <- commandArgs(trailingOnly = TRUE)
out_dir <- if (length(args) >= 1) args[[1]] else "Tests/BinhYenStatsTests/Fixtures/reference"
versions <- list(R = R.version.string, jsonlite = as.character(packageVersion("jsonlite")))

# Finite doubles are written with 17 significant digits (round trip); NA/NaN/Inf as null.
as_json17 <- function(x) {
  if (is.list(x)) return(lapply(x, as_json17))
  if (is.numeric(x) && length(x) == 1 && !is.integer(x) && is.finite(x)) {
    return(structure(sprintf("%.17g", x), class = "json"))
  }
  if (is.numeric(x) && length(x) == 1 && !is.finite(x)) return(NULL)
  x
}

write_fixture <- function(name, content) {
  path <- file.path(out_dir, name)
  write_json(as_json17(c(list(versions = versions), content)), path, auto_unbox = TRUE, json_verbatim = TRUE,
             null = "null", na = "null", pretty = FALSE)
  cat("wrote", path, "\n")
}

quietly <- function(expr) suppressWarnings(expr)

# ---------------------------------------------------------------------------------------------
# 1. OLS and exact Kendall on the Python series.
series <- fromJSON(file.path(out_dir, "trend_python.json"), simplifyVector = FALSE)$cases
trend_cases <- lapply(series, function(case) {
  year <- unlist(case$years)
  y <- as.numeric(unlist(case$values))
  n <- length(y)
  fit <- lm(y ~ year)
  coefs <- summary(fit)$coefficients
  slope_row <- if ("year" %in% rownames(coefs)) coefs["year", ] else c(NA, NA, NA, NA)
  ci <- quietly(confint(fit, "year", level = 0.95))
  pred <- quietly(predict(fit, data.frame(year = max(year) + 1), interval = "prediction", level = 0.95))
  result <- list(
    years = year, values = y,
    slope = unname(coef(fit)[2]), intercept = unname(coef(fit)[1]),
    slope_se = unname(slope_row[2]), slope_t = unname(slope_row[3]), slope_p = unname(slope_row[4]),
    slope_ci95 = as.list(unname(ci[1, ])),
    r_squared = quietly(summary(fit)$r.squared), sigma = quietly(summary(fit)$sigma),
    df_residual = fit$df.residual, next_year = max(year) + 1L,
    pred_next = unname(pred[1, "fit"]), pi95_next = as.list(unname(pred[1, c("lwr", "upr")])),
    constant = length(unique(y)) == 1
  )
  if (n >= 3 && length(unique(y)) == n) {
    # Exact Kendall test (no ties): equals the Mann-Kendall exact permutation p.
    result$kendall_exact_p <- cor.test(seq_len(n), y, method = "kendall", exact = TRUE)$p.value
  }
  result
})
write_fixture("trend_r.json", list(
  source = "R lm(y ~ year): coef, summary()$coefficients, confint(level = 0.95), r.squared, sigma, predict(interval = 'prediction') at max(year)+1; cor.test(1:n, y, method = 'kendall', exact = TRUE) for series without ties",
  tolerance = list(rel = 1e-9, abs = 1e-9,
                   note = "OLS: lm intercept is at year 0 (far from the data). For constant series R's slope/se are rounding noise and t/p meaningless (BinhYen: slope 0, se 0, t/p null), so only the intercept and prediction are compared"),
  exact_tolerance = list(rel = 1e-12, abs = 1e-15,
                         note = "cor.test computes the upper tail as 1 - pkendall(q - 1), so its tiny p-values carry absolute errors of ~5e-16 (some even negative)"),
  cases = trend_cases))

# ---------------------------------------------------------------------------------------------
# 2. Continuous distributions, both tails, including the extreme tails; R's discrete quantile.
t_cases <- list()
for (df in c(0.7, 1, 2, 3, 5.5, 8, 13, 30, 120, 1e4)) {
  for (t in c(-1e50, -1e6, -200, -40, -8, -3, -1.5, -0.2, 0, 0.4, 1, 2.2, 5, 12, 60, 1e3, 1e8)) {
    t_cases[[length(t_cases) + 1]] <- list(t = t, df = df, lower = pt(t, df), upper = pt(t, df, lower.tail = FALSE))
  }
}
qt_cases <- list()
for (df in c(1, 2, 3, 5.5, 8, 13, 30, 120, 1e4)) {
  for (p in c(1e-250, 1e-100, 1e-30, 1e-12, 1e-6, 1e-3, 0.01, 0.025, 0.05, 0.2, 0.4)) {
    q <- qt(p, df)
    # R's qt is not always accurate in the far tails (e.g. qt(1e-250, 3): pt(q, 3) = 0.99999998e-250);
    # such cases are flagged and skipped by the tests (the mpmath fixture covers them).
    qt_cases[[length(qt_cases) + 1]] <- list(p = p, df = df, quantile = q, upper_quantile = qt(p, df, lower.tail = FALSE),
                                             r_inaccurate = abs(pt(q, df) / p - 1) > 1e-12)
  }
}
gamma_cases <- list()
qgamma_cases <- list()
for (shape in c(0.5, 1, 1.5, 3, 7, 20, 55.5, 200, 3000)) {
  for (x in unique(c(1e-200, 1e-20, 1e-5, 0.01, 0.3, 1, 2.5, 6, 15, 40, 100, 400, 2000, 5000,
                     pmax(1e-3, shape + c(-10, -3, -1, 0, 1, 3, 10, 30) * sqrt(shape))))) {
    gamma_cases[[length(gamma_cases) + 1]] <- list(
      x = x, shape = shape, lower = pgamma(x, shape), upper = pgamma(x, shape, lower.tail = FALSE),
      chisq_lower = pchisq(2 * x, 2 * shape), chisq_upper = pchisq(2 * x, 2 * shape, lower.tail = FALSE))
  }
  for (p in c(1e-250, 1e-60, 1e-15, 1e-6, 0.001, 0.025, 0.05, 0.3, 0.5)) {
    qgamma_cases[[length(qgamma_cases) + 1]] <- list(
      p = p, shape = shape, r_inaccurate = abs(pgamma(qgamma(p, shape), shape) / p - 1) > 1e-12, lower = qgamma(p, shape), upper = qgamma(p, shape, lower.tail = FALSE),
      chisq_lower = qchisq(p, 2 * shape), chisq_upper = qchisq(p, 2 * shape, lower.tail = FALSE))
  }
}
set.seed(4242)
qpois_cases <- list()
for (mean in c(0.001, 0.05, 0.4, 1, 2.5, 7.3, 19, 60, 250, 1000, 12345.6)) {
  for (p in sort(c(0.001, 0.025, 0.1, 0.5, 0.9, 0.975, 0.999, runif(4)))) {
    qpois_cases[[length(qpois_cases) + 1]] <- list(p = p, mean = mean, quantile = as.integer(qpois(p, mean)))
  }
}
write_fixture("distributions_r.json", list(
  source = "R pt, qt, pgamma, qgamma, pchisq, qchisq (both tails), qpois; r_inaccurate: R's own quantile misses p by more than 1e-12 relative (skipped)",
  tolerance = list(rel = 1e-12, abs = 1e-300,
                   note = "pass if |got-expected| <= max(abs, rel*|expected|); qpois exactly"),
  student_t = t_cases, student_t_quantiles = qt_cases, gamma = gamma_cases, gamma_quantiles = qgamma_cases,
  poisson_quantiles = qpois_cases))

# ---------------------------------------------------------------------------------------------
# 3. Garwood rates per 1,000 = poisson.test(y, T = pop/1000).
set.seed(1936)
rate_cases <- list()
counts <- c(0, 0, 1, 2, 3, 5, 8, 13, 40, 100, 1000, 25000, rpois(40, 6), rpois(20, 60))
for (i in seq_along(counts)) {
  y <- counts[[i]]
  population <- if (i %% 7 == 0) round(runif(1, 1, 30)) else round(exp(runif(1, log(50), log(2e5))))
  for (conf in c(0.9, 0.95, 0.99)) {
    ci <- poisson.test(y, T = population / 1000, conf.level = conf)$conf.int
    rate_cases[[length(rate_cases) + 1]] <- list(
      count = y, population = population, confidence = conf, rate_per_1000 = 1000 * y / population,
      lower = ci[1], upper = ci[2])
  }
}
write_fixture("rates_r.json", list(
  source = "R poisson.test(y, T = population/1000, conf.level = conf)$conf.int (Garwood 1936 exact interval)",
  tolerance = list(rel = 1e-12, abs = 1e-300, note = "pass if |got-expected| <= max(abs, rel*|expected|)"),
  cases = rate_cases))

# ---------------------------------------------------------------------------------------------
# 4. Benjamini-Hochberg (NA entries are excluded from m by R's default n = length(p) after NA removal).
set.seed(1995)
bh_cases <- list()
for (i in 1:40) {
  m <- sample(c(1, 2, 3, 5, 10, 25, 100), 1)
  p <- signif(runif(m)^3, if (i %% 3 == 0) 1 else 15)  # i %% 3 == 0: coarse values with ties
  if (i %% 4 == 0 && m > 2) p[sample(m, max(1, m %/% 4))] <- NA
  if (i %% 5 == 0) p[sample(m, 1)] <- 1
  if (i %% 6 == 0) p[sample(m, 1)] <- 0
  bh_cases[[length(bh_cases) + 1]] <- list(p = as.list(p), adjusted = as.list(p.adjust(p, "BH")))
}
write_fixture("p_adjust_r.json", list(
  source = "R p.adjust(p, method = 'BH'); NA in, NA (null) out",
  tolerance = list(rel = 1e-15, abs = 0, note = "R computes pmin(1, cummin(n/i * p[o]))[ro]; same arithmetic in Swift"),
  cases = bh_cases))
