import BinhYenCore
import Foundation
import Testing
@testable import BinhYenIngest

@Suite("Panel building")
struct PanelBuilderTests {
    static let header = "Xã,Thôn,Năm,Tháng,Lĩnh vực,Số lượng,Bất khả kháng\n"

    @Test func identicalRowsAreCountedOnceWithAWarning() {
        let result = ingest(Self.header + "X,A,2024,,TTXH,3,\nX,A,2024,,TTXH,3,\n")
        #expect(result.years("A", Measure(.crime))?[2024]?.count == 3)
        let warning = result.diagnostics(.duplicateRow).first
        #expect(warning?.severity == .warning)
        #expect(warning?.location?.line == 3)
        #expect(warning?.message.en.contains("input.csv:2:6") == true)
        #expect(result.accounts[0].duplicates == 1)
        #expect(result.accounts[0].accepted == 1)
        #expect(result.accountsBalance)
        #expect(!result.hasErrors)
    }

    static let conflict = header + "X,A,2024,,TTXH,3,\nX,A,2024,,TTXH,5,1\n"

    @Test func conflictingRowsAreAnErrorAndTheFirstIsKept() {
        let result = ingest(Self.conflict)
        let error = result.diagnostics(.conflictingRow).first
        #expect(error?.severity == .error)
        #expect(error?.location?.line == 3)
        #expect(result.years("A", Measure(.crime))?[2024]?.count == 3)
        #expect(result.accounts[0].rejected == 1)
        #expect(result.accountsBalance)
    }

    @Test func conflictPolicyLast() {
        let result = ingest(Self.conflict, options: IngestOptions(onConflict: .last))
        #expect(result.diagnostics(.conflictingRow).map(\.severity) == [.note])
        let value = result.years("A", Measure(.crime))?[2024]
        #expect(value?.count == 5)
        #expect(value?.excluded == 1)
        #expect(value?.sources.map(\.line) == [3])
        #expect(!result.hasErrors)
    }

    @Test func conflictPolicySum() {
        let result = ingest(Self.conflict, options: IngestOptions(onConflict: .sum))
        let value = result.years("A", Measure(.crime))?[2024]
        #expect(value?.count == 8)
        #expect(value?.excluded == 1)
        #expect(value?.sources.map(\.line) == [2, 3])
        #expect(result.accounts[0].accepted == 2)
    }

    @Test func duplicatesAcrossFiles() {
        let first = Self.header + "X,A,2024,,TTXH,3,\n"
        let result = Ingest.read(sources: [("a.csv", Array(first.utf8)), ("b.csv", Array(first.utf8))])
        #expect(result.diagnostics(.duplicateRow).first?.location?.file == "b.csv")
        #expect(result.accounts.map(\.duplicates) == [0, 1])
        #expect(result.years("A", Measure(.crime))?[2024]?.count == 3)
    }

    @Test func monthsMakeAYearAndMissingMonthsAreListed() {
        var text = Self.header
        for month in 1...12 { text += "X,A,2023,\(month),TTXH,\(month),\n" }
        for month in [1, 2, 3, 5] { text += "X,A,2024,\(month),TTXH,1,\n" }
        text += "X,A,2024,4,TTXH,,\n"
        let result = ingest(text)
        let years = result.years("A", Measure(.crime))
        #expect(years?[2023]?.count == 78)
        #expect(years?[2023]?.isComplete == true)
        #expect(years?[2023]?.months.count == 12)
        #expect(years?[2023]?.sources.count == 12)
        #expect(years?[2024]?.count == 4)
        #expect(years?[2024]?.completeness == .incomplete(missing: ([4] + Array(6...12)).map { Subperiod.month($0) }))
        #expect(years?[2024]?.months == [1: 1, 2: 1, 3: 1, 5: 1])
    }

    @Test func aYearOfEmptyCellsIsAbsentNotZero() {
        let result = ingest(Self.header + "X,A,2024,1,TTXH,,\nX,A,2024,2,TTXH,,\nX,A,2023,,TTXH,2,\n")
        let years = result.years("A", Measure(.crime))
        #expect(years?[2024] == nil)
        #expect(years?[2023]?.count == 2)
        #expect(result.accounts[0].accepted == 3)
    }

    @Test func weekYearsAreCompleteWith52Or53Weeks() {
        var text = "Thôn,Năm,Tuần,Lĩnh vực,Số lượng\n"
        for week in 1...52 { text += "A,2023,\(week),TTXH,1\nA,2024,\(week),TTXH,1\n" }
        text += "A,2024,53,TTXH,1\n"
        for week in 1...51 { text += "A,2025,\(week),TTXH,1\n" }
        let years = ingest(text).years("A", Measure(.crime))
        #expect(years?[2023]?.isComplete == true)
        #expect(years?[2024]?.isComplete == true)
        #expect(years?[2024]?.count == 53)
        #expect(years?[2025]?.completeness == .incomplete(missing: [.week(52)]))
    }

    @Test func yearlyAndMonthlyRowsThatAgree() {
        var text = Self.header + "X,A,2024,,TTXH,12,\n"
        for month in 1...12 { text += "X,A,2024,\(month),TTXH,1,\n" }
        let result = ingest(text)
        #expect(result.diagnostics(.mixedGranularity).map(\.severity) == [.note])
        let value = result.years("A", Measure(.crime))?[2024]
        #expect(value?.count == 12)
        #expect(value?.isComplete == true)
        #expect(value?.months.count == 12)
        #expect(!result.hasErrors)
    }

    @Test func yearlyAndMonthlyRowsThatDisagree() {
        let result = ingest(Self.header + "X,A,2024,,TTXH,12,\nX,A,2024,1,TTXH,3,\nX,A,2024,2,TTXH,4,\n")
        let error = result.diagnostics(.mixedGranularity).first
        #expect(error?.severity == .error)
        #expect(error?.location?.line == 3)
        #expect(error?.message.en.contains("yearly 12, monthly 7 (incomplete)") == true)
        #expect(result.years("A", Measure(.crime))?[2024]?.count == 12)
        #expect(result.accounts[0].rejected == 2)
        #expect(result.accountsBalance)
    }

    @Test func decomposedNamesGroupWithComposedOnes() {
        // "Thôn Hòa" typed on a machine that stores combining marks (NFD).
        let decomposed = "Tho\u{0302}n Ho\u{0300}a"
        let result = ingest(Self.header + "X,Thôn Hòa,2023,,TTXH,1,\nX,\(decomposed),2024,,TTXH,2,\nX,THÔN HOÀ,2025,,TTXH,3,\n")
        let villages = result.panel.units.filter { $0.kind == .village }
        #expect(villages.count == 1)
        #expect(villages.first?.name == "Thôn Hòa")
        #expect(result.years("Thôn Hòa", Measure(.crime))?.mapValues(\.count) == [2023: 1, 2024: 2, 2025: 3])
    }

    @Test func decomposedNameSeenFirstIsDisplayedInNFC() {
        let result = ingest(Self.header + "X,Tho\u{0302}n Ho\u{0300}a,2023,,TTXH,1,\n")
        #expect(result.panel.units.last?.name == "Thôn Hòa")
        #expect(result.panel.units.last?.name.unicodeScalars.count == 8)
    }

    @Test func villageNumberingIsUnified() {
        let result = ingest(Self.header + "X,Thôn 3,2022,,TTXH,1,\nX,Thôn III,2023,,TTXH,2,\nX,thon 03,2024,,TTXH,3,\nX,Xóm 4,2024,,TTXH,3,\n")
        let villages = result.panel.units.filter { $0.kind == .village }
        #expect(villages.map(\.name) == ["Thôn 3", "Xóm 4"])
        #expect(result.years("Thôn 3", Measure(.crime))?.mapValues(\.count) == [2022: 1, 2023: 2, 2024: 3])
    }

    @Test func similarNamesAreWarnedAbout() {
        let result = ingest(Self.header + "X,Thôn Hòa,2024,,TTXH,1,\nX,Thôn Hóa,2024,,TTXH,2,\nY,Thôn Hóa,2024,,TTXH,2,\n")
        let warnings = result.diagnostics(.similarNames)
        #expect(warnings.count == 1)
        #expect(warnings.first?.message.en.contains("“Thôn Hòa”") == true)
        #expect(warnings.first?.message.en.contains("“Thôn Hóa”") == true)
        #expect(warnings.first?.location?.line == 3)
        #expect(result.panel.units.filter { $0.kind == .village }.count == 3)
    }

    @Test func defaultCommuneForFilesWithoutACommuneColumn() {
        let plain = ingest("Thôn,Năm,Lĩnh vực,Số lượng\nA,2024,TTXH,1\n")
        #expect(plain.panel.units.map(\.name) == ["Xã", "A"])
        #expect(plain.diagnostics(.missingColumn).map(\.severity) == [.note])
        let named = ingest("Thôn,Năm,Lĩnh vực,Số lượng\nA,2024,TTXH,1\n", options: IngestOptions(defaultCommune: " Tịnh  Châu "))
        #expect(named.panel.units.first?.name == "Tịnh Châu")
        #expect(named.panel.units.first?.kind == .commune)
    }

    @Test func sameVillageNameInTwoCommunesIsTwoVillages() {
        let result = ingest(Self.header + "X,Thôn 1,2024,,TTXH,1,\nY,Thôn 1,2024,,TTXH,2,\n")
        let villages = result.panel.units.indices.filter { result.panel.units[$0].kind == .village }
        #expect(villages.count == 2)
        #expect(Set(villages.compactMap { result.panel.units[$0].parent }).count == 2)
    }

    @Test func nameWithoutCodeMatchingTwoCodedVillagesIsAmbiguous() {
        let result = ingest("""
        Xã,Mã thôn,Thôn,Năm,Lĩnh vực,Số lượng
        X,001,Thôn Hạ,2024,TTXH,1
        X,002,Làng Hạ,2024,TTXH,2
        X,,Hạ,2024,TTXH,3
        X,002,,2025,TTXH,4

        """)
        let error = result.diagnostics(.ambiguousVillage).first
        #expect(error?.location == SourceLocation(file: "input.csv", line: 4, column: 3, columnName: "Thôn"))
        #expect(error?.message.en.contains("Thôn Hạ [001]") == true)
        #expect(error?.message.en.contains("Làng Hạ [002]") == true)
        #expect(result.years("Làng Hạ", Measure(.crime))?.mapValues(\.count) == [2024: 2, 2025: 4])
        #expect(result.accounts[0].rejected == 1)
    }

    @Test func observationsFromOtherReaders() {
        var builder = PanelBuilder()
        let source = SourceLocation(file: "book.xlsx", sheet: "Năm 2024", line: 4, column: 3, columnName: "TNGT")
        builder.add(Observation(commune: "Tịnh Châu", village: "Thôn 3", year: 2024, subperiod: .month(1), measure: Measure(.traffic),
                                count: 2, population: 1000, source: source))
        builder.add(Observation(commune: "Tịnh Châu", village: "thon III", year: 2024, subperiod: .month(2), measure: Measure(.traffic),
                                count: 1, excluded: 1, source: source))
        builder.add(Observation(commune: "Tịnh Châu", village: "Thôn 3", year: 2024, subperiod: .month(14), measure: Measure(.traffic),
                                count: 1, source: source))
        builder.add(Observation(commune: nil, village: "Thôn 9", year: 2024, measure: Measure(.fire), count: -1, source: source))
        let (panel, diagnostics) = builder.build()
        let village = panel.unitIndex(kind: .village, key: TextKey.unitKey("Thôn 3"), parent: 0)
        let value = village.flatMap { panel.series[SeriesKey(unit: $0, measure: Measure(.traffic))]?[2024] }
        #expect(value?.count == 3)
        #expect(value?.excluded == 1)
        #expect(value?.sources.first == source)
        #expect(panel.population[village ?? -1]?[2024] == 1000)
        #expect(diagnostics.map(\.code) == [.monthOutOfRange, .negativeCount])
        #expect(panel.scheme == .statistical)
    }

    @Test func foldersAreSearchedForDelimitedFiles() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("binhyen-ingest-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("2024"), withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let text = "Thôn,Năm,Lĩnh vực,Số lượng\nA,2023,TTXH,1\n"
        try Data(text.utf8).write(to: folder.appendingPathComponent("b.csv"))
        try Data(text.replacingOccurrences(of: "2023", with: "2024").utf8).write(to: folder.appendingPathComponent("2024/a.TSV"))
        try Data("ignored".utf8).write(to: folder.appendingPathComponent("notes.md"))
        try Data("ignored".utf8).write(to: folder.appendingPathComponent("~$b.csv"))
        let result = Ingest.read(paths: [folder.path, folder.path + "/b.csv", folder.path + "/missing.csv"])
        #expect(result.accounts.map { ($0.file as NSString).lastPathComponent } == ["a.TSV", "b.csv"])
        #expect(result.years("A", Measure(.crime))?.mapValues(\.count) == [2023: 1, 2024: 1])
        #expect(result.diagnostics(.skipped).count == 1)
        #expect(result.diagnostics(.unreadableFile).first?.location?.file.hasSuffix("missing.csv") == true)
        #expect(result.accountsBalance)
    }

    @Test func periodSchemeIsRecorded() {
        #expect(ingest("Năm,TTXH\n2024,1\n", options: IngestOptions(scheme: .tt124Commune)).panel.scheme == .tt124Commune)
    }
}

@Suite("Unit keys")
struct UnitKeyTests {
    @Test func fastKeysEqualTextKeyOnEveryLetter() {
        var maker = UnitKeyMaker()
        for value in Array(0xC0...0x24F) + Array(0x1E00...0x1EFF) {
            guard let scalar = Unicode.Scalar(value) else { continue }
            let letter = String(Character(scalar))
            for name in ["Thôn \(letter)a", "\(letter)", "Xóm \(letter)\(letter) 3", "b\(letter)c"] {
                #expect(maker.key(name) == TextKey.unitKey(name), "\(name.unicodeScalars.map(\.value))")
            }
        }
    }

    @Test func fastKeysEqualTextKeyOnNames() {
        let names = [
            "Thôn 3", "Thôn III", "thon 03", "Xóm 4", "Tổ dân phố số 7", "TDP 12", "Khu phố 2", "Ấp Bình Hòa", "Bản Nậm Mò",
            "Bản Nặm Mò", "Buôn Ea Kmát", "Làng Hạ Định 2", "Thôn Hoà", "Thôn Hòa", "Thôn Thuỷ", "Thôn Thủy", "Xã Tịnh Châu",
            "Phường 1", "Thị trấn Sơn Tịnh", "Đặc khu Lý Sơn", "Thôn Đông (cũ)", "thôn XXXIX", "Thôn IIII", "Thôn 0000000001",
            "Thôn  Trung-Nam", "Khu dân cư số 5", "TỔ DÂN PHỐ 10", "Tho\u{0302}n Ho\u{0300}a", "Thôn\u{00A0}Hòa", "Thôn 1½",
            "Khóm 3", "Sóc Trăng", "Phum Pô", "Thôn ×", "Tổ 5", "Xóm", "", "Thôn Hạ Định",
        ]
        var maker = UnitKeyMaker()
        for name in names { #expect(maker.key(name) == TextKey.unitKey(name), "\(name)") }
    }
}
