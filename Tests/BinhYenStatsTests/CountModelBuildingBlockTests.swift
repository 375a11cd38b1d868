@testable import BinhYenStats
import Foundation
import Testing

/// Digamma/trigamma against mpmath and SciPy, Gauss–Hermite against NumPy, the negative binomial
/// distribution and discrete quantiles against R (`Fixtures/reference/{polygamma,gauss_hermite_numpy,
/// negative_binomial_r}.json`, from `Tests/FixtureScripts/stats/gen_glm_fixtures.{R,py}`; the
/// tolerances are read from the files).
struct CountModelBuildingBlockTests {
    struct PolygammaPoint: Decodable {
        var x: Double
        var value: Double
        var scipy: Double?
    }

    struct PolygammaFile: Decodable {
        struct Tolerances: Decodable {
            var value: Tolerance
            var negative: Tolerance
            var scipy: Tolerance
            var helpers: Tolerance
        }
        var tolerance: Tolerances
        var digamma: [PolygammaPoint]
        var trigamma: [PolygammaPoint]
        var digamma_minus_log: [PolygammaPoint]
        var trigamma_minus_reciprocal: [PolygammaPoint]
    }

    @Test func digammaAndTrigammaAgainstMpmathAndSciPy() throws {
        let file = try FixtureSupport.decode(PolygammaFile.self, from: "reference/polygamma.json")
        var positive = ErrorTally("polygamma x>0 vs mpmath", file.tolerance.value)
        var negative = ErrorTally("polygamma x<0 vs mpmath", file.tolerance.negative)
        var scipy = ErrorTally("polygamma vs scipy", file.tolerance.scipy)
        for (name, points, function) in [
            ("digamma", file.digamma, SpecialFunctions.digamma),
            ("trigamma", file.trigamma, SpecialFunctions.trigamma),
        ] as [(String, [PolygammaPoint], (Double) -> Double)] {
            for point in points {
                let got = function(point.x)
                if point.x > 0 {
                    positive.check(got, point.value, "\(name)(\(point.x))")
                } else {
                    negative.check(got, point.value, "\(name)(\(point.x))")
                }
                if let reference = point.scipy { scipy.check(got, reference, "\(name)(\(point.x)) scipy") }
            }
        }
        positive.finish()
        negative.finish()
        scipy.finish()
        var helpers = ErrorTally("ψ − log, ψ' − 1/x", file.tolerance.helpers)
        for point in file.digamma_minus_log {
            helpers.check(SpecialFunctions.digammaMinusLog(point.x), point.value, "digammaMinusLog(\(point.x))")
        }
        for point in file.trigamma_minus_reciprocal {
            helpers.check(SpecialFunctions.trigammaMinusReciprocal(point.x), point.value, "trigammaMinusReciprocal(\(point.x))")
        }
        helpers.finish()
    }

    @Test func polygammaEdgeCases() {
        #expect(SpecialFunctions.digamma(0).isNaN)
        #expect(SpecialFunctions.digamma(-3).isNaN)
        #expect(SpecialFunctions.trigamma(-2).isNaN)
        #expect(SpecialFunctions.digamma(.nan).isNaN)
        #expect(SpecialFunctions.digamma(.infinity) == .infinity)
        #expect(SpecialFunctions.trigamma(.infinity) == 0)
        // ψ(1) = −γ, ψ'(1) = π²/6 exactly to double precision.
        #expect(abs(SpecialFunctions.digamma(1) + 0.577_215_664_901_532_860_6) <= 1e-15)
        #expect(abs(SpecialFunctions.trigamma(1) - Double.pi * Double.pi / 6) <= 5e-16)
        // Recurrences ψ(x+1) = ψ(x) + 1/x and ψ'(x+1) = ψ'(x) − 1/x² across the series switch at 10.
        for x in [0.25, 1.46, 3.5, 9.5, 9.99] {
            #expect(abs(SpecialFunctions.digamma(x + 1) - SpecialFunctions.digamma(x) - 1 / x) <= 1e-14 * max(1, 1 / x))
            #expect(abs(SpecialFunctions.trigamma(x + 1) - SpecialFunctions.trigamma(x) + 1 / (x * x)) <= 1e-14 * max(1, 1 / (x * x)))
        }
    }

    struct GaussHermiteFile: Decodable {
        struct Tolerances: Decodable {
            var nodes: Tolerance
            var weights: Tolerance
        }
        var tolerance: Tolerances
        var nodes: [Double]
        var weights: [Double]
    }

    @Test func gaussHermiteAgainstNumPy() throws {
        let file = try FixtureSupport.decode(GaussHermiteFile.self, from: "reference/gauss_hermite_numpy.json")
        let rule = GaussHermiteRule.sixtyFourPoint
        #expect(rule.nodes.count == 64)
        var nodes = ErrorTally("Gauss–Hermite nodes", file.tolerance.nodes)
        var weights = ErrorTally("Gauss–Hermite weights", file.tolerance.weights)
        for index in 0..<64 {
            nodes.check(rule.nodes[index], file.nodes[index], "node \(index)")
            weights.check(rule.weights[index], file.weights[index], "weight \(index)")
        }
        nodes.finish()
        weights.finish()
    }

    @Test func gaussHermiteIntegratesNormalMoments() throws {
        for points in 1...150 {
            let rule = try #require(GaussHermiteRule(pointCount: points))
            #expect(zip(rule.nodes, rule.nodes.dropFirst()).allSatisfy { $0 < $1 }, "\(points): nodes increasing")
            #expect(abs(rule.weights.reduce(0, +) - Double.pi.squareRoot()) <= 1e-14, "\(points)")
            #expect(abs(rule.expectationOverStandardNormal { _ in 1 } - 1) <= 1e-14, "\(points)")
            if points >= 3 {
                // E[Z²] = 1, E[Z⁴] = 3 (exact for degree < 2n).
                #expect(abs(rule.expectationOverStandardNormal { $0 * $0 } - 1) <= 1e-13, "\(points)")
                #expect(abs(rule.expectationOverStandardNormal { $0 * $0 * $0 * $0 } - 3) <= 1e-12, "\(points)")
            }
        }
        #expect(GaussHermiteRule(pointCount: 0) == nil)
        #expect(GaussHermiteRule(pointCount: 151) == nil)
        // E[exp(σZ)] = exp(σ²/2), the log-normal mean behind the forecast mixtures.
        let sigma = 0.7
        let value = GaussHermiteRule.sixtyFourPoint.expectationOverStandardNormal { exp(sigma * $0) }
        #expect(abs(value / exp(sigma * sigma / 2) - 1) <= 1e-14)
    }

    struct NegativeBinomialCase: Decodable {
        var k: Int
        var size: Double
        var mean: Double
        var pmf: Double
        var log_pmf: Double
        var cdf: Double
        var survival: Double
    }

    struct NegativeBinomialQuantile: Decodable {
        var p: Double
        var size: Double
        var mean: Double
        var quantile: Int
    }

    struct PoissonQuantile: Decodable {
        var p: Double
        var mean: Double
        var quantile: Int
    }

    struct File<Case: Decodable>: Decodable {
        var tolerance: Tolerance
        var cases: [Case]
    }

    struct NegativeBinomialFile: Decodable {
        var tolerance: Tolerance
        var cases: [NegativeBinomialCase]
        var nb_quantiles: [NegativeBinomialQuantile]
        var poisson_quantiles: [PoissonQuantile]
    }

    @Test func negativeBinomialAgainstR() throws {
        let file = try FixtureSupport.decode(NegativeBinomialFile.self, from: "reference/negative_binomial_r.json")
        #expect(file.cases.count > 400)
        var tally = ErrorTally("negative binomial vs R", file.tolerance)
        for c in file.cases {
            let label = "k=\(c.k) size=\(c.size) mean=\(c.mean)"
            tally.check(NegativeBinomialDistribution.probability(of: c.k, size: c.size, mean: c.mean), c.pmf, "pmf \(label)")
            tally.check(NegativeBinomialDistribution.logProbability(of: c.k, size: c.size, mean: c.mean), c.log_pmf, "log pmf \(label)")
            let tails = NegativeBinomialDistribution.tails(c.k, size: c.size, mean: c.mean)
            tally.check(tails.atMost, c.cdf, "cdf \(label)")
            tally.check(tails.above, c.survival, "survival \(label)")
        }
        tally.finish()
        var mismatches: [String] = []
        for q in file.nb_quantiles where NegativeBinomialDistribution.quantile(q.p, size: q.size, mean: q.mean) != q.quantile {
            mismatches.append("qnbinom(\(q.p), \(q.size), mu = \(q.mean)) = \(q.quantile)")
        }
        for q in file.poisson_quantiles where PoissonDistribution.quantile(q.p, mean: q.mean) != q.quantile {
            mismatches.append("qpois(\(q.p), \(q.mean)) = \(q.quantile)")
        }
        #expect(mismatches.isEmpty, "\(mismatches.count) quantiles differ: \(mismatches.prefix(5))")
        #expect(file.nb_quantiles.count + file.poisson_quantiles.count > 400)
    }

    struct NegativeBinomialPmf: Decodable {
        var k: Int
        var size: Double
        var mean: Double
        var pmf: Double
        var log_pmf: Double
    }

    @Test func negativeBinomialProbabilityAgainstMpmath() throws {
        let file = try FixtureSupport.decode(File<NegativeBinomialPmf>.self, from: "reference/negative_binomial_mpmath.json")
        var tally = ErrorTally("negative binomial pmf vs mpmath", file.tolerance)
        var deep = ErrorTally("negative binomial pmf < 1e-20 vs mpmath", Tolerance(relative: 1e-12, absolute: 1e-300))
        for c in file.cases {
            let label = "k=\(c.k) size=\(c.size) mean=\(c.mean)"
            let pmf = NegativeBinomialDistribution.probability(of: c.k, size: c.size, mean: c.mean)
            if c.pmf >= 1e-20 { tally.check(pmf, c.pmf, "pmf \(label)") } else { deep.check(pmf, c.pmf, "pmf \(label)") }
            tally.check(NegativeBinomialDistribution.logProbability(of: c.k, size: c.size, mean: c.mean), c.log_pmf, "log pmf \(label)")
        }
        tally.finish()
        deep.finish()
    }

    /// R's fuzz: `F(k) ≥ p·(1 − 64ε)`. For NB(size = 10⁴, mean = 10⁴) (success probability ½)
    /// `P(Y ≤ 9999) = ½` exactly; the computed cdf is 1e-15 below ½, yet the median is 9999 as in R.
    @Test func discreteQuantileUsesRsFuzz() {
        #expect(NegativeBinomialDistribution.quantile(0.5, size: 1e4, mean: 1e4) == 9999)
        #expect(NegativeBinomialDistribution.quantile(0.5, size: 1e6, mean: 1e6) == 999_999)
        #expect(NegativeBinomialDistribution.quantile(1 - 1e-16, size: 2, mean: 3) == nil)
    }

    @Test func discreteDistributionEdgeCases() {
        #expect(NegativeBinomialDistribution.probability(of: -1, size: 2, mean: 3) == 0)
        #expect(NegativeBinomialDistribution.probability(of: 0, size: 2, mean: 0) == 1)
        #expect(NegativeBinomialDistribution.probability(of: 4, size: 2, mean: 0) == 0)
        #expect(NegativeBinomialDistribution.cdf(-1, size: 2, mean: 3) == 0)
        #expect(NegativeBinomialDistribution.survival(-1, size: 2, mean: 3) == 1)
        #expect(NegativeBinomialDistribution.cdf(0, size: 0, mean: 3).isNaN)
        #expect(NegativeBinomialDistribution.cdf(0, size: 2, mean: -1).isNaN)
        #expect(NegativeBinomialDistribution.quantile(0.5, size: .infinity, mean: 3) == nil)
        #expect(NegativeBinomialDistribution.quantile(1, size: 2, mean: 3) == nil)
        #expect(NegativeBinomialDistribution.quantile(0, size: 2, mean: 3) == 0)
        #expect(NegativeBinomialDistribution.quantile(.nan, size: 2, mean: 3) == nil)
        #expect(PoissonDistribution.quantile(0.999, mean: 0) == 0)
        #expect(PoissonDistribution.quantile(0.5, mean: -2) == nil)
        // NB(size, mean) → Poisson(mean) as size → ∞.
        let poisson = PoissonDistribution.cdf(20, mean: 17.5)
        #expect(abs(NegativeBinomialDistribution.cdf(20, size: 1e9, mean: 17.5) - poisson) <= 1e-8)
        // The search limit is honoured.
        #expect(DiscreteQuantile.smallestCount(probability: 0.5, mean: 100, variance: 100, skewness: 0, limit: 50) { k in
            PoissonDistribution.cdf(k, mean: 100)
        } == nil)
    }
}
