import BinhYenStats
import Testing

/// Invariants of `TwoCountComparison` that hold for any input (checked on a grid).
struct TwoCountPropertyTests {
    static let pairs: [(Int, Int)] = [(20, 19), (12, 5), (1, 9), (0, 7), (7, 0), (150, 180), (3000, 2800), (2, 2)]

    func close(_ x: Double?, _ y: Double?, _ tolerance: Double = 1e-12) -> Bool {
        guard let x, let y else { return x == nil && y == nil }
        return abs(x - y) <= tolerance * max(abs(x), abs(y))
    }

    @Test(arguments: pairs)
    func swappingPeriodsInvertsTheRatio(_ previous: Int, _ current: Int) {
        let forward = TwoCountComparison(previous: previous, current: current)
        let backward = TwoCountComparison(previous: current, current: previous)
        #expect(close(forward.pExactTwoSided, backward.pExactTwoSided))
        #expect(close(forward.pExactLess, backward.pExactGreater))
        #expect(close(forward.pMidpLower, backward.pMidpUpper))
        #expect(close(forward.pMidpTwoSided, backward.pMidpTwoSided))
        // [L, U] for current/previous is [1/U', 1/L'] for previous/current (∞ ↔ 0).
        #expect(close(forward.exactInterval.lower, backward.exactInterval.upper.map { 1 / $0 } ?? 0))
        #expect(close(forward.midpInterval?.lower, backward.midpInterval?.upper.map { 1 / $0 } ?? 0))
        if previous > 0, current > 0 {
            #expect(close(forward.medianUnbiasedRatio, backward.medianUnbiasedRatio.map { 1 / $0 }))
            #expect(close(forward.waldInterval?.lower, backward.waldInterval?.upper.map { 1 / $0 }))
        }
    }

    @Test(arguments: pairs)
    func intervalsAreNestedAroundTheEstimates(_ previous: Int, _ current: Int) throws {
        let result = TwoCountComparison(previous: previous, current: current)
        let exact = result.exactInterval
        let midp = try #require(result.midpInterval)
        // The mid-p interval lies inside the exact one and contains the median-unbiased estimate.
        #expect(midp.lower >= exact.lower)
        if let exactUpper = exact.upper, let midpUpper = midp.upper { #expect(midpUpper <= exactUpper) }
        if let median = result.medianUnbiasedRatio {
            #expect(median >= midp.lower)
            if let upper = midp.upper { #expect(median <= upper) }
        }
        if let ratio = result.rateRatio {
            #expect(ratio >= exact.lower)
            if let upper = exact.upper { #expect(ratio <= upper) }
        }
        #expect(abs((result.pMidpLower ?? 0) + (result.pMidpUpper ?? 0) - 1) < 1e-14)
        #expect(result.pExactTwoSided <= 1 && result.pExactTwoSided > 0)
    }

    @Test func scalingBothExposuresChangesNothing() throws {
        let plain = TwoCountComparison(previous: 34, current: 21, exposurePrevious: 1.0, exposureCurrent: 1.2)
        let scaled = TwoCountComparison(previous: 34, current: 21, exposurePrevious: 1000.0, exposureCurrent: 1200.0)
        #expect(close(plain.p0, scaled.p0, 1e-15))
        #expect(close(plain.pExactTwoSided, scaled.pExactTwoSided))
        #expect(close(plain.rateRatio, scaled.rateRatio))
        #expect(close(plain.exactInterval.lower, scaled.exactInterval.lower))
        #expect(close(plain.midpInterval?.upper ?? nil, scaled.midpInterval?.upper ?? nil))
        // Rates: (21/1.2)/(34/1) per unit exposure.
        #expect(close(plain.rateRatio, (21 / 1.2) / 34.0))
    }

    @Test func confidenceLevelWidensIntervals() throws {
        let narrow = TwoCountComparison(previous: 40, current: 25, confidence: 0.9)
        let wide = TwoCountComparison(previous: 40, current: 25, confidence: 0.99)
        #expect(wide.exactInterval.lower < narrow.exactInterval.lower)
        #expect(try #require(wide.exactInterval.upper) > #require(narrow.exactInterval.upper))
        #expect(try #require(wide.midpInterval).lower < #require(narrow.midpInterval).lower)
        #expect(try #require(wide.waldInterval?.upper) > #require(narrow.waldInterval?.upper))
        #expect(wide.confidence == 0.99)
    }

    /// With unequal exposures R's two-sided rule and doubling differ (docs/guides/TwoCountComparison.md);
    /// values from R 4.2.2 `poisson.test(c(3, 9), c(1, 2))` and its one-sided versions.
    @Test func twoSidedRuleIsNotDoubling() {
        let result = TwoCountComparison(previous: 9, current: 3, exposurePrevious: 2, exposureCurrent: 1)
        #expect(abs(result.pExactTwoSided - 0.7615539636573021) < 1e-14)
        #expect(abs(result.pExactLess - 0.39307467809220659) < 1e-14)
        #expect(abs(result.pExactGreater - 0.8188773542124147) < 1e-14)
        #expect(abs(2 * min(result.pExactLess, result.pExactGreater) - 0.786149356184413) < 1e-14)
    }
}
