import BinhYenStats
import Testing

/// Hand-checkable values, edge cases and invariants of the building blocks.
struct BuildingBlockTests {
    @Test func brentFindsKnownRoots() throws {
        let sqrtTwo = try #require(RootFinding.brent(lower: 0, upper: 2, absoluteTolerance: 1e-15) { $0 * $0 - 2 })
        #expect(abs(sqrtTwo - 2.0.squareRoot()) <= 4e-16)
        // Reversed bracket and a function that is flat near its root.
        let cubeRoot = try #require(RootFinding.brent(lower: 3, upper: -1, absoluteTolerance: 1e-14) { ($0 - 1) * ($0 - 1) * ($0 - 1) })
        #expect(abs(cubeRoot - 1) <= 1e-4)
        let end = try #require(RootFinding.brent(lower: 0, upper: 1) { $0 })
        #expect(end == 0)
    }

    @Test func brentReportsMissingSignChange() {
        #expect(RootFinding.brent(lower: -1, upper: 1) { $0 * $0 + 1 } == nil)
        #expect(RootFinding.brent(lower: 0, upper: 1) { _ in .nan } == nil)
        #expect(RootFinding.brent(lower: 0, upper: 2, absoluteTolerance: 0, maxIterations: 2) { $0 * $0 - 2 } == nil)
    }

    @Test func logGammaExactValuesAndPoles() {
        #expect(SpecialFunctions.logGamma(1) == 0)
        #expect(SpecialFunctions.logGamma(2) == 0)
        #expect(abs(SpecialFunctions.logGamma(5) - 3.178_053_830_347_945_6) < 1e-15)
        #expect(abs(SpecialFunctions.logGamma(0.5) - 0.572_364_942_924_700_087_07) < 5e-15)
        #expect(SpecialFunctions.logGamma(0) == .infinity)
        #expect(SpecialFunctions.logGamma(-3) == .infinity)
        #expect(SpecialFunctions.logGamma(.infinity) == .infinity)
        #expect(SpecialFunctions.logGamma(.nan).isNaN)
    }

    @Test func binomialEdges() {
        #expect(BinomialDistribution.probability(of: -1, trials: 5, success: 0.3) == 0)
        #expect(BinomialDistribution.probability(of: 6, trials: 5, success: 0.3) == 0)
        #expect(BinomialDistribution.probability(of: 0, trials: 0, success: 0.3) == 1)
        #expect(BinomialDistribution.probability(of: 0, trials: 4, success: 0) == 1)
        #expect(BinomialDistribution.probability(of: 4, trials: 4, success: 1) == 1)
        #expect(BinomialDistribution.cdf(-1, trials: 5, success: 0.3) == 0)
        #expect(BinomialDistribution.cdf(5, trials: 5, success: 0.3) == 1)
        #expect(BinomialDistribution.survival(5, trials: 5, success: 0.3) == 0)
        #expect(BinomialDistribution.survival(-1, trials: 5, success: 0.3) == 1)
        #expect(BinomialDistribution.cdf(2, trials: 5, success: 1.5).isNaN)
        // 3 heads in 4 fair tosses: 4/16; P(X ≤ 1) = 5/16.
        #expect(abs(BinomialDistribution.probability(of: 3, trials: 4, success: 0.5) - 0.25) < 1e-16)
        #expect(abs(BinomialDistribution.cdf(1, trials: 4, success: 0.5) - 0.3125) < 1e-16)
    }

    @Test func betaEdges() {
        let atZero = BetaDistribution.tails(0, a: 2, b: 3)
        #expect(atZero.lower == 0 && atZero.upper == 1)
        let atOne = BetaDistribution.tails(1, a: 2, b: 3)
        #expect(atOne.lower == 1 && atOne.upper == 0)
        #expect(BetaDistribution.quantile(0, a: 2, b: 3) == 0)
        #expect(BetaDistribution.quantile(1, a: 2, b: 3) == 1)
        #expect(BetaDistribution.quantile(0, a: 2, b: 3, upperTail: true) == 1)
        #expect(BetaDistribution.quantile(0.5, a: -1, b: 3).isNaN)
        #expect(BetaDistribution.density(2, a: 2, b: 3) == 0)
        #expect(BetaDistribution.density(0, a: 0.5, b: 3) == .infinity)
        // Uniform: I_x(1, 1) = x; symmetric: I_½(a, a) = ½.
        #expect(abs(BetaDistribution.cdf(0.3, a: 1, b: 1) - 0.3) < 1e-16)
        #expect(abs(BetaDistribution.cdf(0.5, a: 7.5, b: 7.5) - 0.5) < 1e-15)
        #expect(abs(BetaDistribution.quantile(0.3, a: 1, b: 1) - 0.3) < 1e-15)
    }

    @Test func quantileInvertsCDF() {
        for (a, b) in [(0.3, 4.0), (2.0, 2.0), (50.0, 3.0), (1000.0, 20000.0)] {
            for p in [1e-30, 1e-5, 0.2, 0.5, 0.9] {
                let lower = BetaDistribution.quantile(p, a: a, b: b)
                #expect(abs(BetaDistribution.cdf(lower, a: a, b: b) / p - 1) < 1e-12, "a=\(a) b=\(b) p=\(p)")
                // Upper-tail quantiles near 1 cannot carry 1 − x in a double; check where they can.
                let upper = BetaDistribution.quantile(p, a: a, b: b, upperTail: true)
                if 1 - upper > 1e-3 {
                    #expect(abs(BetaDistribution.tails(upper, a: a, b: b).upper / p - 1) < 1e-12, "upper a=\(a) b=\(b) p=\(p)")
                }
            }
        }
    }

    @Test func normalEdgesAndSymmetry() {
        #expect(NormalDistribution.cdf(0) == 0.5)
        #expect(NormalDistribution.quantile(0.5) == 0)
        #expect(NormalDistribution.quantile(0) == -.infinity)
        #expect(NormalDistribution.quantile(1) == .infinity)
        #expect(NormalDistribution.quantile(1.5).isNaN)
        #expect(abs(NormalDistribution.quantile(0.975) - 1.959_963_984_540_054) < 1e-15)
        #expect(abs(NormalDistribution.upperQuantile(0.025) - NormalDistribution.quantile(0.975)) < 1e-15)
        for x in [-8.0, -1.3, 0.7, 5.0] {
            #expect(NormalDistribution.cdf(x) == NormalDistribution.survival(-x))
        }
    }

    @Test func poissonEdges() {
        #expect(PoissonDistribution.probability(of: 0, mean: 0) == 1)
        #expect(PoissonDistribution.probability(of: 2, mean: 0) == 0)
        #expect(PoissonDistribution.cdf(-1, mean: 3) == 0)
        #expect(PoissonDistribution.survival(-1, mean: 3) == 1)
        #expect(PoissonDistribution.cdf(0, mean: 0) == 1)
        #expect(PoissonDistribution.cdf(3, mean: -1).isNaN)
        #expect(PoissonDistribution.cdf(3, mean: .infinity).isNaN)
        // P(Y = 0 | 2) = e^(−2).
        #expect(abs(PoissonDistribution.cdf(0, mean: 2) - 0.135_335_283_236_612_69) < 1e-16)
    }
}
