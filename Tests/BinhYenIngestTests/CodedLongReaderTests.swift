import BinhYenCore
@testable import BinhYenIngest
import Foundation
import Testing

/// The fast reader of the national coded layout: the same grid whatever the pieces and threads,
/// the same values as the general reader, a decline (never a crash, never a silent repair) on
/// anything irregular, with the offending line.
struct CodedLongReaderTests {
    static let header = CodedLongReader.yearlyHeader + "\n"
    static let monthlyHeader = CodedLongReader.monthlyHeader + "\n"

    /// A clean yearly file: 3 villages in 2 communes, 3 years, 2 series, rows in file order.
    static let clean: String = {
        var text = header
        let villages = [("01", "00001", "00001001", "Thôn Đông", 1200), ("01", "00001", "00001002", "Xóm 3", 800),
                        ("02", "00004", "00004001", "Bản Nà Mò", 450)]
        for (v, village) in villages.enumerated() {
            for year in 2023...2025 {
                for (s, series) in ["crime,cases", "traffic,deaths"].enumerated() {
                    text += "\(village.0),\(village.1),\(village.2),\(village.3),\(village.4),\(year),\(series),\((v + 1) * (year - 2020) + s)\n"
                }
            }
        }
        return text
    }()

    static func file(_ text: String, _ name: String = "coded.csv") throws -> String {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("binhyen-coded-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let url = directory.appendingPathComponent(name)
        try Data(text.utf8).write(to: url)
        return url.path
    }

    static func grid(_ outcome: CodedLongReader.Outcome) throws -> CountGrid {
        guard case .grid(let grid, _) = outcome else {
            Issue.record("expected a grid, got \(outcome)")
            throw CancellationError()
        }
        return grid
    }

    @Test func readsACleanFile() throws {
        let path = try Self.file(Self.clean)
        let outcome = CodedLongReader.read(paths: [path])
        let grid = try Self.grid(outcome)
        #expect(grid.years == [2023, 2024, 2025])
        #expect(grid.measures == [Measure(.crime), Measure(.traffic, .deaths)])
        #expect(grid.villages.map(\.code) == ["00001001", "00001002", "00004001"])
        #expect(grid.villages.map(\.name) == ["Thôn Đông", "Xóm 3", "Bản Nà Mò"])
        #expect(grid.villages.map(\.provinceCode) == ["01", "01", "02"])
        #expect(grid.villages.map(\.commune) == [0, 0, 1])
        #expect(grid.communeCount == 2)
        #expect(grid.villages.map(\.population) == [1200, 800, 450])
        // Village 2, traffic.deaths, 2024: 2·4 + 1.
        #expect(grid.count(village: 1, measure: 1, year: 1) == 9)
        if case .grid(_, let accounts) = outcome {
            #expect(accounts.count == 1 && accounts[0].rowsRead == 18 && accounts[0].accepted == 18)
        }
    }

    @Test func theSameGridForAnyPiecesAndThreads() throws {
        let path = try Self.file(Self.clean)
        let reference = try Self.grid(CodedLongReader.read(paths: [path], options: IngestOptions(), concurrency: 1, pieceSize: 1 << 20))
        for pieceSize in [1, 7, 40, 61, 200] {
            for threads in [1, 2, 3] {
                let grid = try Self.grid(CodedLongReader.read(paths: [path], options: IngestOptions(), concurrency: threads, pieceSize: pieceSize))
                #expect(grid.cells == reference.cells, "pieces of \(pieceSize) bytes, \(threads) threads")
                #expect(grid.villages == reference.villages)
            }
        }
    }

    @Test func givesTheGeneralReadersValues() throws {
        let path = try Self.file(Self.clean)
        let grid = try Self.grid(CodedLongReader.read(paths: [path]))
        let general = Ingest.read(paths: [path])
        #expect(!general.hasErrors)
        for (v, village) in grid.villages.enumerated() {
            let unit = try #require(general.panel.units.firstIndex { $0.kind == .village && $0.code == village.code })
            #expect(general.panel.units[unit].name == village.name)
            for (m, measure) in grid.measures.enumerated() {
                let series = general.panel.series[SeriesKey(unit: unit, measure: measure)] ?? [:]
                for (y, year) in grid.years.enumerated() {
                    #expect(grid.count(village: v, measure: m, year: y) == series[year]?.count)
                }
                #expect(general.panel.population[unit]?[2025] == village.population)
            }
        }
    }

    @Test func acceptsBOMCRLFBlankLinesAndNoFinalLineEnd() throws {
        let reference = try Self.grid(CodedLongReader.read(paths: [try Self.file(Self.clean)]))
        let variants = [
            "\u{FEFF}" + Self.clean.replacingOccurrences(of: "\n", with: "\r\n"),
            String(Self.clean.dropLast()),
            Self.header + "\n\r\n" + Self.clean.dropFirst(Self.header.count) + "\n",
        ]
        for body in variants {
            let grid = try Self.grid(CodedLongReader.read(paths: [try Self.file(body)], options: IngestOptions(), concurrency: 2, pieceSize: 33))
            #expect(grid.cells == reference.cells)
        }
        // A row broken in two is not two rows.
        let broken = Self.clean.replacingOccurrences(of: "1200,2024,crime", with: "1200,\n2024,crime")
        guard case .declined = CodedLongReader.read(paths: [try Self.file(broken)]) else {
            Issue.record("a broken row was accepted")
            return
        }
    }

    @Test func monthlyYearsWithMissingMonthsAreIncomplete() throws {
        var text = Self.monthlyHeader
        for year in [2024, 2025] {
            for month in 1...12 where !(year == 2025 && month == 7) {
                text += "01,00001,00001001,Thôn Đông,900,\(year),\(month),fire,cases,\(month % 3)\n"
            }
        }
        let grid = try Self.grid(CodedLongReader.read(paths: [try Self.file(text)]))
        #expect(grid.count(village: 0, measure: 0, year: 0) == (1...12).reduce(0) { $0 + $1 % 3 })
        #expect(grid.cells[1] == CountGrid.incomplete)
    }

    /// (description, line to break, replacement line): each must be declined at that line.
    static let irregular: [(String, Int, String)] = [
        ("fractional count", 4, "01,00001,00001001,Thôn Đông,1200,2024,crime,cases,3.5"),
        ("negative count", 5, "01,00001,00001001,Thôn Đông,1200,2024,traffic,deaths,-1"),
        ("empty count", 6, "01,00001,00001001,Thôn Đông,1200,2025,crime,cases,"),
        ("leading zero", 3, "01,00001,00001001,Thôn Đông,1200,2023,traffic,deaths,02"),
        ("unknown category", 8, "01,00001,00001002,Xóm 3,800,2023,football,cases,1"),
        ("unknown metric", 9, "01,00001,00001002,Xóm 3,800,2024,crime,goals,1"),
        ("year out of range", 10, "01,00001,00001002,Xóm 3,800,1850,traffic,deaths,1"),
        ("quoted field", 11, "01,00001,00001002,\"Xóm 3\",800,2025,crime,cases,1"),
        ("too few fields", 12, "01,00001,00001002,Xóm 3,800,2025,crime"),
        ("extra field", 13, "01,00001,00004001,Bản Nà Mò,450,2023,crime,cases,1,9"),
        ("duplicate row", 15, "02,00004,00004001,Bản Nà Mò,450,2023,crime,cases,3"),
        ("population change within a year", 15, "02,00004,00004001,Bản Nà Mò,451,2023,traffic,deaths,4"),
        ("empty village code", 2, "01,00001,,Thôn Đông,1200,2023,crime,cases,1"),
        ("subtotal row", 19, "02,00004,00009999,Tổng cộng,450,2025,traffic,deaths,9"),
    ]

    @Test(arguments: 0..<14)
    func declinesIrregularRowsAtTheirLine(_ index: Int) throws {
        let (what, line, replacement) = Self.irregular[index]
        var lines = Self.clean.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if line - 1 < lines.count - 1 { lines[line - 1] = replacement } else { lines.insert(replacement, at: lines.count - 1) }
        let path = try Self.file(lines.joined(separator: "\n"))
        switch CodedLongReader.read(paths: [path], options: IngestOptions(), concurrency: 2, pieceSize: 50) {
        case .declined(let reason, let location):
            // Rows that repeat a cell of another piece are found when merging: the reason names
            // the village, there is no line.
            if what == "duplicate row" || what == "population change within a year" {
                #expect(location == nil || location?.line == line, "\(what): \(String(describing: location))")
                #expect(location != nil || reason.en.contains("00004001"), "\(what): \(reason.en)")
            } else {
                #expect(location?.file == path, "\(what)")
                #expect(location?.line == line, "\(what): \(String(describing: location))")
            }
        default:
            Issue.record("\(what) was not declined")
        }
        // The general reader, which the caller then uses, reports it (or reads it, for rows it accepts).
        _ = Ingest.read(paths: [path])
    }

    @Test func otherHeadersAndFoldersAreAnotherLayout() throws {
        let path = try Self.file("Xã,Thôn,Năm,Lĩnh vực,Số lượng\nXã A,Thôn 1,2025,TTXH,3\n")
        guard case .otherLayout = CodedLongReader.read(paths: [path]) else {
            Issue.record("a Vietnamese long file was taken as coded")
            return
        }
        guard case .otherLayout = CodedLongReader.read(paths: [FileManager.default.temporaryDirectory.path]) else {
            Issue.record("a folder was taken as a file")
            return
        }
        let yearly = try Self.file(Self.clean)
        let monthly = try Self.file(Self.monthlyHeader + "01,00001,00001001,A,9,2025,1,fire,cases,1\n")
        guard case .otherLayout = CodedLongReader.read(paths: [yearly, monthly]) else {
            Issue.record("yearly and monthly files were mixed")
            return
        }
    }

    @Test func twoFilesMergeAndTheSameRowTwiceIsDeclined() throws {
        let lines = Self.clean.split(separator: "\n").map(String.init)
        let first = try Self.file(([lines[0]] + lines[1..<10]).joined(separator: "\n") + "\n", "a.csv")
        let second = try Self.file(([lines[0]] + lines[10...]).joined(separator: "\n") + "\n", "b.csv")
        let whole = try Self.grid(CodedLongReader.read(paths: [try Self.file(Self.clean)]))
        let split = try Self.grid(CodedLongReader.read(paths: [first, second]))
        #expect(split.cells == whole.cells)
        let overlap = try Self.file(([lines[0]] + lines[9..<12]).joined(separator: "\n") + "\n", "c.csv")
        guard case .declined = CodedLongReader.read(paths: [first, overlap]) else {
            Issue.record("a row given in two files was counted twice")
            return
        }
    }

    /// Random damage to a clean file: the reader returns a grid or declines; it never crashes,
    /// and whenever it returns a grid, the general reader reads the same values without errors.
    @Test func randomDamageNeverCrashesAndNeverChangesValues() throws {
        var state: UInt64 = 2025
        func random(_ bound: Int) -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((state >> 33) % UInt64(bound))
        }
        let bytes = Array(Self.clean.utf8)
        let alphabet: [UInt8] = Array(",\n\r\"0123456789-. aé".utf8)
        var accepted = 0
        for _ in 0..<300 {
            var damaged = bytes
            for _ in 0..<(1 + random(3)) {
                let at = Self.header.utf8.count + random(damaged.count - Self.header.utf8.count)
                switch random(3) {
                case 0: damaged[at] = alphabet[random(alphabet.count)]
                case 1: damaged.remove(at: at)
                default: damaged.insert(alphabet[random(alphabet.count)], at: at)
                }
            }
            let path = try Self.file(String(decoding: damaged, as: UTF8.self))
            guard case .grid(let grid, _) = CodedLongReader.read(paths: [path], options: IngestOptions(), concurrency: 2, pieceSize: 97) else { continue }
            accepted += 1
            let general = Ingest.read(paths: [path])
            #expect(!general.hasErrors, "\(String(decoding: damaged, as: UTF8.self))")
            for (v, village) in grid.villages.enumerated() {
                guard let unit = general.panel.units.indices.first(where: { index in
                    let unit = general.panel.units[index]
                    return unit.kind == .village && unit.code == village.code
                        && unit.parent.map { general.panel.units[$0].code } == village.communeCode
                }) else {
                    Issue.record("village \(village.code ?? "") unknown to the general reader")
                    continue
                }
                for (m, measure) in grid.measures.enumerated() {
                    for (y, year) in grid.years.enumerated() {
                        #expect(grid.count(village: v, measure: m, year: y) == general.panel.series[SeriesKey(unit: unit, measure: measure)]?[year]?.count)
                    }
                }
            }
        }
        #expect(accepted > 0)
    }
}
