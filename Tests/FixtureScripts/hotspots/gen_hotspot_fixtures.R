#!/usr/bin/env Rscript
# Broader reference fixtures for the hotspot family (issue 5), from R spdep and base R.
#   Rscript Tests/FixtureScripts/hotspots/gen_hotspot_fixtures.R
# writes Tests/BinhYenStatsTests/Fixtures/reference/hotspots_r.json:
#   * gistar: random undirected graphs (seeded; some with islands) and Poisson counts or rates;
#     spdep::localG z-scores for Gi* with binary weights (include.self, style "B"), Gi* with
#     row-standardised weights (include.self, style "W") and Gi without self (style "B",
#     zero.policy = TRUE: islands give NaN, written as null);
#   * funnel: Spiegelhalter (2005) interpolated limits r_p - alpha over a wide range of expected
#     counts E (0.01 .. 20000) with qpois/ppois, and exact tail p-values for counts around E.
# Tolerance used by the Swift tests: rel 1e-10 / abs 1e-12 (closed forms; spdep and esda agree to
# 5e-15 on binary weights).
suppressPackageStartupMessages({ library(spdep); library(jsonlite) })
set.seed(20251128)

random_graph <- function(n, p, islands) {
  edges <- list()
  for (i in seq_len(n - 1)) for (j in (i + 1):n) {
    if (i %in% islands || j %in% islands) next
    if (runif(1) < p) edges[[length(edges) + 1]] <- c(i, j)
  }
  # Keep every non-island connected to at least one other location.
  for (i in setdiff(seq_len(n), islands)) {
    has <- any(vapply(edges, function(e) i %in% e, logical(1)))
    if (!has) {
      others <- setdiff(seq_len(n), c(i, islands))
      edges[[length(edges) + 1]] <- sort(c(i, others[1 + floor(runif(1) * length(others))]))
    }
  }
  edges
}

as_nb <- function(n, edges) {
  nb <- vector("list", n)
  for (i in seq_len(n)) nb[[i]] <- integer(0)
  for (e in edges) { nb[[e[1]]] <- c(nb[[e[1]]], e[2]); nb[[e[2]]] <- c(nb[[e[2]]], e[1]) }
  nb <- lapply(nb, function(v) if (length(v) == 0) 0L else as.integer(sort(unique(v))))
  class(nb) <- "nb"
  attr(nb, "region.id") <- as.character(seq_len(n))
  nb
}

z_or_null <- function(z) lapply(as.numeric(z), function(v) if (is.finite(v)) v else NULL)

cases <- list()
specs <- list(
  list(n = 5, p = 0.5, islands = integer(0), kind = "count"),
  list(n = 8, p = 0.35, islands = c(8L), kind = "count"),
  list(n = 12, p = 0.25, islands = c(3L), kind = "rate"),
  list(n = 20, p = 0.15, islands = c(5L, 17L), kind = "count"),
  list(n = 30, p = 0.12, islands = integer(0), kind = "rate"),
  list(n = 40, p = 0.08, islands = c(40L), kind = "count")
)
for (k in seq_along(specs)) {
  s <- specs[[k]]
  edges <- random_graph(s$n, s$p, s$islands)
  counts <- rpois(s$n, runif(s$n, 0.5, 12))
  if (s$kind == "rate") {
    pop <- round(runif(s$n, 300, 3000))
    x <- 1000 * counts / pop
  } else x <- as.numeric(counts)
  nb <- as_nb(s$n, edges)
  nb_self <- include.self(nb)
  zb <- localG(x, nb2listw(nb_self, style = "B", zero.policy = TRUE), zero.policy = TRUE)
  zw <- localG(x, nb2listw(nb_self, style = "W", zero.policy = TRUE), zero.policy = TRUE)
  zg <- suppressWarnings(localG(x, nb2listw(nb, style = "B", zero.policy = TRUE), zero.policy = TRUE))
  cases[[k]] <- list(
    id = sprintf("graph_%02d_n%d", k, s$n), n = s$n, islands = I(s$islands - 1L),
    edges = lapply(edges, function(e) e - 1L), x = x,
    gistar_binary = z_or_null(zb), gistar_row = z_or_null(zw), gi_binary = z_or_null(zg)
  )
}

interpolated <- function(p, E) {
  r <- qpois(p, E)
  Fr <- ppois(r, E); Fr1 <- if (r > 0) ppois(r - 1, E) else 0
  r - (Fr - p) / (Fr - Fr1)
}
funnel <- list()
for (E in c(0.01, 0.1, 0.3, 0.5, 1, 1.7, 2.5, 4, 5, 7.3, 10, 15, 25, 50, 100, 250, 500, 1000, 5000, 20000)) {
  counts <- unique(pmax(0, round(c(0, E - 3 * sqrt(E), E - sqrt(E), E, E + sqrt(E), E + 2 * sqrt(E), E + 4 * sqrt(E)))))
  funnel[[length(funnel) + 1]] <- list(
    expected = E,
    quantiles = sapply(c(0.001, 0.025, 0.975, 0.999), function(p) qpois(p, E)),
    limits_raw = sapply(c(0.001, 0.025, 0.975, 0.999), function(p) interpolated(p, E)),
    counts = I(counts),
    p_upper = I(ppois(counts - 1, E, lower.tail = FALSE)),
    p_lower = I(ppois(counts, E))
  )
}

out <- list(
  generator = "Tests/FixtureScripts/hotspots/gen_hotspot_fixtures.R",
  versions = list(R = paste(R.version$major, R.version$minor, sep = "."), spdep = as.character(packageVersion("spdep"))),
  tolerance = list(rel = 1e-10, abs = 1e-12),
  gistar = cases, funnel = funnel
)
path <- file.path("Tests", "BinhYenStatsTests", "Fixtures", "reference", "hotspots_r.json")
writeLines(toJSON(out, auto_unbox = TRUE, digits = NA, null = "null", pretty = FALSE), path)
cat("wrote", path, "\n")
