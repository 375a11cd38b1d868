import BinhYenStats
import Foundation
import Testing

/// Every field of the golden case `glm_trend_overdispersed` (copied from the BinhYen golden set,
/// see Fixtures/golden/README.md): Poisson, quasi-Poisson and negative binomial trends with a
/// population offset, their forecasts and the overdispersion check, at the tolerances (and
/// overrides) stated in the file.
struct CountTrendGoldenTests {
    struct Case: Decodable {
        struct ToleranceBlock: Decodable {
            var rel: Double
            var abs: Double
            var overrides: [String: Tolerance]
        }
        struct Header: Decodable {
            var tolerance: ToleranceBlock
        }
        struct Poisson: Decodable {
            var coef: [Double]
            var se: [Double]
            var z: [Double]
            var p: [Double]
            var deviance: Double
            var null_deviance: Double
            var df_residual: Int
            var aic: Double
            var loglik: Double
            var pearson_chi2: Double
            var dispersion_pearson: Double
            var annual_rate_ratio: Double
            var annual_rr_wald_ci: [Double]
            var annual_rr_profile_ci: [Double]
            var annual_rr_profile_ci_exact: [Double]
            var pct_change_per_year: Double
        }
        struct Forecast: Decodable {
            var eta: Double?
            var se_eta: Double
            var mu: Double?
            var mean_ci95: [Double]
            var plugin_pi95: [Int]
            var plugin_p_meet: Double
            var mixture_p_meet: Double?
            var mixture_pi95: [Int]?
            var plugin_dist: String?
        }
        struct QuasiPoisson: Decodable {
            var coef: [Double]
            var dispersion: Double
            var se: [Double]
            var t: [Double]
            var p: [Double]
            var annual_rr_wald_ci_normal: [Double]
            var annual_rr_wald_ci_t: [Double]
        }
        struct NegativeBinomial: Decodable {
            var status: String
            var coef: [Double]
            var se: [Double]
            var z: [Double]
            var p: [Double]
            var theta: Double
            var se_theta: Double
            var alpha: Double
            var loglik: Double
            var aic: Double
            var annual_rr_wald_ci: [Double]
        }
        struct Overdispersion: Decodable {
            var pearson_chi2: Double
            var df: Int
            var p_pearson_upper: Double
            var deviance_p_upper: Double
        }
        struct Golden: Decodable {
            var t_next: Int
            var y_last: Int
            var meet_threshold_count: Int
            var poisson: Poisson
            var poisson_forecast: Forecast
            var quasipoisson: QuasiPoisson
            var quasipoisson_forecast: Forecast
            var negbin: NegativeBinomial
            var negbin_forecast: Forecast
            var overdispersion: Overdispersion
        }
        var `case`: Header
        var golden: Golden
    }

    let fixture: Case
    let analysis: CountTrendAnalysis

    init() throws {
        fixture = try FixtureSupport.decode(Case.self, from: "golden/glm_trend_overdispersed.expected.json")
        let csv = try #require(String(data: try FixtureSupport.data("golden/glm_trend_overdispersed.input.csv"), encoding: .utf8))
        let observations = try csv.split(separator: "\n").dropFirst().map { line in
            let fields = line.split(separator: ",").map(String.init)
            return CountTrendObservation(
                year: try #require(Int(fields[0])), count: try #require(Int(fields[1])), population: Double(fields[2]))
        }
        #expect(observations.count == 12 && observations.allSatisfy { $0.population != nil })
        analysis = CountTrend.analyze(observations)
    }

    /// The tolerance of a golden field: the most specific override (`block.field`, then
    /// `field`, then `block`), else the case default.
    func tolerance(_ block: String, _ field: String) -> Tolerance {
        let header = fixture.case.tolerance
        let overrides = header.overrides
        return overrides["\(block).\(field)"] ?? overrides[field] ?? overrides[block]
            ?? Tolerance(relative: header.rel, absolute: header.abs)
    }

    func check(_ got: Double?, _ expected: Double, _ block: String, _ field: String, sourceLocation: SourceLocation = #_sourceLocation) {
        expectClose(got, expected, tolerance(block, field), "\(block).\(field)", sourceLocation: sourceLocation)
    }

    func check(_ got: [Double?], _ expected: [Double], _ block: String, _ field: String, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(got.count == expected.count, "\(block).\(field): length", sourceLocation: sourceLocation)
        for (index, pair) in zip(got, expected).enumerated() {
            expectClose(pair.0, pair.1, tolerance(block, field), "\(block).\(field)[\(index)]", sourceLocation: sourceLocation)
        }
    }

    @Test func poissonFitMatchesEveryGoldenField() throws {
        let expected = fixture.golden.poisson
        let fit = try #require(analysis.poisson)
        check([fit.intercept.estimate, fit.slope.estimate], expected.coef, "poisson", "coef")
        check([fit.intercept.standardError, fit.slope.standardError], expected.se, "poisson", "se")
        check([fit.intercept.statistic, fit.slope.statistic], expected.z, "poisson", "z")
        check([fit.intercept.pValue, fit.slope.pValue], expected.p, "poisson", "p")
        check(fit.deviance, expected.deviance, "poisson", "deviance")
        check(fit.nullDeviance, expected.null_deviance, "poisson", "null_deviance")
        #expect(fit.residualDegreesOfFreedom == expected.df_residual)
        check(fit.aic, expected.aic, "poisson", "aic")
        check(fit.logLikelihood, expected.loglik, "poisson", "loglik")
        check(fit.pearsonChiSquare, expected.pearson_chi2, "poisson", "pearson_chi2")
        check(fit.dispersion, expected.dispersion_pearson, "poisson", "dispersion_pearson")
        check(fit.annualRateRatio, expected.annual_rate_ratio, "poisson", "annual_rate_ratio")
        check([fit.waldInterval.lower, fit.waldInterval.upper], expected.annual_rr_wald_ci, "poisson", "annual_rr_wald_ci")
        let profile = try #require(fit.profileInterval)
        check([profile.lower, profile.upper], expected.annual_rr_profile_ci_exact, "poisson", "annual_rr_profile_ci_exact")
        // MASS confint.glm (spline through a profile grid) agrees to ~1e-4 only (override).
        check([profile.lower, profile.upper], expected.annual_rr_profile_ci, "poisson", "annual_rr_profile_ci")
        check(fit.percentChangePerYear, expected.pct_change_per_year, "poisson", "pct_change_per_year")
    }

    @Test func quasiPoissonFitMatchesEveryGoldenField() throws {
        let expected = fixture.golden.quasipoisson
        let fit = try #require(analysis.quasiPoisson)
        let poisson = try #require(analysis.poisson)
        check([poisson.intercept.estimate, poisson.slope.estimate], expected.coef, "quasipoisson", "coef")
        check([fit.intercept.estimate, fit.slope.estimate], expected.coef, "quasipoisson", "coef")
        check(fit.dispersion, expected.dispersion, "quasipoisson", "dispersion")
        check([fit.intercept.standardError, fit.slope.standardError], expected.se, "quasipoisson", "se")
        check([fit.intercept.statistic, fit.slope.statistic], expected.t, "quasipoisson", "t")
        check([fit.intercept.pValue, fit.slope.pValue], expected.p, "quasipoisson", "p")
        check([fit.normalWaldInterval.lower, fit.normalWaldInterval.upper], expected.annual_rr_wald_ci_normal, "quasipoisson", "annual_rr_wald_ci_normal")
        check([fit.waldInterval.lower, fit.waldInterval.upper], expected.annual_rr_wald_ci_t, "quasipoisson", "annual_rr_wald_ci_t")
        #expect(fit.residualDegreesOfFreedom == 10)
    }

    @Test func negativeBinomialFitMatchesEveryGoldenField() throws {
        let expected = fixture.golden.negbin
        #expect(expected.status == "ok")
        let fit = try #require(analysis.negativeBinomial)
        check([fit.intercept.estimate, fit.slope.estimate], expected.coef, "negbin", "coef")
        check([fit.intercept.standardError, fit.slope.standardError], expected.se, "negbin", "se")
        check([fit.intercept.statistic, fit.slope.statistic], expected.z, "negbin", "z")
        check([fit.intercept.pValue, fit.slope.pValue], expected.p, "negbin", "p")
        check(fit.theta, expected.theta, "negbin", "theta")
        check(fit.thetaStandardError, expected.se_theta, "negbin", "se_theta")
        check(fit.alpha, expected.alpha, "negbin", "alpha")
        check(fit.logLikelihood, expected.loglik, "negbin", "loglik")
        check(fit.aic, expected.aic, "negbin", "aic")
        check([fit.waldInterval.lower, fit.waldInterval.upper], expected.annual_rr_wald_ci, "negbin", "annual_rr_wald_ci")
    }

    @Test func overdispersionCheckMatchesGolden() throws {
        let expected = fixture.golden.overdispersion
        let check = try #require(analysis.overdispersion)
        self.check(check.pearsonChiSquare, expected.pearson_chi2, "overdispersion", "pearson_chi2")
        #expect(check.degreesOfFreedom == expected.df)
        self.check(check.pearsonPValue, expected.p_pearson_upper, "overdispersion", "p_pearson_upper")
        self.check(check.deviancePValue, expected.deviance_p_upper, "overdispersion", "deviance_p_upper")
    }

    /// `auto`: φ̂ = 2.18 with Pearson p = 0.016 < 0.05, NB available → negative binomial, and the
    /// SPEC fields come from the NB fit.
    @Test func automaticChoiceIsNegativeBinomial() throws {
        #expect(analysis.model == .negbin)
        #expect(analysis.notes == [.autoNegativeBinomial])
        let golden = fixture.golden.negbin
        check(analysis.annualRateRatio, exp(golden.coef[1]), "negbin", "coef")
        check(analysis.annualRateRatioLower, golden.annual_rr_wald_ci[0], "negbin", "annual_rr_wald_ci")
        check(analysis.annualRateRatioUpper, golden.annual_rr_wald_ci[1], "negbin", "annual_rr_wald_ci")
        check(analysis.modelP, golden.p[1], "negbin", "p")
        check(analysis.theta, golden.theta, "negbin", "theta")
        check(analysis.dispersion, fixture.golden.poisson.dispersion_pearson, "poisson", "dispersion_pearson")
    }

    func checkForecast(_ model: CountTrendModel, _ expected: Case.Forecast, block: String) throws {
        let forecast = analysis.forecast(model: model)
        #expect(forecast.notes.isEmpty, "\(block): \(forecast.notes)")
        #expect(forecast.model == model)
        #expect(forecast.year == 2014 + fixture.golden.t_next)
        #expect(forecast.targetMax == fixture.golden.meet_threshold_count)
        #expect(19 * fixture.golden.y_last / 20 == fixture.golden.meet_threshold_count)
        if let eta = expected.eta { check(forecast.linearPredictor, eta, block, "eta") }
        check(forecast.linearPredictorStandardError, expected.se_eta, block, "se_eta")
        if let mu = expected.mu { check(forecast.mean, mu, block, "mu") }
        let interval = try #require(forecast.meanInterval)
        check([interval.lowerBound, interval.upperBound], expected.mean_ci95, block, "mean_ci95")
        let plugIn = try #require(forecast.plugInPredictionInterval)
        #expect([plugIn.lowerBound, plugIn.upperBound] == expected.plugin_pi95, "\(block).plugin_pi95")
        check(forecast.plugInProbabilityOfMeetingTarget, expected.plugin_p_meet, block, "plugin_p_meet")
        if let mixture = expected.mixture_p_meet {
            check(forecast.probabilityOfMeetingTarget, mixture, block, "mixture_p_meet")
        }
        if let mixture = expected.mixture_pi95 {
            let interval = try #require(forecast.predictionInterval)
            #expect([interval.lowerBound, interval.upperBound] == mixture, "\(block).mixture_pi95")
        }
    }

    @Test func poissonForecastMatchesGolden() throws {
        try checkForecast(.poisson, fixture.golden.poisson_forecast, block: "poisson_forecast")
    }

    @Test func quasiPoissonForecastMatchesGolden() throws {
        let expected = fixture.golden.quasipoisson_forecast
        try checkForecast(.quasipoisson, expected, block: "quasipoisson_forecast")
        // "NB(size = mu/(phi-1), mean mu) i.e. var = phi*mu".
        #expect(expected.plugin_dist == "NB(size = mu/(phi-1), mean mu) i.e. var = phi*mu")
        let forecast = analysis.forecast(model: .quasipoisson)
        let phi = try #require(analysis.quasiPoisson?.dispersion)
        let mean = try #require(forecast.mean)
        #expect(forecast.plugInDistribution == .negativeBinomial(size: mean / (phi - 1), mean: mean))
        // The mean is the Poisson one (same coefficients).
        check(mean, try #require(fixture.golden.poisson_forecast.mu), "poisson_forecast", "mu")
    }

    @Test func negativeBinomialForecastMatchesGolden() throws {
        try checkForecast(.negbin, fixture.golden.negbin_forecast, block: "negbin_forecast")
        // The default forecast uses the automatically chosen model (NB here).
        #expect(analysis.forecast() == analysis.forecast(model: .negbin))
    }
}
