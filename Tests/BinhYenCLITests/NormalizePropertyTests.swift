import Foundation
import PropertyBased
import Testing

/// Issue 9 invariant: `normalize`, then reading its output again, gives the same panel: the
/// second `normalize` prints the same rows (only the `source` column, which names the file
/// read, differs). Generated communes mix yearly and monthly villages, zeros, missing years and
/// monthly villages whose last months are missing (incomplete years, `missing_periods`).
@Suite("normalize round trip (property-based)")
struct NormalizePropertyTests {
    static let villages = ["Thôn Hòa Bình", "Xóm Thủy Lợi", "Thôn Đông", "Tổ dân phố Quế Lâm"]
    static let measures = [("Tội phạm về TTXH", "Số vụ"), ("TNGT", "Số người chết"), ("Cháy, nổ", "Số vụ")]
    static let years = 2022...2025

    /// A count 0–30 or missing (nil) per village, measure and year; whether each village reports
    /// by month; how many of its last months are missing (0–2).
    static let samples = zip(
        Gen<Int?>.frequency((1, Gen.always(nil)), (1, Gen.always(0)), (3, Gen.int(in: 1...30).map { Optional($0) }))
            .array(of: villages.count * measures.count * years.count),
        Gen.bool.array(of: villages.count),
        Gen.int(in: 0...2).array(of: villages.count))

    static func csv(_ counts: [Int?], monthly: [Bool], gaps: [Int]) -> String {
        var text = "Xã,Thôn,Năm,Tháng,Lĩnh vực,Chỉ tiêu,Số lượng,Dân số\n"
        for (v, village) in villages.enumerated() {
            for (m, measure) in measures.enumerated() {
                for (y, year) in years.enumerated() {
                    let prefix = "Xã Hòa An,\(village),\(year)"
                    let cell = "\"\(measure.0)\",\(measure.1)"
                    let population = 900 + 100 * v
                    guard let count = counts[(v * measures.count + m) * years.count + y] else {
                        text += "\(prefix),,\(cell),,\(population)\n"
                        continue
                    }
                    if monthly[v] {
                        for month in 1...(12 - gaps[v]) {
                            text += "\(prefix),\(month),\(cell),\(count / 12 + (month <= count % 12 ? 1 : 0)),\(population)\n"
                        }
                    } else {
                        text += "\(prefix),,\(cell),\(count),\(population)\n"
                    }
                }
            }
        }
        return text
    }

    /// The rows of a `normalize` CSV without the `source` column (the last one).
    static func rowsWithoutSource(_ output: String) -> [String] {
        output.split(separator: "\n").map { line in
            line.range(of: ",", options: .backwards).map { String(line[..<$0.lowerBound]) } ?? String(line)
        }
    }

    @Test func normalizedOutputReadsBackToTheSamePanel() async throws {
        let dir = try CLIRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        await propertyCheck(count: 6, input: Self.samples) { counts, monthly, gaps in
            let input = dir.appendingPathComponent("input.csv")
            let normalized = dir.appendingPathComponent("normalized.csv")
            try Data(Self.csv(counts, monthly: monthly, gaps: gaps).utf8).write(to: input)
            let first = try CLIRunner.run(["normalize", input.path, "--format", "csv", "--output", normalized.path, "--quiet"])
            #expect(first.status == 0, "\(first.stderr)")
            let again = try CLIRunner.run(["normalize", normalized.path, "--format", "csv", "--quiet"])
            #expect(again.status == 0, "\(again.stderr)")
            let written = try String(contentsOf: normalized, encoding: .utf8)
            #expect(Self.rowsWithoutSource(written) == Self.rowsWithoutSource(again.stdout))
            // Every village-year with a value is a row; a missing year is no row (never a 0).
            #expect(Self.rowsWithoutSource(written).count == 1 + counts.compactMap { $0 }.count)
            // A monthly village with missing months has incomplete years, and they survive the round trip.
            let perVillage = Self.measures.count * Self.years.count
            let incomplete = Self.villages.indices.contains { v in
                monthly[v] && gaps[v] > 0 && counts[(v * perVillage)..<((v + 1) * perVillage)].contains { $0 != nil }
            }
            #expect(written.contains(",false,") == incomplete)
            #expect(again.stdout.contains(",false,") == incomplete)
        }
    }
}
