/// The seasonal shape of a count series within its year: the share of the yearly count each
/// subperiod (month) carries, and the overdispersion of the subperiod counts.
///
/// Estimated from complete past years (rows of `periods` counts each), as in a Poisson
/// log-linear model `log μ_{y,m} = a_y + s_m` (year and month effects), whose fitted month shares
/// are the column totals `C_m/C`:
/// * shares `π_m = (C_m + ½)/(C + periods/2)` — the MLE with half a case added to every
///   subperiod, so a month that never had a case is not assumed impossible (all shares are > 0 and
///   sum to 1); no history (or no case in it) gives the even spread `1/periods`;
/// * dispersion `φ = max(1, X²/df)`, `X² = Σ (c − E)²/E` with `E_{y,m} = R_y C_m/C` over the years
///   and subperiods with a positive total, `df = (years − 1)(subperiods − 1)` among them; 1 when
///   `df = 0` (one year of history: not estimable).
public struct SeasonalProfile: Sendable, Hashable {
    /// `π_1 … π_P`, positive, summing to 1.
    public var shares: [Double]
    /// `φ ≥ 1`.
    public var dispersion: Double
    /// Whether `φ` was estimated (`df > 0`) rather than set to 1.
    public var dispersionEstimated: Bool
    /// Years of history used.
    public var years: Int

    /// The profile of `history` (each row one complete year of `periods` counts, ≥ 0); rows of
    /// another length are ignored. `periods ≥ 1`.
    public static func estimate(history: [[Int]], periods: Int) -> SeasonalProfile {
        let count = max(1, periods)
        let rows = history.filter { $0.count == count && $0.allSatisfy { $0 >= 0 } }
        var columnTotals = [Double](repeating: 0, count: count)
        var rowTotals: [Double] = []
        for row in rows {
            rowTotals.append(Double(row.reduce(0, +)))
            for (index, value) in row.enumerated() { columnTotals[index] += Double(value) }
        }
        let total = rowTotals.reduce(0, +)
        guard total > 0 else {
            return SeasonalProfile(shares: [Double](repeating: 1 / Double(count), count: count), dispersion: 1,
                                   dispersionEstimated: false, years: rows.count)
        }
        let shares = columnTotals.map { ($0 + 0.5) / (total + Double(count) / 2) }
        var pearson = 0.0
        for (row, rowTotal) in zip(rows, rowTotals) where rowTotal > 0 {
            for (index, value) in row.enumerated() where columnTotals[index] > 0 {
                let expected = rowTotal * columnTotals[index] / total
                let difference = Double(value) - expected
                pearson += difference * difference / expected
            }
        }
        let usedRows = rowTotals.filter { $0 > 0 }.count
        let usedColumns = columnTotals.filter { $0 > 0 }.count
        let df = (usedRows - 1) * (usedColumns - 1)
        let dispersion = df > 0 ? max(1, pearson / Double(df)) : 1
        return SeasonalProfile(shares: shares, dispersion: dispersion, dispersionEstimated: df > 0, years: rows.count)
    }
}

/// The predictive distribution of a year's remaining count, given the count so far, for the
/// year-to-date headroom of `binhyen ytd` (SPEC §7).
///
/// Model: the subperiod counts of the year are Poisson (quasi-Poisson with dispersion φ) with
/// means `λ·π_m`, where `π` is the ``SeasonalProfile`` and `λ` the year's level (expected yearly
/// count). The level is uncertain: a gamma posterior from Jeffreys' prior, `n0 = priorWeight`
/// years of pseudo-observation at the mean level of past years `λ̄`, and the count so far (`ytd`
/// over the elapsed share `Π = Σ_{elapsed} π_m`): shape `a = ytd + n0·λ̄ + ½`, rate `r = Π + n0`,
/// mean `L = a/r`, variance `φ·L/r` (without a past level `n0 = 0`). The ½ keeps a series that
/// never had a case from being predicted to stay at zero with certainty. The remaining count
/// `R` then has mean `m = L(1 − Π)` and variance `V = φm + (1 − Π)²·Var(λ)`; it is taken as the
/// negative binomial with that mean and variance (exact gamma–Poisson mixture when φ = 1,
/// moment-matched otherwise). Parameter uncertainty of the level is included; the seasonal
/// shares are taken as known.
public struct YearEndProjection: Sendable, Hashable {
    /// Count so far.
    public var yearToDate: Int
    /// `Π`, the share of the year already elapsed, in (0, 1].
    public var elapsedShare: Double
    /// Posterior mean of the yearly level `λ`.
    public var levelMean: Double
    /// Mean `m` of the remaining count.
    public var remainingMean: Double
    /// Variance `V` of the remaining count.
    public var remainingVariance: Double
    /// Dispersion φ used.
    public var dispersion: Double

    /// The projection; nil for a negative count, `Π` outside (0, 1], a non-positive `priorWeight`
    /// with a prior mean, a negative or non-finite prior mean, or `dispersion < 1`.
    public init?(yearToDate: Int, elapsedShare: Double, priorMean: Double?, priorWeight: Double = 0.5,
                 dispersion: Double = 1) {
        guard yearToDate >= 0, elapsedShare > 0, elapsedShare <= 1, dispersion >= 1, dispersion.isFinite else { return nil }
        var pseudoCount = 0.5
        var rate = elapsedShare
        if let priorMean {
            guard priorMean >= 0, priorMean.isFinite, priorWeight > 0, priorWeight.isFinite else { return nil }
            pseudoCount += priorWeight * priorMean
            rate += priorWeight
        }
        let level = (Double(yearToDate) + pseudoCount) / rate
        let remainingShare = max(0, 1 - elapsedShare)
        let mean = level * remainingShare
        self.yearToDate = yearToDate
        self.elapsedShare = elapsedShare
        self.levelMean = level
        self.remainingMean = mean
        self.remainingVariance = dispersion * mean + remainingShare * remainingShare * dispersion * level / rate
        self.dispersion = dispersion
    }

    /// The predictive distribution of the remaining count: NB with ``remainingMean`` and
    /// ``remainingVariance`` (size `m²/(V − m)`; `V > m` whenever months remain); nil when nothing remains.
    public var remaining: PredictiveCountDistribution? {
        guard remainingMean > 0, remainingVariance > remainingMean else { return nil }
        return .negativeBinomial(size: remainingMean * remainingMean / (remainingVariance - remainingMean), mean: remainingMean)
    }

    /// `P(R ≤ room)`: the probability that at most `room` more cases occur (0 for `room < 0`).
    public func probabilityRemainingAtMost(_ room: Int) -> Double {
        guard room >= 0 else { return 0 }
        guard let remaining else { return 1 }
        return remaining.cdf(room)
    }

    /// The `p` quantile of the remaining count (R's discrete rule); nil for `p` outside (0, 1);
    /// 0 when nothing remains.
    public func remainingQuantile(_ p: Double) -> Int? {
        guard p > 0, p < 1 else { return nil }
        guard case .negativeBinomial(let size, let mean) = remaining else { return 0 }
        return NegativeBinomialDistribution.quantile(p, size: size, mean: mean)
    }
}
