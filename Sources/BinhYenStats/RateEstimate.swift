/// A rate per 1,000 residents with the exact Poisson (Garwood 1936) confidence interval
/// (SPEC §6 "rate": `rate_per_1000`, `rate_lo`, `rate_hi`; METHODS §3).
///
/// With `y` events among `P` residents and `α = 1 − confidence`:
/// `rate = 1000·y/P`, lower `= qgamma(α/2, y)/(P/1000)` (0 when `y = 0`),
/// upper `= qgamma(1 − α/2, y + 1)/(P/1000)` — identical to R `poisson.test(y, T = P/1000)$conf.int`
/// and to the chi-squared form `qchisq(α/2, 2y)/2`, `qchisq(1 − α/2, 2y + 2)/2`.
/// Tiny populations give very wide intervals; that is the honest answer.
///
/// Undefined results are `nil` with a ``reason`` (never NaN): a population that is not a positive
/// finite number, a negative count, or a confidence level outside (0, 1).
/// Cost: two gamma quantiles (a few dozen incomplete-gamma evaluations); no allocation.
public struct RateEstimate: Sendable, Hashable {
    /// Number of events `y` as given.
    public var count: Int
    /// Population (or person-time) `P` as given, in residents.
    public var population: Double
    /// Confidence level of the interval as given.
    public var confidence: Double
    /// Rate per 1,000 residents, `1000·y/P`; `nil` when ``reason`` is set.
    public var ratePer1000: Double?
    /// Lower end of the exact interval, per 1,000 residents (0 when `y = 0`); `nil` when ``reason`` is set.
    public var lower: Double?
    /// Upper end of the exact interval, per 1,000 residents; `nil` when ``reason`` is set.
    public var upper: Double?
    /// Why the rate is undefined; `nil` when all values are present.
    public var reason: Reason?

    /// Why a rate cannot be computed.
    public enum Reason: Sendable, Hashable {
        /// The population is zero, negative or not finite (a rate per resident is undefined).
        case populationNotPositive
        /// The count is negative.
        case negativeCount
        /// The confidence level is not strictly between 0 and 1.
        case invalidConfidence
    }

    /// Rate of `count` events among `population` residents with a `confidence` (default 95%) exact interval.
    public init(count: Int, population: Double, confidence: Double = 0.95) {
        self.count = count
        self.population = population
        self.confidence = confidence
        if !(population > 0 && population.isFinite) {
            reason = .populationNotPositive
        } else if count < 0 {
            reason = .negativeCount
        } else if !(confidence > 0 && confidence < 1) {
            reason = .invalidConfidence
        }
        guard reason == nil else { return }
        let thousands = population / 1000
        let halfAlpha = (1 - confidence) / 2
        let events = Double(count)
        ratePer1000 = events / thousands
        lower = count == 0 ? 0 : GammaDistribution.quantile(halfAlpha, shape: events) / thousands
        upper = GammaDistribution.quantile(halfAlpha, shape: events + 1, upperTail: true) / thousands
    }
}
