import BinhYenStats
import Foundation
import Testing

/// The public golden aberration cases (`farrington_monthly`, `cusum_ewma_monthly`; R 4.2.2,
/// surveillance 1.20.3) against the Stats API, including surveillance's per-time-point
/// internals. Tolerances from the files: Farrington rel 1e-8 / abs 1e-10 (our glm.fit emulation
/// is expected to reach it; `loose_rel` 1e-4 is not used), CUSUM/EWMA rel 1e-10 / abs 1e-12;
/// alarms, trend flags and integer bounds exactly.
@Suite("golden aberration cases")
struct AberrationGoldenTests {
    struct Golden {
        let json: [String: Any]
        let counts: [Int?]

        init(_ name: String) throws {
            let object = try JSONSerialization.jsonObject(with: FixtureSupport.data("golden/\(name).expected.json"))
            json = try #require(object as? [String: Any])
            let csv = String(decoding: try FixtureSupport.data("golden/\(name).input.csv"), as: UTF8.self)
            counts = csv.split(separator: "\n").dropFirst().map { line in
                Int(line.split(separator: ",", omittingEmptySubsequences: false).last.map(String.init) ?? "")
            }
        }

        func section(_ path: String...) throws -> [String: Any] {
            var current: Any = json
            for key in path { current = try #require((current as? [String: Any])?[key], "missing \(key)") }
            return try #require(current as? [String: Any])
        }

        var tolerance: Tolerance {
            let values = (json["case"] as? [String: Any])?["tolerance"] as? [String: Any]
            return Tolerance(relative: (values?["rel"] as? NSNumber)?.doubleValue ?? 0,
                             absolute: (values?["abs"] as? NSNumber)?.doubleValue ?? 0)
        }
    }

    static func numbers(_ any: Any?) -> [Double?] {
        (any as? [Any] ?? []).map { ($0 as? NSNumber)?.doubleValue }
    }

    static func flags(_ any: Any?) -> [Bool?] {
        (any as? [Any] ?? []).map { ($0 as? NSNumber)?.boolValue }
    }

    @Test func algoFarrington() throws {
        let golden = try Golden("farrington_monthly")
        let expected = try golden.section("golden", "algo_farrington")
        let options = FarringtonOptions(variant: .original, yearsBack: 3, halfWindow: 2)
        let points = try FarringtonDetector.run(counts: golden.counts, frequency: 12, monitored: 38..<96, options: options)
        var tally = ErrorTally("algo.farrington", golden.tolerance)
        let upper = Self.numbers(expected["upperbound"])
        let alarms = Self.flags(expected["alarm"])
        let trend = Self.flags(expected["trend_used"])
        let pdQ = Self.numbers(expected["pd_q"])
        let pdMedian = Self.numbers(expected["pd_median"])
        #expect(points.count == 58)
        for (i, point) in points.enumerated() {
            tally.check(point.upperBound, upper[i], "upperbound k=\(point.index + 1)")
            #expect(point.alarm == alarms[i], "alarm k=\(point.index + 1)")
            #expect(point.trendUsed == trend[i], "trend k=\(point.index + 1)")
            tally.check(point.pValue.map { 1 - $0 }, pdQ[i], "pd_q k=\(point.index + 1)")
            tally.check(point.expected, pdMedian[i], "pd_median k=\(point.index + 1)")
        }
        let details = try #require(golden.json["golden"].flatMap { ($0 as? [String: Any])?["algo_farrington_per_timepoint_detail"] } as? [[String: Any]])
        for (detail, point) in zip(details, points) {
            tally.check(point.dispersion, (detail["phi"] as? NSNumber)?.doubleValue, "phi k=\(point.index + 1)")
            tally.check(point.expected, (detail["mu0"] as? NSNumber)?.doubleValue, "mu0 k=\(point.index + 1)")
            tally.check(point.predictionStandardError, (detail["se_mu0"] as? NSNumber)?.doubleValue, "se k=\(point.index + 1)")
            #expect(point.baselineSize == (detail["wtime"] as? [Any])?.count)
        }
        tally.finish()
    }

    @Test func farringtonFlexible() throws {
        let golden = try Golden("farrington_monthly")
        let expected = try golden.section("golden", "farringtonFlexible")
        let options = FarringtonOptions(variant: .flexible, yearsBack: 3, halfWindow: 2, pastPeriodsNotIncluded: 2)
        let points = try FarringtonDetector.run(counts: golden.counts, frequency: 12, monitored: 38..<96, options: options)
        var tally = ErrorTally("farringtonFlexible", golden.tolerance)
        let columns: [(String, (FarringtonPoint) -> Double?)] = [
            ("upperbound", \.upperBound), ("expected", \.expected), ("score", \.score), ("pvalue", \.pValue),
            ("mu0Vector", \.mu0Quantile), ("phiVector", \.dispersion), ("trendVector", \.trendCoefficient),
        ]
        for (name, value) in columns {
            let want = Self.numbers(expected[name])
            for (i, point) in points.enumerated() {
                tally.check(value(point), want[i], "\(name) k=\(point.index + 1)")
            }
        }
        let alarms = Self.flags(expected["alarm"])
        let trend = Self.numbers(expected["trend"])
        for (i, point) in points.enumerated() {
            #expect(point.alarm == alarms[i], "alarm k=\(point.index + 1)")
            #expect((point.trendUsed == true ? 1.0 : 0.0) == trend[i], "trend k=\(point.index + 1)")
        }
        let details = try #require(golden.json["golden"].flatMap { ($0 as? [String: Any])?["farringtonFlexible_per_timepoint_detail"] } as? [[String: Any]])
        for (detail, point) in zip(details, points) {
            tally.check(point.standardErrorDispersion, (detail["dispersion_used_for_se_and_trend_test"] as? NSNumber)?.doubleValue,
                        "phi* k=\(point.index + 1)")
            tally.check(point.predictionStandardError, (detail["se_mu0"] as? NSNumber)?.doubleValue, "se k=\(point.index + 1)")
            #expect(point.baselineSize == (detail["wtime"] as? [Any])?.count)
        }
        tally.finish()
    }

    @Test func cusumPoissonCusumAndEWMA() throws {
        let golden = try Golden("cusum_ewma_monthly")
        let tolerance = golden.tolerance
        let mean = try ControlCharts.baselineMean(counts: golden.counts, before: 72)
        #expect(mean == 5)
        let cusum = try golden.section("golden", "algo_cusum_standard")
        let chart = try ControlCharts.cusum(counts: golden.counts, monitored: 72..<96, means: Array(repeating: mean, count: 24))
        for (i, point) in chart.enumerated() {
            expectClose(point.statistic, Self.numbers(cusum["cusum"])[i], tolerance, "cusum \(i)")
            #expect(point.alarm == Self.flags(cusum["alarm"])[i])
            #expect(point.upperBound == Self.numbers(cusum["upperbound"])[i])
        }
        let poisson = try golden.section("golden", "poisson_cusum")
        let lucas = try ControlCharts.poissonCUSUM(counts: golden.counts, monitored: 72..<96, mu0: mean, mu1: 1.5 * mean, h: 4)
        expectClose(ControlCharts.poissonReferenceValue(mu0: mean, mu1: 1.5 * mean), (poisson["k"] as? NSNumber)?.doubleValue, tolerance, "k")
        for (i, point) in lucas.enumerated() {
            expectClose(point.statistic, Self.numbers(poisson["S"])[i], tolerance, "S \(i)")
            #expect(point.alarm == Self.flags(poisson["alarm"])[i])
        }
        let ewma = try golden.section("golden", "poisson_ewma")
        let chartEWMA = try ControlCharts.poissonEWMA(counts: golden.counts, monitored: 72..<96, mu0: mean, lambda: 0.2, width: 2.7)
        for (i, point) in chartEWMA.enumerated() {
            expectClose(point.statistic, Self.numbers(ewma["Z"])[i], tolerance, "Z \(i)")
            expectClose(point.limit, Self.numbers(ewma["ucl"])[i], tolerance, "ucl \(i)")
            expectClose(point.lowerLimit, Self.numbers(ewma["lcl"])[i], tolerance, "lcl \(i)")
            #expect(point.alarm == Self.flags(ewma["alarm_high"])[i])
            #expect(point.lowAlarm == Self.flags(ewma["alarm_low"])[i])
        }
    }
}
