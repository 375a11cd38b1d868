import BinhYenStats
import Testing

/// Edge cases and parameter checks of the aberration detectors and the year-end projection;
/// the values themselves are checked against R in `AberrationGoldenTests` and the CLI tests.
@Suite("aberration building blocks")
struct AberrationUnitTests {
    @Test func farringtonRejectsBadParametersAndShortHistory() {
        let counts: [Int?] = Array(repeating: 3, count: 60)
        #expect(throws: FarringtonInputError.invalidParameter(name: "b")) {
            try FarringtonDetector.run(counts: counts, frequency: 12, monitored: 50..<60,
                                       options: FarringtonOptions(variant: .original, yearsBack: 0))
        }
        #expect(throws: FarringtonInputError.invalidParameter(name: "thresholdMethod")) {
            try FarringtonDetector.run(counts: counts, frequency: 12, monitored: 50..<60,
                                       options: FarringtonOptions(variant: .original, yearsBack: 2, thresholdMethod: .muan))
        }
        #expect(throws: FarringtonInputError.invalidParameter(name: "w")) {
            try FarringtonDetector.run(counts: counts, frequency: 12, monitored: 50..<60,
                                       options: FarringtonOptions(variant: .flexible, yearsBack: 2, halfWindow: 6))
        }
        // b = 3, w = 2 needs 38 earlier months; position 37 has 37.
        #expect(throws: FarringtonInputError.historyTooShort(firstMonitored: 37, needed: 38)) {
            try FarringtonDetector.run(counts: counts, frequency: 12, monitored: 37..<60,
                                       options: FarringtonOptions(variant: .flexible, yearsBack: 3, halfWindow: 2))
        }
        #expect(throws: FarringtonInputError.invalidPopulation) {
            try FarringtonDetector.run(counts: counts, frequency: 12, monitored: 50..<60,
                                       options: FarringtonOptions(variant: .flexible, yearsBack: 2, populationOffset: true),
                                       populations: [1, 2])
        }
    }

    /// surveillance `blocks()` by hand: freq 12, b = 1, w = 1, noPeriods = 3, position 20 (R k = 21):
    /// windows 7…9 and 19…20 are level 3, the 9 months between cut into 5 + 4 (levels 1, 2), and
    /// positions 19…20 (k − pastWeeksNotIncluded … k) left out.
    @Test func seasonalFactorBlocks() {
        let options = FarringtonOptions(variant: .flexible, yearsBack: 1, halfWindow: 1, seasonalPeriods: 3)
        let points = FarringtonDetector.referencePoints(of: 20, frequency: 12, options: options)
        #expect(points.map(\.index) == Array(7...18))
        #expect(points.map(\.level) == [3, 3, 3, 1, 1, 1, 1, 1, 2, 2, 2, 2])
        let original = FarringtonDetector.referencePoints(of: 30, frequency: 12,
                                                          options: FarringtonOptions(variant: .original, yearsBack: 2, halfWindow: 1))
        #expect(original.map(\.index) == [5, 6, 7, 17, 18, 19])
        let pastIncluded = FarringtonDetector.referencePoints(
            of: 30, frequency: 12, options: FarringtonOptions(variant: .flexible, yearsBack: 2, halfWindow: 2, pastPeriodsNotIncluded: 0))
        #expect(pastIncluded.map(\.index) == [4, 5, 6, 7, 8, 16, 17, 18, 19, 20, 28, 29])
    }

    @Test func allZeroHistoryAlarmsOnlyWithEnoughCases() throws {
        var counts: [Int?] = Array(repeating: 0, count: 40)
        counts[37] = 2
        counts[38] = 6
        let options = FarringtonOptions(variant: .flexible, yearsBack: 2, halfWindow: 1)
        let points = try FarringtonDetector.run(counts: counts, frequency: 12, monitored: 36..<40, options: options)
        #expect(points[0].alarm == false && points[0].observed == 0)       // y = 0 never alarms (flexible)
        #expect(points[1].alarm == false && points[1].enoughCases == false)  // 2 cases in the last 4 months
        #expect(points[2].alarm == true && points[2].recentCases == 8)
        #expect(points.allSatisfy { ($0.expected ?? 1) < 1e-6 && $0.dispersion == 1 })
    }

    @Test func missingObservationIsNotJudged() throws {
        var counts: [Int?] = (0..<48).map { 2 + $0 % 3 }
        counts[45] = nil
        let points = try FarringtonDetector.run(counts: counts, frequency: 12, monitored: 44..<48,
                                                options: FarringtonOptions(variant: .original, yearsBack: 3, halfWindow: 1))
        #expect(points[1].status == .missingObservation && points[1].alarm == nil && points[1].score == nil)
        #expect(points[1].upperBound != nil && points[1].expected != nil)
        #expect(points[2].recentCases == counts[43...46].compactMap { $0 }.reduce(0, +))
    }

    /// The corrected mode uses the clamped φ for the standard error (as algo.farrington does).
    @Test func correctedDispersionMode() throws {
        let counts: [Int?] = [7, 8, 2, 3, 1, 2, 3, 1, 5, 3, 4, 4, 9, 13, 2, 5, 10, 6, 5, 4, 2, 2, 2, 8,
                              8, 6, 6, 4, 4, 4, 3, 2, 3, 3, 6, 6, 5, 9, 8, 4, 6, 4]
        let compatible = try FarringtonDetector.run(counts: counts, frequency: 12, monitored: 38..<42,
                                                    options: FarringtonOptions(variant: .flexible, yearsBack: 3, halfWindow: 2))
        let corrected = try FarringtonDetector.run(counts: counts, frequency: 12, monitored: 38..<42,
                                                   options: FarringtonOptions(variant: .flexible, yearsBack: 3, halfWindow: 2,
                                                                              correctedDispersion: true))
        // Golden k = 39: φ = 1.92045…, surveillance's φ* = 0.32735… (METHODS §10.5).
        #expect(abs((compatible[0].standardErrorDispersion ?? 0) - 0.327350206611571) < 1e-12)
        #expect(corrected[0].standardErrorDispersion == corrected[0].dispersion)
        #expect(abs((corrected[0].dispersion ?? 0) - 1.92045454928468) < 1e-12)
        #expect((corrected[0].upperBound ?? 0) > (compatible[0].upperBound ?? 0))
    }

    @Test func glmFitEmulatesRsStartAndRejectsBadInput() throws {
        // Intercept-only Poisson: the MLE is the mean; R stops within a few iterations.
        let design = try #require(Matrix(rows: 4, columns: 1, columnMajor: [1, 1, 1, 1]))
        let fit = try PoissonGLM.fit(design: design, response: [2, 4, 6, 8])
        #expect(fit.converged && abs(fit.fittedMeans[0] - 5) < 1e-6 && fit.residualDegreesOfFreedom == 3)
        #expect(abs(fit.hatValues.reduce(0, +) - 1) < 1e-9)
        #expect(throws: PoissonGLMFitError.invalidInput) { try PoissonGLM.fit(design: design, response: [1, -1, 2, 3]) }
        #expect(throws: PoissonGLMFitError.dimensionMismatch) { try PoissonGLM.fit(design: design, response: [1, 2]) }
        let collinear = try #require(Matrix(rowMajor: [[1, 2], [1, 2], [1, 2]]))
        #expect(throws: PoissonGLMFitError.rankDeficient) { try PoissonGLM.fit(design: collinear, response: [1, 2, 3]) }
    }

    @Test func controlChartsEdgeCases() throws {
        #expect(throws: ControlChartInputError.emptyBaseline) { try ControlCharts.baselineMean(counts: [0, 0, nil, 0, 5], before: 4) }
        let counts: [Int?] = [4, 4, 4, 4, 9, nil, 9, 0]
        let chart = try ControlCharts.poissonCUSUM(counts: counts, monitored: 4..<8, mu0: 4, mu1: 6, h: 4)
        // A missing month keeps S and has no alarm; the alarm is raised exactly when y ≥ upper.
        #expect(chart[1].alarm == nil && chart[1].statistic == chart[0].statistic)
        for point in chart { if let y = point.observed { #expect(point.alarm == (Double(y) >= point.upperBound)) } }
        let ewma = try ControlCharts.poissonEWMA(counts: counts, monitored: 4..<8, mu0: 4)
        for point in ewma { if let y = point.observed { #expect(point.alarm == (Double(y) > point.upperBound)) } }
        #expect(throws: ControlChartInputError.invalidParameter(name: "mu1")) {
            try ControlCharts.poissonCUSUM(counts: counts, monitored: 4..<8, mu0: 4, mu1: 3)
        }
        #expect(throws: ControlChartInputError.invalidParameter(name: "lambda")) {
            try ControlCharts.poissonEWMA(counts: counts, monitored: 4..<8, mu0: 4, lambda: 0)
        }
    }

    /// Jeffreys' prior only (no past level): ytd = 3 over Π = ¼ → shape 3.5, rate ¼, L = 14,
    /// m = 10.5, V = m + m²/3.5 = 42 → NB(size 3.5, mean 10.5).
    /// R: pnbinom(4, size = 3.5, mu = 10.5) = 0.16850543022155767; qnbinom(c(.05, .95)) = 2, 23.
    @Test func yearEndProjectionWithoutHistory() throws {
        let projection = try #require(YearEndProjection(yearToDate: 3, elapsedShare: 0.25, priorMean: nil))
        #expect(projection.levelMean == 14 && projection.remainingMean == 10.5 && projection.remainingVariance == 42)
        #expect(abs(projection.probabilityRemainingAtMost(4) - 0.16850543022155767) < 1e-13)
        #expect(projection.remainingQuantile(0.05) == 2 && projection.remainingQuantile(0.95) == 23)
        #expect(projection.probabilityRemainingAtMost(-1) == 0)
        let complete = try #require(YearEndProjection(yearToDate: 3, elapsedShare: 1, priorMean: 5))
        #expect(complete.remaining == nil && complete.probabilityRemainingAtMost(0) == 1 && complete.remainingQuantile(0.5) == 0)
        #expect(YearEndProjection(yearToDate: -1, elapsedShare: 0.5, priorMean: nil) == nil)
        #expect(YearEndProjection(yearToDate: 1, elapsedShare: 0, priorMean: nil) == nil)
        #expect(YearEndProjection(yearToDate: 1, elapsedShare: 0.5, priorMean: 2, dispersion: 0.5) == nil)
    }

    @Test func seasonalProfile() {
        let empty = SeasonalProfile.estimate(history: [], periods: 12)
        #expect(empty.shares == Array(repeating: 1.0 / 12, count: 12) && empty.dispersion == 1 && !empty.dispersionEstimated)
        let one = SeasonalProfile.estimate(history: [[2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2]], periods: 12)
        #expect(one.shares[0] == 2.5 / 10 && one.shares[1] == 0.5 / 10 && one.dispersion == 1 && one.years == 1)
        #expect(abs(one.shares.reduce(0, +) - 1) < 1e-15)
        // Two years of two periods, 2 2 | 0 4: E = 1 3 | 1 3, X² = 1 + ⅓ + 1 + ⅓ = 8/3 on 1 df.
        let two = SeasonalProfile.estimate(history: [[2, 2], [0, 4]], periods: 2)
        #expect(two.dispersionEstimated && abs(two.dispersion - 8.0 / 3.0) < 1e-15)
        #expect(two.shares == [2.5 / 9, 6.5 / 9])
    }
}
