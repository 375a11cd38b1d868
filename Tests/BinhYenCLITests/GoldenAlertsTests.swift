import Foundation
import Testing

/// End-to-end: aberration references through `binhyen alerts --format json` — the public golden
/// cases (`farrington_monthly`, `cusum_ewma_monthly`; surveillance 1.20.3) and the broader
/// surveillance fixtures of `Tests/FixtureScripts/alerts/gen_surveillance_fixtures.R` (weekly,
/// NB plug-in, muan, population offset, no trend, seasonal factor, CUSUM transforms and GLM
/// baseline). Tolerance rel 1e-8 / abs 1e-10 for Farrington (the golden file's `rel`/`abs`),
/// rel 1e-10 / abs 1e-12 for the charts; alarms, trend flags and integer bounds exactly.
@Suite("aberration references through the CLI")
struct GoldenAlertsTests {
    typealias Record = [String: Any]

    /// A series as a long CSV of one commune: month or week rows, optional population.
    static func writeInput(counts: [Int], firstYear: Int, frequency: Int, population: [Int]?, in directory: URL,
                           name: String) throws -> URL {
        let period = frequency == 12 ? "month" : "week"
        var csv = "commune,year,\(period),category,metric,count\(population == nil ? "" : ",population")\n"
        for (offset, count) in counts.enumerated() {
            let year = firstYear + offset / frequency
            let number = offset % frequency + 1
            csv += "Golden,\(year),\(number),crime,cases,\(count)"
            if let population { csv += ",\(population[offset])" }
            csv += "\n"
        }
        let url = directory.appendingPathComponent("\(name).csv")
        try csv.write(to: url, atomically: true, encoding: .utf8)
        return url
    }

    /// `2021-03` or `2021-W04` for the 1-based `index`.
    static func label(_ index: Int, firstYear: Int, frequency: Int) -> String {
        let year = firstYear + (index - 1) / frequency
        let number = (index - 1) % frequency + 1
        let two = number < 10 ? "0\(number)" : "\(number)"
        return frequency == 12 ? "\(year)-\(two)" : "\(year)-W\(two)"
    }

    /// Runs `alerts` on the series over indices `first…last` and returns the JSON rows.
    static func run(counts: [Int], firstYear: Int, frequency: Int, population: [Int]? = nil, first: Int, last: Int,
                    arguments: [String]) throws -> [Record] {
        let directory = try CLIRunner.temporaryDirectory()
        let input = try writeInput(counts: counts, firstYear: firstYear, frequency: frequency, population: population,
                                   in: directory, name: "series")
        let range = "\(label(first, firstYear: firstYear, frequency: frequency)):\(label(last, firstYear: firstYear, frequency: frequency))"
        let result = try CLIRunner.run(["alerts", input.path, "--format", "json", "--quiet", "--range", range] + arguments)
        #expect(result.status == 0, "\(arguments): \(result.stderr)")
        return try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [Record])
    }

    static func number(_ any: Any?) -> Double? {
        guard let value = any as? NSNumber, !(any is NSNull) else { return nil }
        return value.doubleValue
    }

    static func numbers(_ any: Any?) -> [Double?] { (any as? [Any] ?? []).map { number($0) } }
    static func flags(_ any: Any?) -> [Bool?] { (any as? [Any] ?? []).map { ($0 as? NSNumber)?.boolValue } }

    /// Counts value comparisons and reports the largest relative error.
    struct Tally {
        let name: String
        let rel: Double
        let abs: Double
        var compared = 0
        var largest = 0.0
        var failures: [String] = []

        mutating func check(_ got: Double?, _ want: Double?, _ label: String) {
            compared += 1
            switch (got, want) {
            case (nil, nil): return
            case let (got?, want?):
                if want != 0 { largest = max(largest, Swift.abs(got - want) / Swift.abs(want)) }
                if Swift.abs(got - want) > max(abs, rel * Swift.abs(want)) { failures.append("\(label): got \(got), expected \(want)") }
            default:
                failures.append("\(label): got \(String(describing: got)), expected \(String(describing: want))")
            }
        }

        mutating func same<T: Equatable>(_ got: T?, _ want: T?, _ label: String) {
            compared += 1
            if got != want { failures.append("\(label): got \(String(describing: got)), expected \(String(describing: want))") }
        }

        func finish(sourceLocation: SourceLocation = #_sourceLocation) {
            print("[\(name)] compared \(compared) values; largest relative error \(largest); failures \(failures.count)")
            #expect(compared > 0, sourceLocation: sourceLocation)
            #expect(failures.isEmpty, "\(name): \(failures.prefix(6).joined(separator: "; "))", sourceLocation: sourceLocation)
        }
    }

    /// Compares farringtonFlexible outputs. Where surveillance has no upper bound (too few recent
    /// cases) BinhYen still reports its threshold: only the absence of an alarm is checked there.
    static func checkFlexible(_ rows: [Record], _ outputs: Record, _ tally: inout Tally) {
        let upper = numbers(outputs["upperbound"])
        let expected = numbers(outputs["expected"])
        let columns = [("score", "score"), ("pvalue", "p_value"), ("mu0Vector", "mu0_quantile"), ("phiVector", "dispersion"),
                       ("trendVector", "trend_coefficient")]
        let alarms = flags(outputs["alarm"])
        let trend = numbers(outputs["trend"])
        #expect(rows.count == alarms.count)
        for (i, row) in rows.enumerated() where i < alarms.count {
            let at = "\(row["period"] ?? "")"
            if upper[i] != nil {
                tally.check(number(row["upper"]), upper[i], "upper \(at)")
                tally.check(number(row["expected"]), expected[i], "expected \(at)")
            } else {
                tally.same(row["reason"] as? String == "above_threshold", false, "no alarm without enough cases \(at)")
            }
            for (theirs, ours) in columns {
                tally.check(number(row[ours]), numbers(outputs[theirs])[i], "\(ours) \(at)")
            }
            tally.same(row["alarm"] as? Bool, alarms[i], "alarm \(at)")
            tally.same(row["trend_used"] as? Bool, trend[i].map { $0 == 1 }, "trend \(at)")
        }
    }

    /// Compares algo.farrington outputs (its upper bound is 0 when there are too few recent cases).
    static func checkOriginal(_ rows: [Record], _ outputs: Record, _ tally: inout Tally) {
        let upper = numbers(outputs["upperbound"])
        let alarms = flags(outputs["alarm"])
        let trend = flags(outputs["trend_used"])
        let pdQ = numbers(outputs["pd_q"])
        let median = numbers(outputs["pd_median"])
        #expect(rows.count == alarms.count)
        for (i, row) in rows.enumerated() where i < alarms.count {
            let at = "\(row["period"] ?? "")"
            let enough = (number(row["recent_cases"]) ?? 0) >= 5
            if enough { tally.check(number(row["upper"]), upper[i], "upper \(at)") } else { tally.same(upper[i], 0, "upper 0 \(at)") }
            tally.check(number(row["p_value"]).map { 1 - $0 }, pdQ[i], "pd_q \(at)")
            tally.check(number(row["expected"]), median[i], "pd_median \(at)")
            tally.same(row["alarm"] as? Bool, alarms[i], "alarm \(at)")
            tally.same(row["trend_used"] as? Bool, trend[i], "trend \(at)")
        }
    }

    static func goldenCounts(_ name: String) throws -> [Int] {
        let csv = try String(contentsOf: CLIRunner.fixture("golden/\(name).input.csv"), encoding: .utf8)
        return csv.split(separator: "\n").dropFirst().compactMap { line in
            line.split(separator: ",").last.flatMap { Int($0) }
        }
    }

    static func golden(_ name: String) throws -> Record {
        let object = try JSONSerialization.jsonObject(with: Data(contentsOf: CLIRunner.fixture("golden/\(name).expected.json")))
        return try #require((object as? Record)?["golden"] as? Record)
    }

    @Test func goldenAlgoFarrington() throws {
        let counts = try Self.goldenCounts("farrington_monthly")
        let rows = try Self.run(counts: counts, firstYear: 2018, frequency: 12, first: 39, last: 96,
                                arguments: ["--method", "farrington", "--b", "3", "--w", "2"])
        var tally = Tally(name: "golden algo.farrington (CLI)", rel: 1e-8, abs: 1e-10)
        Self.checkOriginal(rows, try #require(try Self.golden("farrington_monthly")["algo_farrington"] as? Record), &tally)
        tally.finish()
    }

    @Test func goldenFarringtonFlexible() throws {
        let counts = try Self.goldenCounts("farrington_monthly")
        let rows = try Self.run(counts: counts, firstYear: 2018, frequency: 12, first: 39, last: 96,
                                arguments: ["--method", "farrington-flexible", "--b", "3", "--w", "2", "--past-excluded", "2"])
        var tally = Tally(name: "golden farringtonFlexible (CLI)", rel: 1e-8, abs: 1e-10)
        Self.checkFlexible(rows, try #require(try Self.golden("farrington_monthly")["farringtonFlexible"] as? Record), &tally)
        tally.finish()
        #expect(rows.filter { $0["alarm"] as? Bool == true }.map { $0["period"] as? String } == ["2022-03", "2025-07", "2025-08", "2025-10"])
    }

    @Test func goldenCUSUMAndPoissonCharts() throws {
        let counts = try Self.goldenCounts("cusum_ewma_monthly")
        let golden = try Self.golden("cusum_ewma_monthly")
        var tally = Tally(name: "golden CUSUM/EWMA (CLI)", rel: 1e-10, abs: 1e-12)
        let cusum = try #require(golden["algo_cusum_standard"] as? Record)
        let rows = try Self.run(counts: counts, firstYear: 2018, frequency: 12, first: 73, last: 96, arguments: ["--method", "cusum"])
        for (i, row) in rows.enumerated() {
            tally.check(Self.number(row["score"]), Self.numbers(cusum["cusum"])[i], "cusum \(i)")
            tally.check(Self.number(row["upper"]), Self.numbers(cusum["upperbound"])[i], "upperbound \(i)")
            tally.check(Self.number(row["expected"]), 5, "m \(i)")
            tally.same(row["alarm"] as? Bool, Self.flags(cusum["alarm"])[i], "alarm \(i)")
        }
        let lucas = try #require(golden["poisson_cusum"] as? Record)
        let lucasRows = try Self.run(counts: counts, firstYear: 2018, frequency: 12, first: 73, last: 96,
                                     arguments: ["--method", "poisson-cusum", "--h", "4", "--shift", "1.5"])
        for (i, row) in lucasRows.enumerated() {
            tally.check(Self.number(row["score"]), Self.numbers(lucas["S"])[i], "S \(i)")
            tally.same(row["alarm"] as? Bool, Self.flags(lucas["alarm"])[i], "alarm \(i)")
        }
        let ewma = try #require(golden["poisson_ewma"] as? Record)
        let ewmaRows = try Self.run(counts: counts, firstYear: 2018, frequency: 12, first: 73, last: 96,
                                    arguments: ["--method", "poisson-ewma", "--lambda", "0.2", "--L", "2.7"])
        for (i, row) in ewmaRows.enumerated() {
            tally.check(Self.number(row["score"]), Self.numbers(ewma["Z"])[i], "Z \(i)")
            tally.check(Self.number(row["score_limit"]), Self.numbers(ewma["ucl"])[i], "ucl \(i)")
            tally.check(Self.number(row["score_lower_limit"]), Self.numbers(ewma["lcl"])[i], "lcl \(i)")
            tally.same(row["alarm"] as? Bool, Self.flags(ewma["alarm_high"])[i], "alarm_high \(i)")
            tally.same(row["alarm_low"] as? Bool, Self.flags(ewma["alarm_low"])[i], "alarm_low \(i)")
        }
        #expect(rows.count == 24 && lucasRows.count == 24 && ewmaRows.count == 24)
        tally.finish()
    }

    static var referenceCases: [Record] {
        guard let url = try? CLIRunner.fixture("reference/surveillance_alerts.json"),
              let data = try? Data(contentsOf: url),
              let object = try? JSONSerialization.jsonObject(with: data) as? Record else { return [] }
        return object["cases"] as? [Record] ?? []
    }

    static var referenceIDs: [String] { referenceCases.compactMap { $0["id"] as? String } }

    @Test(arguments: referenceIDs)
    func surveillanceReference(_ id: String) throws {
        let item = try #require(Self.referenceCases.first { $0["id"] as? String == id })
        let counts = try #require(item["counts"] as? [Int])
        let frequency = try #require(item["freq"] as? Int)
        let firstYear = try #require(item["start_year"] as? Int)
        let range = try #require(item["range"] as? [Int])
        let arguments = try #require(item["cli"] as? [String])
        let outputs = try #require(item["outputs"] as? Record)
        let rows = try Self.run(counts: counts, firstYear: firstYear, frequency: frequency,
                                population: item["population"] as? [Int], first: range[0], last: range[1], arguments: arguments)
        #expect(rows.count == range[1] - range[0] + 1)
        switch item["algorithm"] as? String {
        case "farringtonFlexible":
            var tally = Tally(name: id, rel: 1e-8, abs: 1e-10)
            Self.checkFlexible(rows, outputs, &tally)
            tally.finish()
        case "algo.farrington":
            var tally = Tally(name: id, rel: 1e-8, abs: 1e-10)
            Self.checkOriginal(rows, outputs, &tally)
            tally.finish()
        default:
            var tally = Tally(name: id, rel: 1e-10, abs: 1e-12)
            let means = outputs["m"] as? [Any] ?? []
            for (i, row) in rows.enumerated() {
                tally.check(Self.number(row["score"]), Self.numbers(outputs["cusum"])[i], "cusum \(i)")
                tally.check(Self.number(row["upper"]), Self.numbers(outputs["upperbound"])[i], "upperbound \(i)")
                tally.check(Self.number(row["expected"]), means.isEmpty ? Self.number(outputs["m"]) : Self.number(means[i]), "m \(i)")
                tally.same(row["alarm"] as? Bool, Self.flags(outputs["alarm"])[i], "alarm \(i)")
            }
            tally.finish()
        }
    }
}
