#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Closed interval with an optional infinite upper end, for rate ratios (dimensionless).
public struct RatioInterval: Sendable, Hashable {
    /// Lower end (≥ 0).
    public var lower: Double
    /// Upper end; `nil` means +∞ (e.g. the exact interval when the previous count is 0).
    public var upper: Double?

    /// An interval `[lower, upper]`; pass `upper: nil` for `[lower, +∞)`.
    public init(lower: Double, upper: Double?) {
        self.lower = lower
        self.upper = upper
    }
}

/// Comparison of two Poisson counts — the previous period's `a` and the current period's `b`,
/// optionally with exposures (e.g. population) — as needed for the year-over-year "change"
/// family (SPEC §6, METHODS §1–2).
///
/// Model: `b ~ Poisson(λ_b·T_b)`, `a ~ Poisson(λ_a·T_a)` independent; rate ratio
/// `RR = λ_b/λ_a` (current over previous). Conditional on `n = a + b`,
/// `X = b ~ Binomial(n, p0)` with `p0 = T_b/(T_a + T_b)`.
///
/// Everything follows R 4.2.2 `poisson.test(c(b, a), c(T_b, T_a))` (= `binom.test`), the mid-p
/// definitions of epitools 0.5-10.1 (`rate2by2.test`, `rateratio.midp`) solved to full
/// precision, and the Wald interval on log RR. Reproduces every field of the golden case
/// `yoy_change_basic` (see `docs/guides/TwoCountComparison.md`).
///
/// Cost: O(log n) probability evaluations plus five root solves (two beta quantiles, three
/// mid-p equations), each a few dozen continued-fraction evaluations; no heap allocation.
public struct TwoCountComparison: Sendable, Hashable {
    /// Count of the previous period (`a`, ≥ 0).
    public var previous: Int
    /// Count of the current period (`b`, ≥ 0).
    public var current: Int
    /// Exposure of the previous period (`T_a` > 0; 1 for plain counts).
    public var exposurePrevious: Double
    /// Exposure of the current period (`T_b` > 0; 1 for plain counts).
    public var exposureCurrent: Double
    /// Confidence level of all intervals, in (0, 1).
    public var confidence: Double
    /// Null probability that an event falls in the current period, `T_b/(T_a + T_b)`.
    public var p0: Double
    /// Exact conditional two-sided p-value, R's rule: sum of the probabilities of all outcomes
    /// no more likely than the observed one (relative fuzz `1 + 1e-7`), capped at 1 — not
    /// doubling. 1 when `n = 0`.
    public var pExactTwoSided: Double
    /// Exact one-sided p-value for a decrease, `P(X ≤ b)`. 1 when `n = 0`.
    public var pExactLess: Double
    /// Exact one-sided p-value for an increase, `P(X ≥ b)`. 1 when `n = 0`.
    public var pExactGreater: Double
    /// Mid-p two-sided p-value, `min(1, 2·min(lower, upper))` (doubling; epitools
    /// `midp.exact`); `nil` when `n = 0`.
    public var pMidpTwoSided: Double?
    /// Mid-p lower tail `P(X < b) + ½P(X = b)` (one-sided for a decrease); `nil` when `n = 0`.
    public var pMidpLower: Double?
    /// Mid-p upper tail `P(X > b) + ½P(X = b)`; `nil` when `n = 0`.
    public var pMidpUpper: Double?
    /// Rate ratio `(b/T_b)/(a/T_a)`; `nil` when `a = 0` (0 when `b = 0 < a`).
    public var rateRatio: Double?
    /// Exact (Clopper–Pearson, transformed) interval for RR; lower 0 when `b = 0`, upper
    /// `nil` (+∞) when `a = 0` (including `n = 0`, as R's `[0, Inf]`).
    public var exactInterval: RatioInterval
    /// Mid-p interval for RR (epitools `rateratio.midp`, solved to ~1e-13 relative);
    /// lower 0 when `b = 0`, upper `nil` (+∞) when `a = 0`; `nil` when `n = 0` (and,
    /// defensively, if the root solver failed — never seen on the test grids).
    public var midpInterval: RatioInterval?
    /// Median-unbiased estimate of RR (mid-p equation at ½); 0 when `b = 0 < a`;
    /// `nil` when `n = 0` or `a = 0` (the estimate is +∞), and defensively if the solver failed.
    public var medianUnbiasedRatio: Double?
    /// Wald interval `exp(log RR ± z·√(1/a + 1/b))`; only when both counts are > 0.
    /// Poor for counts below ~5: prefer ``exactInterval`` there.
    public var waldInterval: RatioInterval?

    /// Why an input cannot be compared.
    public enum InputProblem: Error, Sendable, Hashable {
        /// A count is negative.
        case negativeCount
        /// An exposure is not a positive finite number.
        case invalidExposure
        /// The exposures are so unequal that `p0` rounds to 0 or 1.
        case extremeExposureRatio
        /// The confidence level is not strictly between 0 and 1.
        case invalidConfidence
        /// `previous + current` overflows `Int`.
        case countOverflow
    }

    /// Checks the preconditions of ``init(previous:current:exposurePrevious:exposureCurrent:confidence:)``;
    /// `nil` when the input is valid. Callers handling user data check this first.
    public static func inputProblem(
        previous: Int, current: Int, exposurePrevious: Double = 1, exposureCurrent: Double = 1, confidence: Double = 0.95
    ) -> InputProblem? {
        if previous < 0 || current < 0 { return .negativeCount }
        if previous.addingReportingOverflow(current).overflow { return .countOverflow }
        if !(exposurePrevious > 0 && exposurePrevious.isFinite && exposureCurrent > 0 && exposureCurrent.isFinite) {
            return .invalidExposure
        }
        let total = exposurePrevious + exposureCurrent
        if !total.isFinite || !(exposureCurrent / total > 0) || !(exposurePrevious / total > 0) {
            return .extremeExposureRatio
        }
        if !(confidence > 0 && confidence < 1) { return .invalidConfidence }
        return nil
    }

    /// Compares `previous` (a) and `current` (b).
    ///
    /// Precondition: ``inputProblem(previous:current:exposurePrevious:exposureCurrent:confidence:)``
    /// returns `nil` (counts ≥ 0, exposures positive and finite, `0 < confidence < 1`).
    public init(previous: Int, current: Int, exposurePrevious: Double = 1, exposureCurrent: Double = 1, confidence: Double = 0.95) {
        precondition(
            Self.inputProblem(previous: previous, current: current, exposurePrevious: exposurePrevious,
                              exposureCurrent: exposureCurrent, confidence: confidence) == nil,
            "TwoCountComparison: invalid input; check inputProblem(...) first"
        )
        self.previous = previous
        self.current = current
        self.exposurePrevious = exposurePrevious
        self.exposureCurrent = exposureCurrent
        self.confidence = confidence
        // Same operations as R: p = T[1]/(T[1] + T[2]) with T = c(T_curr, T_prev).
        let p0 = exposureCurrent / (exposureCurrent + exposurePrevious)
        let q0 = exposurePrevious / (exposureCurrent + exposurePrevious)
        self.p0 = p0
        let n = previous + current
        let b = current
        rateRatio = previous > 0 ? (Double(current) / exposureCurrent) / (Double(previous) / exposurePrevious) : nil

        let alphaHalf = (1 - confidence) / 2
        if n == 0 {
            pExactTwoSided = 1
            pExactLess = 1
            pExactGreater = 1
            pMidpTwoSided = nil
            pMidpLower = nil
            pMidpUpper = nil
            exactInterval = RatioInterval(lower: 0, upper: nil)
            midpInterval = nil
            medianUnbiasedRatio = nil
            waldInterval = nil
            return
        }

        // Exact conditional test.
        let observed = BinomialDistribution.rawProbability(successes: Double(b), failures: Double(n - b), p: p0, q: q0)
        let tails = BinomialDistribution.tails(b, trials: n, p: p0, q: q0)
        let atLeastObserved = tails.above + observed
        pExactLess = tails.atMost
        pExactGreater = min(1, atLeastObserved)
        pExactTwoSided = Self.exactTwoSided(
            observed: b, trials: n, p0: p0, q0: q0, observedProbability: observed,
            atMost: tails.atMost, atLeast: atLeastObserved
        )

        // Mid-p tests.
        let midLower = tails.atMost - 0.5 * observed
        let midUpper = tails.above + 0.5 * observed
        pMidpLower = midLower
        pMidpUpper = midUpper
        pMidpTwoSided = min(1, 2 * min(midLower, midUpper))

        // Exact Clopper–Pearson interval for p, as odds p/(1 − p) (both from the quantile pair,
        // so no precision is lost when p is near 1).
        let exactLowerOdds: Double? = b == 0 ? nil : {
            let pair = BetaDistribution.quantileAndComplement(
                lower: alphaHalf, upper: 1 - alphaHalf, a: Double(b), b: Double(n - b + 1))
            return pair.x / pair.y
        }()
        let exactUpperOdds: Double? = b == n ? nil : {
            let pair = BetaDistribution.quantileAndComplement(
                lower: 1 - alphaHalf, upper: alphaHalf, a: Double(b + 1), b: Double(n - b))
            return pair.x / pair.y
        }()
        exactInterval = RatioInterval(
            lower: exactLowerOdds.map { Self.ratio(odds: $0, exposurePrevious, exposureCurrent) } ?? 0,
            upper: exactUpperOdds.map { Self.ratio(odds: $0, exposurePrevious, exposureCurrent) }
        )

        // Mid-p interval and median-unbiased estimate, solved on the log-odds scale so that the
        // odds keep relative precision at both ends.
        switch (exactLowerOdds, exactUpperOdds) {
        case let (lowerOdds?, upperOdds?):
            // 0 < b < n. The mid-p roots lie strictly inside the exact interval; widen by one
            // unit of log-odds so rounding at the ends cannot break the bracket.
            let low = log(lowerOdds) - 1
            let high = log(upperOdds) + 1
            let midLowerEnd = Self.solveMidp(
                target: alphaHalf, upperTail: true, observed: b, trials: n, start: log(lowerOdds), low: low, high: high)
            let midUpperEnd = Self.solveMidp(
                target: alphaHalf, upperTail: false, observed: b, trials: n, start: log(upperOdds), low: low, high: high)
            // The median-unbiased estimate lies near the maximum-likelihood log-odds log(b/(n−b)).
            let median = Self.solveMidp(
                target: 0.5, upperTail: true, observed: b, trials: n, start: log(Double(b) / Double(n - b)), low: low, high: high)
            if let midLowerEnd, let midUpperEnd {
                midpInterval = RatioInterval(
                    lower: Self.ratio(odds: exp(midLowerEnd), exposurePrevious, exposureCurrent),
                    upper: Self.ratio(odds: exp(midUpperEnd), exposurePrevious, exposureCurrent))
            } else {
                midpInterval = nil
            }
            medianUnbiasedRatio = median.map { Self.ratio(odds: exp($0), exposurePrevious, exposureCurrent) }
        case (nil, _):
            // b = 0 < n: ½(1 − p)^n = α'  ⇒  log(1 − p) = log(2α')/n; the median is p = 0.
            let logQ = log(2 * alphaHalf) / Double(n)
            midpInterval = RatioInterval(
                lower: 0, upper: Self.ratio(odds: -expm1(logQ) / exp(logQ), exposurePrevious, exposureCurrent))
            medianUnbiasedRatio = 0
        case (_, nil):
            // b = n > 0 (a = 0): ½p^n = α'  ⇒  log p = log(2α')/n; the median is p = 1 (RR = +∞).
            let logP = log(2 * alphaHalf) / Double(n)
            midpInterval = RatioInterval(
                lower: Self.ratio(odds: exp(logP) / -expm1(logP), exposurePrevious, exposureCurrent), upper: nil)
            medianUnbiasedRatio = nil
        }

        // Wald interval on log RR.
        if previous > 0, current > 0, let rateRatio {
            let z = NormalDistribution.upperQuantile(alphaHalf)
            let standardError = (1 / Double(previous) + 1 / Double(current)).squareRoot()
            let logRatio = log(rateRatio)
            waldInterval = RatioInterval(lower: exp(logRatio - z * standardError), upper: exp(logRatio + z * standardError))
        } else {
            waldInterval = nil
        }
    }

    /// Odds → rate ratio: `RR = p/(1−p) · T_a/T_b` (R: `pp/(1 - pp) * T[2]/T[1]`).
    private static func ratio(odds: Double, _ exposurePrevious: Double, _ exposureCurrent: Double) -> Double {
        odds * exposurePrevious / exposureCurrent
    }

    /// R's two-sided rule (`binom.test`): `d = P(X = b)`, `m = n·p0`; add the opposite tail
    /// of outcomes with probability `≤ d·(1 + 1e-7)`. The pmf is monotone on the opposite side
    /// of the mean (the mode lies within one step of `m`), so the count of such outcomes is
    /// found by bisection instead of R's linear scan.
    private static func exactTwoSided(
        observed b: Int, trials n: Int, p0: Double, q0: Double, observedProbability: Double,
        atMost: Double, atLeast: Double
    ) -> Double {
        let mean = Double(n) * p0
        if Double(b) == mean { return 1 }
        let threshold = observedProbability * (1 + 1e-7)
        if Double(b) < mean {
            // Non-increasing on ⌈m⌉…n: find the first k there with P(X = k) ≤ threshold.
            var low = Int(mean.rounded(.up))
            var high = n + 1
            while low < high {
                let middle = low + (high - low) / 2
                if Self.probability(middle, trials: n, p0: p0, q0: q0) <= threshold { high = middle } else { low = middle + 1 }
            }
            // Opposite tail P(X ≥ low) = P(X > low − 1).
            let opposite = low > n ? 0 : tails(low - 1, trials: n, p0: p0, q0: q0).above
            return min(1, atMost + opposite)
        }
        // Non-decreasing on 0…⌊m⌋: find the first k there with P(X = k) > threshold.
        var low = 0
        var high = Int(mean.rounded(.down)) + 1
        while low < high {
            let middle = low + (high - low) / 2
            if Self.probability(middle, trials: n, p0: p0, q0: q0) > threshold { high = middle } else { low = middle + 1 }
        }
        // `low` outcomes 0…low−1 qualify: opposite tail P(X ≤ low − 1).
        let opposite = low == 0 ? 0 : tails(low - 1, trials: n, p0: p0, q0: q0).atMost
        return min(1, opposite + atLeast)
    }

    private static func probability(_ k: Int, trials n: Int, p0: Double, q0: Double) -> Double {
        BinomialDistribution.rawProbability(successes: Double(k), failures: Double(n - k), p: p0, q: q0)
    }

    private static func tails(_ k: Int, trials n: Int, p0: Double, q0: Double) -> (atMost: Double, above: Double) {
        BinomialDistribution.tails(k, trials: n, p: p0, q: q0)
    }

    /// Solves a mid-p equation for the log-odds `u = log(p/(1−p))`:
    /// `upperTail`: `F(u) = P(X > b | p) + ½P(X = b | p) = target` (lower CI end, median);
    /// otherwise `P(X < b | p) + ½P(X = b | p) = target` (upper CI end). With `d = P(X = b | p)`,
    /// `dF/du = ½·d·((n − b)·p + b·q)` (and the negative for the other equation), so a
    /// safeguarded Newton iteration from the nearby exact limit converges in a few steps.
    private static func solveMidp(
        target: Double, upperTail: Bool, observed b: Int, trials n: Int, start: Double, low: Double, high: Double
    ) -> Double? {
        let successes = Double(b)
        let failures = Double(n - b)
        return RootFinding.safeguardedNewton(lower: low, upper: high, start: start, increasing: upperTail) { logOdds in
            let p = 1 / (1 + exp(-logOdds))
            let q = 1 / (1 + exp(logOdds))
            let probability = BinomialDistribution.rawProbability(successes: successes, failures: failures, p: p, q: q)
            let tails = BinomialDistribution.tails(b, trials: n, p: p, q: q)
            let slope = 0.5 * probability * (failures * p + successes * q)
            return upperTail
                ? (tails.above + 0.5 * probability - target, slope)
                : (tails.atMost - 0.5 * probability - target, -slope)
        }
    }
}
