import Foundation
import Testing

/// Real monthly data: GB car drivers killed / killed or seriously injured 1969–1984 and US
/// accidental deaths 1973–1978 (datasets/gb-us-monthly-road-deaths, R `datasets`), against the
/// farringtonFlexible alarms and upper bounds R surveillance 1.20.3 computed on the same series
/// (`reference_alarms.csv`, written with 6 decimals: tolerance abs 1e-6 + rel 1e-9; alarms exactly).
@Suite("GB/US monthly road deaths against surveillance")
struct RealDataAlertsTests {
    static let folder = CLIRunner.packageRoot.appendingPathComponent("datasets/gb-us-monthly-road-deaths")

    /// (unit code in the BinhYen file, unit and metric in the reference file).
    static let series = [("GB-DK", "GB", "car_drivers_killed"), ("GB-KSI", "GB", "car_drivers_killed_or_seriously_injured"),
                         ("US", "US", "accidental_deaths")]

    struct Reference {
        var period: String
        var upper: Double
        var alarm: Bool
    }

    /// The farringtonFlexible rows of `reference_alarms.csv` for one series, in time order.
    static func reference(unit: String, metric: String) throws -> [Reference] {
        let text = try String(contentsOf: folder.appendingPathComponent("reference_alarms.csv"), encoding: .utf8)
        var rows: [Reference] = []
        for line in text.split(separator: "\n").dropFirst() {
            // Quoted fields contain commas only inside the algorithm column; split on "," boundaries.
            let fields = line.split(separator: ",", omittingEmptySubsequences: false).map { $0.replacingOccurrences(of: "\"", with: "") }
            guard fields.count >= 9, fields[0] == unit, fields[1] == metric, fields[5].hasPrefix("farringtonFlexible"),
                  let year = Int(fields[2]), let month = Int(fields[3]) else { continue }
            // The algorithm text has commas: upperbound and alarm are the third and second fields from the end.
            guard let upper = Double(fields[fields.count - 3]) else { continue }
            rows.append(Reference(period: "\(year)-\(month < 10 ? "0" : "")\(month)", upper: upper, alarm: fields[fields.count - 2] == "1"))
        }
        return rows
    }

    @Test(arguments: series.map(\.0))
    func farringtonFlexibleMatchesSurveillance(_ code: String) throws {
        let entry = try #require(Self.series.first { $0.0 == code })
        let expected = try Self.reference(unit: entry.1, metric: entry.2)
        #expect(!expected.isEmpty)
        let input = Self.folder.appendingPathComponent("gb-us-long.csv").path
        let result = try CLIRunner.run(["alerts", input, "--commune", code, "--method", "farrington-flexible", "--b", "3", "--w", "2",
                                        "--limit54", "0,4", "--format", "json", "--quiet"])
        #expect(result.status == 0, "\(result.stderr)")
        let rows = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [[String: Any]])
        #expect(rows.count == expected.count)
        var largest = 0.0
        for (row, want) in zip(rows, expected) {
            #expect(row["period"] as? String == want.period)
            let upper = try #require((row["upper"] as? NSNumber)?.doubleValue)
            largest = max(largest, abs(upper - want.upper))
            #expect(abs(upper - want.upper) <= 1e-6 + 1e-9 * abs(want.upper), "\(code) \(want.period): upper \(upper) vs \(want.upper)")
            #expect(row["alarm"] as? Bool == want.alarm, "\(code) \(want.period): alarm")
        }
        print("[\(code)] \(rows.count) months, \(expected.filter(\.alarm).count) alarms; largest |Δupper| \(largest)")
    }

    /// The seat-belt law (31 January 1983): deaths fell, so 1983 has no high alarm for drivers
    /// killed while the December peaks of 1982 and 1984 are flagged.
    @Test func seatBeltYearHasNoHighAlarm() throws {
        let input = Self.folder.appendingPathComponent("gb-us-long.csv").path
        let result = try CLIRunner.run(["alerts", input, "--commune", "GB-DK", "--b", "3", "--w", "2", "--limit54", "0,4",
                                        "--only-alarms", "--format", "json", "--quiet"])
        let rows = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [[String: Any]])
        let periods = rows.compactMap { $0["period"] as? String }
        #expect(!periods.contains { $0.hasPrefix("1983-") })
        #expect(periods.contains("1982-12") && periods.contains("1984-12"))
    }
}
