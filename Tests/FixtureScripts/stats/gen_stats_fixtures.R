# Generates the R reference fixtures of BinhYenStats.
#
#   Rscript Tests/FixtureScripts/stats/gen_stats_fixtures.R [output-dir]
#
# Default output: Tests/BinhYenStatsTests/Fixtures/reference/ (run from the package root).
# Needs R >= 4.2 with jsonlite and epitools (Debian: r-base-core r-cran-jsonlite r-cran-epitools).
# Every file records the R version, the generating calls and the tolerance the Swift tests use.
suppressPackageStartupMessages({
  library(jsonlite)
  library(epitools)
})

args <- commandArgs(trailingOnly = TRUE)
out_dir <- if (length(args) >= 1) args[[1]] else "Tests/BinhYenStatsTests/Fixtures/reference"
dir.create(out_dir, showWarnings = FALSE, recursive = TRUE)

versions <- list(R = R.version.string, epitools = as.character(packageVersion("epitools")),
                 jsonlite = as.character(packageVersion("jsonlite")))

# NA/Inf are written as JSON null; an Inf upper end is also flagged explicitly.
finite_or_null <- function(x) if (is.finite(x)) x else NULL

# jsonlite prints at most 15 significant digits; write every finite double with 17 (round trip)
# as a verbatim JSON token instead.
as_json17 <- function(x) {
  if (is.list(x)) return(lapply(x, as_json17))
  if (is.numeric(x) && length(x) == 1 && is.finite(x)) return(structure(sprintf("%.17g", x), class = "json"))
  x
}

write_fixture <- function(name, content) {
  path <- file.path(out_dir, name)
  write_json(as_json17(content), path, auto_unbox = TRUE, json_verbatim = TRUE, null = "null", na = "null",
             pretty = FALSE)
  cat("wrote", path, "\n")
}

# Runs expr; returns list(value, warned) so that results R itself flags as imprecise are marked.
with_warning_flag <- function(expr) {
  warned <- FALSE
  value <- withCallingHandlers(expr, warning = function(w) {
    warned <<- TRUE
    invokeRestart("muffleWarning")
  })
  list(value = value, warned = warned)
}

# ---------------------------------------------------------------------------------------------
# 1. Binomial pmf and both tails, n up to 1e5, including extreme tails.
binomial_cases <- list()
ns <- c(1, 2, 3, 7, 10, 25, 50, 100, 500, 1000, 5000, 10000, 50000, 100000)
ps <- c(1e-4, 0.001, 0.01, 0.1, 0.25, 1 / 3, 0.5, 0.75, 0.9, 0.99, 0.999, pi / 10)
for (n in ns) {
  for (p in ps) {
    sd <- sqrt(n * p * (1 - p))
    ks <- c(0, 1, 2, n * p + c(-60, -40, -20, -10, -5, -3, -1, 0, 1, 3, 5, 10, 20, 40, 60) * sd, n - 2, n - 1, n)
    ks <- sort(unique(pmin(n, pmax(0, round(ks)))))
    for (k in ks) {
      binomial_cases[[length(binomial_cases) + 1]] <- list(
        k = k, n = n, p = p,
        pmf = dbinom(k, n, p),
        cdf = pbinom(k, n, p),
        survival = pbinom(k, n, p, lower.tail = FALSE))
    }
  }
}
write_fixture("binomial_r.json", list(
  source = "R dbinom(k, n, p), pbinom(k, n, p), pbinom(k, n, p, lower.tail = FALSE)",
  versions = versions,
  tolerance = list(rel = 5e-12, abs = 1e-305,
                   note = paste("pass if |got-expected| <= max(abs, rel*|expected|); abs covers results in the subnormal",
                                "range. rel is 5e-12, not 1e-13, because R 4.2's bd0 loses up to ~2.3e-12 for k near n",
                                "with large n (e.g. dbinom(99999, 1e5, 0.999); fixed by ebd0 in R 4.4); the",
                                "high-precision mpmath fixture binomial_mpmath.json checks the same functions at 1e-13")),
  cases = binomial_cases))

# ---------------------------------------------------------------------------------------------
# 2. Incomplete beta (both tails) and beta quantiles over wide shape parameters.
shapes <- c(0.05, 0.2, 0.5, 1, 2.5, 7, 30, 150.5, 1000, 20000, 1e5)
xs <- c(1e-10, 1e-3, 0.1, 0.5, 0.9, 0.999)
beta_cdf_cases <- list()
for (a in shapes) for (b in shapes) for (x in xs) {
  beta_cdf_cases[[length(beta_cdf_cases) + 1]] <- list(
    x = x, a = a, b = b, lower = pbeta(x, a, b), upper = pbeta(x, a, b, lower.tail = FALSE))
}
write_fixture("beta_cdf_r.json", list(
  source = "R pbeta(x, a, b) and pbeta(x, a, b, lower.tail = FALSE) (TOMS 708)",
  versions = versions,
  tolerance = list(rel = 1e-12, abs = 1e-305, note = "pass if |got-expected| <= max(abs, rel*|expected|)"),
  cases = beta_cdf_cases))

probabilities <- c(1e-200, 1e-50, 1e-12, 1e-6, 0.001, 0.025, 0.3, 0.5, 0.8, 0.975)
upper_probabilities <- c(1e-50, 1e-12, 0.001, 0.025)
qbeta_cases <- list()
for (a in shapes) for (b in shapes) {
  add_case <- function(prob, upper) {
    r <- with_warning_flag(qbeta(prob, a, b, lower.tail = !upper))
    qbeta_cases[[length(qbeta_cases) + 1]] <<- list(
      p = prob, a = a, b = b, upper_tail = upper, quantile = r$value, r_warning = r$warned)
  }
  for (prob in probabilities) add_case(prob, FALSE)
  for (prob in upper_probabilities) add_case(prob, TRUE)
}
write_fixture("qbeta_r.json", list(
  source = "R qbeta(p, a, b, lower.tail = !upper_tail); r_warning = R signalled a precision warning (those cases are checked against SciPy instead)",
  versions = versions,
  tolerance = list(rel = 1e-12, abs = 1e-305,
                   note = "quantile: pass if |got-expected| <= max(abs, rel*|expected|); cases with r_warning are skipped"),
  cases = qbeta_cases))

# ---------------------------------------------------------------------------------------------
# 3. poisson.test for a grid of (previous, current) pairs, with exposures, plus mid-p quantities.
midp_root <- function(b, n, target, upper_equation) {
  # Equation in p, solved on the log-odds scale u (p = plogis(u)) to full precision.
  # upper_equation: P(X > b) + P(X = b)/2 = target (lower CI end, median);
  # otherwise        P(X < b) + P(X = b)/2 = target (upper CI end).
  f <- function(u) {
    p <- plogis(u)
    half <- dbinom(b, n, p) / 2
    if (upper_equation) pbinom(b, n, p, lower.tail = FALSE) + half - target
    else pbinom(b, n, p) - half - target
  }
  uniroot(f, c(-60, 60), tol = 1e-15, maxiter = 10000)$root
}

# Mid-p interval and median-unbiased estimate for p = P(event in current period), as log-odds.
# Solved in the orientation where b <= n/2 (p small), so that plogis keeps relative precision,
# and mirrored back (X' = n - X ~ Bin(n, 1 - p)).
midp_log_odds <- function(b, n, alpha_half) {
  if (2 * b > n) {
    mirrored <- midp_log_odds(n - b, n, alpha_half)
    return(list(lower = -mirrored$upper, upper = -mirrored$lower, median = -mirrored$median))
  }
  lower <- if (b == 0) -Inf else midp_root(b, n, alpha_half, TRUE)
  # b = 0: (1 - p)^n / 2 = alpha_half in closed form; log-odds = log(-expm1(l)) - l, l = log(1 - p).
  log_q <- log(2 * alpha_half) / n
  upper <- if (b == 0) log(-expm1(log_q)) - log_q else midp_root(b, n, alpha_half, FALSE)
  median <- if (b == 0) -Inf else if (b == n) Inf else midp_root(b, n, 0.5, TRUE)
  list(lower = lower, upper = upper, median = median)
}

two_count_case <- function(prev, curr, t_prev, t_curr, conf = 0.95, with_epitools = FALSE) {
  n <- prev + curr
  test <- poisson.test(c(curr, prev), c(t_curr, t_prev), conf.level = conf)
  less <- poisson.test(c(curr, prev), c(t_curr, t_prev), alternative = "less")$p.value
  greater <- poisson.test(c(curr, prev), c(t_curr, t_prev), alternative = "greater")$p.value
  p0 <- t_curr / (t_curr + t_prev)
  alpha_half <- (1 - conf) / 2
  ratio <- function(log_odds) finite_or_null(exp(log_odds) * t_prev / t_curr)
  row <- list(
    prev = prev, curr = curr, exposure_prev = t_prev, exposure_curr = t_curr, conf_level = conf,
    p0 = p0,
    p_exact_two_sided = test$p.value, p_exact_less = less, p_exact_greater = greater,
    rate_ratio = if (prev > 0) unname(test$estimate) else NULL,
    rr_ci_exact = list(test$conf.int[1], finite_or_null(test$conf.int[2])),
    rr_ci_exact_upper_is_infinite = !is.finite(test$conf.int[2]))
  if (n > 0) {
    d <- dbinom(curr, n, p0)
    lower_tail <- pbinom(curr, n, p0) - d / 2
    upper_tail <- pbinom(curr, n, p0, lower.tail = FALSE) + d / 2
    row$p_midp_lower_tail <- lower_tail
    row$p_midp_upper_tail <- upper_tail
    row$p_midp_two_sided <- min(1, 2 * min(lower_tail, upper_tail))
    mid <- midp_log_odds(curr, n, alpha_half)
    row$rr_ci_midp <- list(if (curr == 0) 0 else ratio(mid$lower), ratio(mid$upper))
    row$rr_median_unbiased <- if (curr == 0) 0 else ratio(mid$median)
    if (prev > 0 && curr > 0) {
      se <- sqrt(1 / prev + 1 / curr)
      z <- qnorm(1 - alpha_half)
      rr <- unname(test$estimate)
      row$rr_ci_wald_log <- list(exp(log(rr) - z * se), exp(log(rr) + z * se))
    }
    if (with_epitools && prev > 0) {
      e <- rateratio.midp(c(prev, curr, t_prev, t_curr), conf.level = conf)$measure[2, ]
      row$epitools_rateratio_midp <- list(estimate = finite_or_null(e[["estimate"]]),
                                          lower = finite_or_null(e[["lower"]]), upper = finite_or_null(e[["upper"]]))
    }
  }
  row
}

pairs <- expand.grid(prev = 0:25, curr = 0:25)
fib <- c(0, 1, 2, 3, 5, 8, 13, 21, 34, 55, 89, 144, 200)
pairs <- unique(rbind(pairs, expand.grid(prev = fib, curr = fib)))
large <- data.frame(
  prev = c(10000, 10000, 10000, 9500, 1, 10000, 0, 10000, 20000, 50, 10000, 100000, 3, 12),
  curr = c(10000, 9500, 10300, 10000, 10000, 1, 10000, 0, 19000, 10000, 50, 95000, 9000, 10))
pairs <- rbind(pairs, large)
two_count_cases <- list()
for (i in seq_len(nrow(pairs))) {
  two_count_cases[[length(two_count_cases) + 1]] <- two_count_case(pairs$prev[i], pairs$curr[i], 1, 1)
}
exposure_pairs <- expand.grid(prev = c(0, 1, 2, 5, 13, 34, 89, 200), curr = c(0, 1, 2, 5, 13, 34, 89, 200))
exposures <- list(c(1000, 1100), c(2.5, 1), c(1, 3.7), c(12000.5, 11873.25))
for (e in exposures) for (i in seq_len(nrow(exposure_pairs))) {
  two_count_cases[[length(two_count_cases) + 1]] <-
    two_count_case(exposure_pairs$prev[i], exposure_pairs$curr[i], e[1], e[2])
}
for (conf in c(0.9, 0.99)) for (pr in list(c(20, 19), c(12, 5), c(0, 4), c(7, 0), c(150, 180))) {
  two_count_cases[[length(two_count_cases) + 1]] <- two_count_case(pr[1], pr[2], 1, 1, conf = conf)
}
for (pr in list(c(20, 19), c(12, 5), c(3, 0), c(0, 3), c(100, 95), c(40, 61))) {
  two_count_cases[[length(two_count_cases) + 1]] <- two_count_case(pr[1], pr[2], 1, 1, with_epitools = TRUE)
}
write_fixture("two_count_r.json", list(
  source = paste(
    "R poisson.test(c(curr, prev), c(T_curr, T_prev), conf.level) for p_exact_*, rate_ratio, rr_ci_exact;",
    "mid-p tails from pbinom/dbinom; rr_ci_midp and rr_median_unbiased from uniroot(tol = 1e-15) on the",
    "log-odds scale (mirrored to the small-p side); Wald on log RR with qnorm; epitools::rateratio.midp",
    "where present (its uniroot tolerance is ~1.2e-4)."),
  versions = versions,
  tolerance = list(rel = 1e-10, abs = 1e-13,
                   midp_rel = 1e-9,
                   epitools_rel = 2e-4,
                   note = paste("pass if |got-expected| <= max(abs, rel*|expected|); rr_ci_midp and",
                                "rr_median_unbiased use midp_rel; epitools_rateratio_midp uses epitools_rel")),
  cases = two_count_cases))

# ---------------------------------------------------------------------------------------------
# 4. Poisson CDF (both tails).
poisson_cases <- list()
for (lambda in c(1e-3, 0.1, 0.5, 1, 2.5, 7, 20, 100.5, 1000, 1e4, 1e5)) {
  sd <- sqrt(lambda)
  ks <- c(0, 1, 2, lambda + c(-40, -20, -10, -5, -2, 0, 2, 5, 10, 20, 40, 80) * sd)
  ks <- sort(unique(pmax(0, round(ks))))
  for (k in ks) {
    poisson_cases[[length(poisson_cases) + 1]] <- list(
      k = k, mean = lambda, pmf = dpois(k, lambda), cdf = ppois(k, lambda),
      survival = ppois(k, lambda, lower.tail = FALSE))
  }
}
write_fixture("poisson_r.json", list(
  source = "R dpois(k, mean), ppois(k, mean), ppois(k, mean, lower.tail = FALSE)",
  versions = versions,
  tolerance = list(rel = 1e-12, abs = 1e-305, note = "pass if |got-expected| <= max(abs, rel*|expected|)"),
  cases = poisson_cases))
