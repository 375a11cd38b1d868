# Generates the R surveillance reference fixtures of `binhyen alerts` beyond the public golden
# cases: weekly data, the NB plug-in and muan thresholds, a population offset, no trend / no
# reweighting / other power transformations, seasonal factor levels (noPeriods), other limit54,
# and the algo.cusum transformations and GLM baseline.
#
#   Rscript Tests/FixtureScripts/alerts/gen_surveillance_fixtures.R [output-dir]
#
# Default output: Tests/BinhYenCLITests/Fixtures/reference/surveillance_alerts.json (run from the
# package root). Needs R >= 4.2 with jsonlite and surveillance (Debian: r-cran-jsonlite,
# r-cran-surveillance; run with surveillance 1.20.3). Deterministic (set.seed).
#
# Each case holds the input series (counts, optional population constant within each year, the
# first year; freq 12 or 52 starting at period 1), the R call, the `binhyen alerts` arguments
# that should reproduce it, the monitored 1-based indices and surveillance's outputs per index.
suppressPackageStartupMessages({
  library(jsonlite)
  library(surveillance)
})

args <- commandArgs(trailingOnly = TRUE)
out_dir <- if (length(args) >= 1) args[[1]] else "Tests/BinhYenCLITests/Fixtures/reference"
dir.create(out_dir, showWarnings = FALSE, recursive = TRUE)

# Every finite double with 17 significant digits (round trip); NA/NaN as null.
as_json17 <- function(x) {
  if (is.list(x)) return(lapply(x, as_json17))
  if (is.logical(x) && length(x) > 1) return(lapply(unname(as.list(x)), as_json17))
  if (is.numeric(x) && length(x) == 1 && !is.integer(x)) {
    if (!is.finite(x)) return(NA)
    return(structure(sprintf("%.17g", x), class = "json"))
  }
  if (is.numeric(x) && length(x) > 1) return(lapply(unname(as.list(x)), as_json17))
  x
}

set.seed(20261128)

# Monthly: 9 years, yearly seasonality, a mild upward trend, two injected outbreaks, small counts.
monthly_n <- 9 * 12
t_m <- seq_len(monthly_n)
mu_m <- exp(log(3) + 0.004 * t_m + 0.45 * sin(2 * pi * t_m / 12) + 0.2 * cos(2 * pi * t_m / 12))
monthly <- rnbinom(monthly_n, size = 8, mu = mu_m)
monthly[c(77, 101)] <- monthly[c(77, 101)] + c(9, 12)
# Residents per year (constant within the year), growing: for the population offset.
monthly_population <- rep(c(2150, 2210, 2260, 2330, 2390, 2400, 2480, 2550, 2610), each = 12)

# Weekly: 6 years of 52 weeks, smaller counts with seasonality and one outbreak.
weekly_n <- 6 * 52
t_w <- seq_len(weekly_n)
weekly <- rpois(weekly_n, exp(log(1.6) + 0.5 * sin(2 * pi * t_w / 52)))
weekly[c(250, 251, 252)] <- weekly[c(250, 251, 252)] + c(5, 7, 4)

flexible <- function(counts, freq, control, population = NULL) {
  s <- if (is.null(population)) sts(observed = counts, start = c(2017, 1), frequency = freq)
       else sts(observed = counts, start = c(2017, 1), frequency = freq, population = population)
  r <- farringtonFlexible(s, control = control)
  list(upperbound = as.numeric(upperbound(r)), alarm = as.logical(alarms(r)),
       expected = as.numeric(r@control$expected), score = as.numeric(r@control$score),
       pvalue = as.numeric(r@control$pvalue), mu0Vector = as.numeric(r@control$mu0Vector),
       phiVector = as.numeric(r@control$phiVector), trendVector = as.numeric(r@control$trendVector),
       trend = as.numeric(r@control$trend))
}

original <- function(counts, freq, control, population = NULL) {
  d <- create.disProg(week = seq_along(counts), observed = counts, state = rep(0, length(counts)),
                      start = c(2017, 1), freq = freq, populationFrac = population)
  r <- algo.farrington(d, control = control)
  list(upperbound = as.numeric(r$upperbound), alarm = as.logical(r$alarm), trend_used = as.logical(r$trend),
       pd_q = as.numeric(r$control$pd[, 1]), pd_median = as.numeric(r$control$pd[, 2]))
}

cusum <- function(counts, freq, control) {
  d <- create.disProg(week = seq_along(counts), observed = counts, state = rep(0, length(counts)),
                      start = c(2017, 1), freq = freq)
  r <- algo.cusum(d, control = control)
  list(cusum = as.numeric(r$cusum), upperbound = as.numeric(r$upperbound), alarm = as.logical(r$alarm),
       m = as.numeric(r$control$m))
}

deparse1c <- function(x) paste(deparse(x, width.cutoff = 500L), collapse = " ")

cases <- list()
add_case <- function(id, algorithm, series, freq, population, control, cli, outputs, note) {
  range <- control$range
  cases[[length(cases) + 1]] <<- list(
    id = id, algorithm = algorithm, freq = freq, start_year = 2017L, counts = as.integer(series),
    population = if (is.null(population)) NULL else as.integer(population),
    range = as.integer(c(min(range), max(range))),
    call = paste0(algorithm, "(…, control = ", deparse1c(control), ")"),
    cli = cli, note = note, outputs = outputs)
}

# 1. farringtonFlexible, weekly (freq 52), b = 3, w = 3, default range 160..312.
ctl <- list(range = 160:weekly_n, b = 3, w = 3, alpha = 0.05)
add_case("flexible_weekly", "farringtonFlexible", weekly, 52, NULL, ctl,
         c("--method", "farrington-flexible", "--b", "3", "--w", "3"), flexible(weekly, 52, ctl),
         "weekly series given with a week column; freq 52")

# 2. algo.farrington, weekly, b = 3, w = 3.
ctl <- list(range = 160:weekly_n, b = 3, w = 3, alpha = 0.05, reweight = TRUE, trend = TRUE, powertrans = "2/3")
add_case("farrington_weekly", "algo.farrington", weekly, 52, NULL, ctl,
         c("--method", "farrington", "--b", "3", "--w", "3"), original(weekly, 52, ctl), "weekly, algo.farrington")

# 3. farringtonFlexible with the NB plug-in threshold (b = 5, w = 3 defaults) and limit54 = c(3, 2).
ctl <- list(range = 64:monthly_n, b = 5, w = 3, thresholdMethod = "nbPlugin", limit54 = c(3, 2))
add_case("flexible_nbplugin", "farringtonFlexible", monthly, 12, NULL, ctl,
         c("--method", "farrington-flexible", "--threshold", "nbplugin", "--limit54", "3,2"),
         flexible(monthly, 12, ctl), "NB plug-in quantile threshold; limit54 = c(3, 2)")

# 4. farringtonFlexible with the muan threshold.
ctl <- list(range = 64:monthly_n, b = 5, w = 3, thresholdMethod = "muan")
add_case("flexible_muan", "farringtonFlexible", monthly, 12, NULL, ctl,
         c("--method", "farrington-flexible", "--threshold", "muan"), flexible(monthly, 12, ctl),
         "muan threshold (NB quantile at the upper bound of the mean)")

# 5. farringtonFlexible with a population offset.
ctl <- list(range = 64:monthly_n, b = 5, w = 3, populationOffset = TRUE)
add_case("flexible_population_offset", "farringtonFlexible", monthly, 12, monthly_population, ctl,
         c("--method", "farrington-flexible", "--population-offset"),
         flexible(monthly, 12, ctl, matrix(monthly_population, ncol = 1)), "offset(log(population)), population constant within each year")

# 6. algo.farrington with a population offset (fitFun algo.farrington.fitGLM.populationOffset).
ctl <- list(range = 64:monthly_n, b = 5, w = 3, fitFun = "algo.farrington.fitGLM.populationOffset")
add_case("farrington_population_offset", "algo.farrington", monthly, 12, monthly_population, ctl,
         c("--method", "farrington", "--population-offset"), original(monthly, 12, ctl, monthly_population),
         "algo.farrington with populationFrac and the population-offset fit")

# 7. farringtonFlexible without trend and reweighting, square-root transformation, b = 4, w = 2.
ctl <- list(range = 51:monthly_n, b = 4, w = 2, trend = FALSE, reweight = FALSE, powertrans = "1/2")
add_case("flexible_no_trend", "farringtonFlexible", monthly, 12, NULL, ctl,
         c("--method", "farrington-flexible", "--b", "4", "--w", "2", "--no-trend", "--no-reweight", "--powertrans", "1/2"),
         flexible(monthly, 12, ctl), "no trend, no reweighting, powertrans 1/2")

# 8. algo.farrington without trend, no transformation, alpha = 0.01.
ctl <- list(range = 51:monthly_n, b = 4, w = 2, trend = FALSE, powertrans = "none", alpha = 0.01)
add_case("farrington_no_trend", "algo.farrington", monthly, 12, NULL, ctl,
         c("--method", "farrington", "--b", "4", "--w", "2", "--no-trend", "--powertrans", "none", "--alpha", "0.01"),
         original(monthly, 12, ctl), "no trend, powertrans none, alpha 0.01")

# 9. farringtonFlexible with a seasonal factor of 3 levels, one past period excluded, weightsThreshold 1.
ctl <- list(range = 40:monthly_n, b = 3, w = 2, noPeriods = 3, pastWeeksNotIncluded = 1, weightsThreshold = 1)
add_case("flexible_noperiods", "farringtonFlexible", monthly, 12, NULL, ctl,
         c("--method", "farrington-flexible", "--b", "3", "--w", "2", "--periods", "3", "--past-excluded", "1",
           "--weights-threshold", "1"),
         flexible(monthly, 12, ctl), "noPeriods = 3 (seasgroups factor), pastWeeksNotIncluded = 1")

# 10–13. algo.cusum: transformations and the GLM baseline on the last two years.
for (trans in c("rossi", "anscombe", "anscombe2nd")) {
  ctl <- list(range = 85:monthly_n, trans = trans, k = 1.04, h = 2.26)
  add_case(paste0("cusum_", trans), "algo.cusum", monthly, 12, NULL, ctl,
           c("--method", "cusum", "--trans", trans), cusum(monthly, 12, ctl), paste("algo.cusum trans =", trans))
}
ctl <- list(range = 85:monthly_n, m = "glm", trans = "standard", k = 0.5, h = 4)
add_case("cusum_glm", "algo.cusum", monthly, 12, NULL, ctl,
         c("--method", "cusum", "--m", "glm", "--k", "0.5", "--h", "4"), cusum(monthly, 12, ctl),
         "algo.cusum with the seasonal Poisson GLM baseline, k = 0.5, h = 4")

fixture <- list(
  description = "R surveillance reference outputs for binhyen alerts (beyond the public golden cases)",
  versions = list(R = R.version.string, surveillance = as.character(packageVersion("surveillance")),
                  jsonlite = as.character(packageVersion("jsonlite"))),
  generator = "Tests/FixtureScripts/alerts/gen_surveillance_fixtures.R",
  tolerance = list(rel = 1e-8, abs = 1e-10,
                   note = "BinhYen emulates glm.fit; alarms, trend flags and integer (NB/Poisson quantile, CUSUM standard) bounds exactly"),
  cases = cases)
path <- file.path(out_dir, "surveillance_alerts.json")
write_json(as_json17(fixture), path, auto_unbox = TRUE, json_verbatim = TRUE, null = "null", na = "null",
           pretty = FALSE, digits = NA)
cat("wrote", path, "\n")
