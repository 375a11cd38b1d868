@testable import BinhYenStats
import Foundation
import Testing

/// Degenerate and hostile inputs of the count-trend models and forecasts: every undefined value
/// is `nil` with a stated reason, nothing traps, nothing hangs.
struct CountTrendEdgeCaseTests {
    static func series(_ counts: [Int], firstYear: Int = 2016, populations: [Double]? = nil) -> [CountTrendObservation] {
        counts.indices.map { CountTrendObservation(year: firstYear + $0, count: counts[$0], population: populations?[$0]) }
    }

    /// An analysis that produced nothing, with exactly `note` as the reason.
    func expectNoFit(_ analysis: CountTrendAnalysis, _ note: CountModelNote, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(analysis.notes == [note], sourceLocation: sourceLocation)
        #expect(analysis.model == nil && analysis.poisson == nil && analysis.quasiPoisson == nil, sourceLocation: sourceLocation)
        #expect(analysis.negativeBinomial == nil && analysis.overdispersion == nil, sourceLocation: sourceLocation)
        #expect(analysis.annualRateRatio == nil && analysis.annualRateRatioLower == nil && analysis.annualRateRatioUpper == nil,
                sourceLocation: sourceLocation)
        #expect(analysis.modelP == nil && analysis.dispersion == nil && analysis.theta == nil, sourceLocation: sourceLocation)
        let forecast = analysis.forecast()
        #expect(forecast.notes == [.noForecastWithoutModel, note], sourceLocation: sourceLocation)
        #expect(forecast.mean == nil && forecast.predictionInterval == nil && forecast.probabilityOfMeetingTarget == nil,
                sourceLocation: sourceLocation)
        #expect(forecast.targetMax == nil && forecast.model == nil, sourceLocation: sourceLocation)
    }

    @Test func invalidInputIsRejectedWithItsReason() {
        expectNoFit(CountTrend.analyze([]), .tooFewYears(0))
        expectNoFit(CountTrend.analyze(Self.series([3, 5])), .tooFewYears(2))
        expectNoFit(CountTrend.analyze(Self.series([0, 0, 0, 0])), .noEvents)
        expectNoFit(CountTrend.analyze(Self.series([4, -1, 6])), .negativeCount(year: 2017))
        expectNoFit(CountTrend.analyze(Self.series([4, 1_000_000_000_000_000, 6])), .countTooLarge(year: 2017))
        expectNoFit(CountTrend.analyze(Self.series([4, CountTrend.maximumCount + 1, 6])), .countTooLarge(year: 2017))
        let duplicate = [CountTrendObservation(year: 2020, count: 3), CountTrendObservation(year: 2021, count: 4),
                         CountTrendObservation(year: 2020, count: 5)]
        expectNoFit(CountTrend.analyze(duplicate), .duplicateYear(2020))
        for bad in [0, -5, Double.nan, Double.infinity] {
            expectNoFit(CountTrend.analyze(Self.series([3, 4, 5], populations: [1000, bad, 1000])), .invalidPopulation(year: 2017))
        }
        let partial = [CountTrendObservation(year: 2020, count: 3, population: 100), CountTrendObservation(year: 2021, count: 4),
                       CountTrendObservation(year: 2022, count: 5, population: 100)]
        expectNoFit(CountTrend.analyze(partial), .populationIncomplete)
        let farApart = [CountTrendObservation(year: Int.min, count: 3), CountTrendObservation(year: 0, count: 4),
                        CountTrendObservation(year: Int.max, count: 5)]
        expectNoFit(CountTrend.analyze(farApart), .yearSpanTooLarge)
        expectNoFit(CountTrend.analyze([1, 1001, 2001].map { CountTrendObservation(year: $0, count: 2) }), .yearSpanTooLarge)
    }

    @Test func invalidOptionsAreRejected() {
        let data = Self.series([3, 5, 4, 6])
        for options in [
            CountTrendOptions(confidence: 0), CountTrendOptions(confidence: 1), CountTrendOptions(confidence: .nan),
            CountTrendOptions(significanceLevel: 0), CountTrendOptions(convergenceTolerance: 0),
            CountTrendOptions(convergenceTolerance: .nan), CountTrendOptions(maximumIterations: 0),
        ] {
            expectNoFit(CountTrend.analyze(data, options: options), .invalidOptions)
        }
    }

    /// All events in the first or the last year: the likelihood increases without bound as the
    /// slope tends to ∓∞ (R reports a slope of ~±20 with a huge se and warns).
    @Test func eventsOnlyInAnEndYearHaveNoEstimate() {
        expectNoFit(CountTrend.analyze(Self.series([0, 0, 0, 5])), .eventsOnlyInEndYear(2019))
        expectNoFit(CountTrend.analyze(Self.series([7, 0, 0])), .eventsOnlyInEndYear(2016))
        // Events in a single middle year do have an estimate (slope 0 by symmetry here).
        let middle = CountTrend.analyze(Self.series([0, 0, 3, 0, 0]))
        #expect(abs(middle.poisson?.slope.estimate ?? 1) < 1e-8)
        #expect(middle.model != nil)
    }

    /// A constant series: Poisson slope 0 (rate ratio 1), no residual variation for quasi-Poisson,
    /// no overdispersion for NB; `auto` takes Poisson; the forecast still works.
    @Test func constantSeries() throws {
        let analysis = CountTrend.analyze(Self.series(Array(repeating: 7, count: 8)))
        let poisson = try #require(analysis.poisson)
        #expect(abs(poisson.annualRateRatio - 1) < 1e-12)
        #expect(poisson.pearsonChiSquare < 1e-20)
        #expect(analysis.quasiPoisson == nil && analysis.quasiPoissonUnavailable == .noResidualVariation)
        #expect(analysis.negativeBinomial == nil && analysis.negativeBinomialUnavailable == .noOverdispersion)
        #expect(analysis.model == .poisson && analysis.notes == [.autoPoissonNotOverdispersed])
        let profile = try #require(poisson.profileInterval)
        #expect(profile.lower < 1 && (profile.upper ?? 0) > 1)
        // Asked for quasi-Poisson: the rate ratio is reported, its interval and p are undefined.
        let quasi = CountTrend.analyze(Self.series(Array(repeating: 7, count: 8)), model: .quasipoisson)
        #expect(quasi.model == .quasipoisson && quasi.notes == [.noResidualVariation])
        #expect(quasi.annualRateRatio != nil && quasi.annualRateRatioLower == nil && quasi.modelP == nil)
        #expect(quasi.dispersion == poisson.dispersion)
        let forecast = analysis.forecast()
        #expect(forecast.targetMax == 6)
        #expect(abs((forecast.mean ?? 0) - 7) < 1e-9)
        #expect(forecast.predictionInterval != nil && forecast.notes.isEmpty)
        let unavailable = quasi.forecast()
        #expect(unavailable.notes == [.noForecastWithoutModel, .noResidualVariation])
    }

    @Test func negativeBinomialFallsBackToPoissonWhenNotOverdispersed() throws {
        // Underdispersed (binomial-like) counts: θ̂ → ∞.
        let analysis = CountTrend.analyze(Self.series([20, 21, 19, 22, 20, 21, 23, 22]), model: .negbin)
        #expect(analysis.negativeBinomial == nil)
        #expect(analysis.model == .poisson)
        #expect(analysis.notes == [.noOverdispersion])
        #expect(CountModelNote.noOverdispersion.english == "no overdispersion detected — Poisson model used")
        #expect(CountModelNote.noOverdispersion.vietnamese == "không phát hiện phân tán quá mức — dùng mô hình Poisson")
        #expect(analysis.theta == nil && analysis.modelP == analysis.poisson?.slope.pValue)
        let forecast = analysis.forecast(model: .negbin)
        #expect(forecast.notes == [.noForecastWithoutModel, .noOverdispersion])
        // The default forecast uses the model in use (Poisson).
        #expect(analysis.forecast().model == .poisson)
        let automatic = CountTrend.analyze(Self.series([20, 21, 19, 22, 20, 21, 23, 22]))
        #expect(automatic.model == .poisson && automatic.notes == [.autoPoissonNotOverdispersed])
    }

    @Test func iterationLimitIsReported() {
        let analysis = CountTrend.analyze(Self.series([3, 9, 4, 15, 8]), options: CountTrendOptions(maximumIterations: 1))
        #expect(analysis.notes == [.fitDidNotConverge])
        #expect(analysis.poisson == nil)
    }

    /// Input order does not matter; gaps keep their true years.
    @Test func orderAndGaps() throws {
        let years = [2015, 2016, 2019, 2020, 2023]
        let counts = [12, 9, 8, 5, 3]
        let observations = zip(years, counts).map { CountTrendObservation(year: $0, count: $1) }
        let sorted = CountTrend.analyze(observations)
        let shuffled = CountTrend.analyze(observations.reversed())
        #expect(sorted == shuffled)
        let compact = CountTrend.analyze(counts.enumerated().map { CountTrendObservation(year: 2015 + $0.offset, count: $0.element) })
        // Same counts on consecutive years give a different (steeper) annual slope.
        let gapped = try #require(sorted.poisson?.slope.estimate)
        let consecutive = try #require(compact.poisson?.slope.estimate)
        #expect(gapped > consecutive)
        let forecast = sorted.forecast()
        #expect(forecast.year == 2024)
        #expect(forecast.targetMax == 2)
    }

    @Test func forecastArguments() throws {
        let populations: [Double] = [5000, 5100, 5200, 5300, 5400]
        let analysis = CountTrend.analyze(Self.series([10, 14, 9, 16, 12], populations: populations))
        let baseline = analysis.forecast()
        #expect(baseline.targetMax == 11)
        let custom = analysis.forecast(targetMax: 30)
        #expect(custom.targetMax == 30)
        #expect((custom.probabilityOfMeetingTarget ?? 0) > (baseline.probabilityOfMeetingTarget ?? 1))
        let invalid = analysis.forecast(targetMax: -1)
        #expect(invalid.notes == [.invalidTarget])
        #expect(invalid.targetMax == nil && invalid.probabilityOfMeetingTarget == nil && invalid.mean != nil)
        // Doubling the population doubles the expected count.
        let doubled = analysis.forecast(population: 10_800)
        #expect(abs((doubled.mean ?? 0) / (baseline.mean ?? 1) - 2) < 1e-12)
        for bad in [0, -1, Double.nan, Double.infinity] {
            let forecast = analysis.forecast(population: bad)
            #expect(forecast.notes == [.invalidForecastPopulation] && forecast.mean == nil)
        }
        // Without populations the argument is ignored.
        let plain = CountTrend.analyze(Self.series([10, 14, 9, 16, 12]))
        #expect(plain.forecast(population: 1e9) == plain.forecast())
    }

    /// Invariants of every forecast: intervals ordered and containing the mean's integer part,
    /// the mixture at least as wide as the plug-in interval, probabilities in [0, 1].
    @Test(arguments: [CountTrendModel.poisson, .quasipoisson, .negbin])
    func forecastInvariants(_ model: CountTrendModel) throws {
        let counts = [4, 9, 3, 12, 7, 15, 6, 18, 11, 22, 9, 25]
        let analysis = CountTrend.analyze(Self.series(counts))
        let forecast = analysis.forecast(model: model)
        let plugIn = try #require(forecast.plugInPredictionInterval)
        let mixture = try #require(forecast.predictionInterval)
        let meanInterval = try #require(forecast.meanInterval)
        let mean = try #require(forecast.mean)
        #expect(meanInterval.contains(mean))
        #expect(plugIn.contains(Int(mean)))
        #expect(mixture.lowerBound <= plugIn.lowerBound && mixture.upperBound >= plugIn.upperBound)
        let plugInP = try #require(forecast.plugInProbabilityOfMeetingTarget)
        let p = try #require(forecast.probabilityOfMeetingTarget)
        #expect((0...1).contains(plugInP) && (0...1).contains(p))
        #expect(forecast.targetMax == 23)
    }

    /// Hostile magnitudes: counts at the limit with a steep trend, wildly different
    /// populations, near-separated zeros. Every call returns (quickly) with values or reasons.
    @Test func hostileMagnitudesNeverTrapOrHang() {
        let start = Date()
        let cases: [[CountTrendObservation]] = [
            Self.series([1, 10, 100, 1000, 10_000, 100_000, 1_000_000, CountTrend.maximumCount]),
            Self.series([CountTrend.maximumCount, 1, CountTrend.maximumCount, 1]),
            Self.series([0, 0, 0, 0, 1, 50]),
            Self.series([1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1]),
            Self.series([5, 6, 7], populations: [1e-300, 1, 1e300]),
            Self.series([5, 6, 7, 8], populations: [1e-10, 1e10, 1e-10, 1e10]),
            Self.series(Array(repeating: CountTrend.maximumCount, count: 20)),
            [CountTrendObservation(year: 1000, count: 1), CountTrendObservation(year: 1500, count: 0),
             CountTrendObservation(year: 2000, count: 2)],
        ]
        for observations in cases {
            for model in CountTrendModel.allCases {
                let analysis = CountTrend.analyze(observations, model: model)
                let values = [analysis.annualRateRatio, analysis.annualRateRatioLower, analysis.annualRateRatioUpper,
                              analysis.modelP, analysis.dispersion, analysis.theta]
                #expect(values.allSatisfy { $0.map(\.isFinite) ?? true }, "\(observations.map(\.count)): non-finite value")
                if analysis.model == nil { #expect(!analysis.notes.isEmpty) }
                let forecast = analysis.forecast()
                let numbers = [forecast.mean, forecast.linearPredictor, forecast.linearPredictorStandardError,
                               forecast.probabilityOfMeetingTarget, forecast.plugInProbabilityOfMeetingTarget]
                #expect(numbers.allSatisfy { $0.map(\.isFinite) ?? true })
                if forecast.predictionInterval == nil { #expect(!forecast.notes.isEmpty) }
            }
        }
        #expect(Date().timeIntervalSince(start) < 10)
    }

    /// Absurd populations give φ̂ ≈ 2.5e20: the quasi-Poisson interval overflows (upper end `nil`
    /// = +∞, with a note) and no forecast is attempted; exact exponential growth to the count
    /// limit puts the next year's interval beyond 10⁸ cases.
    @Test func overflowingIntervalsAreReportedNotInfinite() throws {
        let wild = CountTrend.analyze(Self.series([5, 6, 7, 8], populations: [1e-10, 1e10, 1e-10, 1e10]), model: .quasipoisson)
        #expect(wild.model == .quasipoisson)
        #expect(wild.annualRateRatioUpper == nil && wild.annualRateRatioLower != nil)
        #expect(wild.notes == [.rateRatioIntervalUnbounded])
        #expect(try #require(wild.quasiPoisson).waldInterval.upper == nil)
        let forecast = wild.forecast()
        #expect(forecast.notes == [.dispersionTooLarge] && forecast.mean == nil && forecast.model == .quasipoisson)

        let growth = CountTrend.analyze(Self.series([1, 10, 100, 1000, 10_000, 100_000, 1_000_000, CountTrend.maximumCount]))
        let next = growth.forecast()
        #expect(abs((next.mean ?? 0) / 1e8 - 1) < 1e-9)
        #expect(next.notes == [.forecastOutOfRange])
        #expect(next.predictionInterval == nil && next.plugInPredictionInterval == nil)
        #expect(next.probabilityOfMeetingTarget == 0 && next.targetMax == 9_500_000)
    }

    /// 96-point check and Gauss–Kronrod fallback: for five small counts under quasi-Poisson
    /// (se_η = 1.93, φ̂ = 7.8) the 64-point rule alone is off by ~3e-6 at y = 1 and by ~3e-4 at
    /// y = 97 (R `integrate`: 0.5634824726, and F_mix(97) = 0.97530 ≥ 0.975 so the PI ends at 97).
    @Test func mixtureFallsBackWhenGaussHermiteCannotResolveTheIntegrand() throws {
        let analysis = CountTrend.analyze(Self.series([1, 1, 9, 0, 1], firstYear: 2021,
                                                      populations: [10773, 10823, 10889, 11071, 11413]))
        let forecast = analysis.forecast(model: .quasipoisson, targetMax: 1)
        let eta = try #require(forecast.linearPredictor)
        let se = try #require(forecast.linearPredictorStandardError)
        let phi = try #require(analysis.quasiPoisson?.dispersion)
        let mixture = PredictiveMixture(family: .quasiPoisson(dispersion: phi), linearPredictor: eta, standardError: se)
        let gaussHermite = GaussHermiteRule.sixtyFourPoint.expectationOverStandardNormal { u in
            PredictiveFamily.quasiPoisson(dispersion: phi).distribution(mean: exp(eta + se * u)).cdf(1)
        }
        #expect(abs(gaussHermite - 0.5634824726134) > 1e-6)
        #expect(abs(mixture.cdf(1) - 0.5634824726134) < 1e-9)
        #expect(abs((forecast.probabilityOfMeetingTarget ?? 0) - 0.5634824726134) < 1e-9)
        #expect(forecast.predictionInterval == 0...97)
    }

    @Test func adaptiveGaussKronrodIntegratesSharpFeatures() {
        // Polynomials: K15 is exact to degree 29 on one interval.
        let cubic = AdaptiveGaussKronrod.integrate(from: -1, to: 2) { $0 * $0 * $0 - $0 }
        #expect(abs(cubic - (16.0 / 4 - 4.0 / 2 - (1.0 / 4 - 1.0 / 2))) < 1e-14)
        // E[Φ((Z − a)/s)] = Φ(−a/√(1 + s²)) for a steep sigmoid (s = 0.01).
        let a = 0.7
        let s = 0.01
        let value = AdaptiveGaussKronrod.integrate(from: -12, to: 12) { u in
            NormalDistribution.cdf((u - a) / s) * NormalDistribution.density(u)
        }
        #expect(abs(value - NormalDistribution.cdf(-a / (1 + s * s).squareRoot())) < 1e-12)
    }

    @Test func notesHaveTextInBothLanguages() {
        let notes: [CountModelNote] = [
            .invalidOptions, .tooFewYears(2), .negativeCount(year: 2020), .countTooLarge(year: 2020), .duplicateYear(2020),
            .yearSpanTooLarge, .invalidPopulation(year: 2020), .populationIncomplete, .noEvents, .eventsOnlyInEndYear(2020),
            .fitDidNotConverge, .numericallySingular, .noResidualVariation, .noOverdispersion,
            .negativeBinomialDidNotConverge, .autoPoissonNotOverdispersed, .autoPoissonOverdispersionNotSignificant,
            .autoNegativeBinomial, .autoQuasiPoisson, .profileIntervalUnavailable, .noForecastWithoutModel,
            .invalidTarget, .invalidForecastPopulation, .rateRatioIntervalUnbounded, .dispersionTooLarge, .forecastOutOfRange,
        ]
        #expect(Set(notes.map(\.english)).count == notes.count)
        #expect(Set(notes.map(\.vietnamese)).count == notes.count)
        for note in notes {
            #expect(!note.english.isEmpty && note.vietnamese != note.english)
            #expect(note.vietnamese == note.vietnamese.precomposedStringWithCanonicalMapping, "NFC: \(note)")
        }
        #expect(CountModelNote.noEvents.vietnamese.contains("không có vụ việc"))
    }
}
