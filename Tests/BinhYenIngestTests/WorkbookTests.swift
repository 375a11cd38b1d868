import BinhYenCore
import Foundation
import Testing
@testable import BinhYenIngest

@Suite("Excel workbooks")
struct ExcelWorkbookTests {
    /// The numbers written by Tests/FixtureScripts/ingest/make_ingest_fixtures.py (EXPECTED).
    static func expected(year: Int, village: Int, month: Int) -> [Int] {
        let k = (year - 2024) * 7 + village * 3 + month
        return [k % 4, k % 3, k % 5 == 0 ? 1 : 0, k % 3 + k % 2, k % 6 == 0 ? 1 : 0]
    }

    static let villages = ["Thôn Đông", "Thôn Tây", "Xóm Bến"]
    static let measures = [Measure(.crime), Measure(.traffic), Measure(.traffic, .deaths), Measure(.traffic, .injuries), Measure(.fire)]

    @Test(arguments: ["wide-openpyxl.xlsx", "wide-xlsxwriter.xlsx", "wide-libreoffice.xlsx"])
    func wideWorkbookFromEachProgramReadsTheWrittenNumbers(file: String) throws {
        let result = try ingestFixtures([file])
        #expect(!result.hasErrors, "\(result.diagnostics)")
        for (v, village) in Self.villages.enumerated() {
            for year in [2024, 2025] {
                for (i, measure) in Self.measures.enumerated() {
                    let value = try #require(result.years(village, measure)?[year], "\(village) \(measure) \(year)")
                    let months = [1, 2].map { Self.expected(year: year, village: v, month: $0)[i] }
                    #expect(value.months == [1: months[0], 2: months[1]], "\(file) \(village) \(measure) \(year)")
                    #expect(value.count == months[0] + months[1])
                    #expect(value.completeness == .incomplete(missing: (3...12).map { Subperiod.month($0) }))
                }
            }
        }
        // Two sheets, "Năm 2024" and "Năm 2025"; the hidden "Danh mục" is skipped with a note.
        #expect(result.accounts.map(\.sheet) == ["Năm 2024", "Năm 2025"])
        #expect(result.accounts.allSatisfy { $0.rowsRead == 7 && $0.accepted == 6 && $0.skipped == 1 && $0.layout == "wide" })
        #expect(result.accountsBalance)
        #expect(result.diagnostics(.skipped).contains { $0.location?.sheet == "Danh mục" && $0.message.en.contains("hidden") })
    }

    @Test func workbooksOfThreeProgramsGiveTheSamePanel() throws {
        let panels = try ["wide-openpyxl.xlsx", "wide-xlsxwriter.xlsx", "wide-libreoffice.xlsx"].map { try ingestFixtures([$0]).panel.values }
        #expect(panels[0].count == 30)
        #expect(panels[0] == panels[1])
        #expect(panels[0] == panels[2])
    }

    @Test func provenanceNamesFileSheetRowAndColumnLetter() throws {
        let result = try ingestFixtures(["wide-openpyxl.xlsx"])
        let value = try #require(result.years("Thôn Tây", Measure(.traffic, .deaths))?[2024])
        #expect(value.sources.map(\.description) == [
            "wide-openpyxl.xlsx[Năm 2024]:9:F (TNGT - Người chết)", "wide-openpyxl.xlsx[Năm 2024]:10:F (TNGT - Người chết)",
        ])
        // The year came from the sheet name, the village from a cell merged over two rows.
        #expect(result.diagnostics.contains { $0.code == .missingColumn && $0.message.en.contains("2024 named by the sheet") })
    }

    @Test func sheetOptionSelectsByNameOrNumber() throws {
        for wanted in ["nam 2025", "2", "NĂM 2025"] {
            let result = try ingestFixtures(["wide-xlsxwriter.xlsx"], options: IngestOptions(sheet: wanted))
            #expect(result.accounts.map(\.sheet) == ["Năm 2025"], "\(wanted)")
            #expect(result.panel.years == [2025])
        }
        let hidden = try ingestFixtures(["wide-xlsxwriter.xlsx"], options: IngestOptions(sheet: "Danh mục"))
        #expect(hidden.accounts.map(\.sheet) == ["Danh mục"])
        let missing = try ingestFixtures(["wide-xlsxwriter.xlsx"], options: IngestOptions(sheet: "Năm 2030"))
        let error = try #require(missing.diagnostics.first { $0.severity == .error })
        #expect(error.message.vi.contains("“Năm 2024”, “Năm 2025”, “Danh mục”"))
    }

    @Test func inlineStringsPrefixesEscapesAndPhoneticRuns() throws {
        let result = try ingestFixtures(["inline-strings.xlsx"])
        #expect(!result.hasErrors, "\(result.diagnostics)")
        // "Thôn " + "&#x110;ông" (rich runs, a character reference), phonetic run dropped;
        // "Xóm_x0020_Bến" with the OOXML escape of a space.
        #expect(result.years("Thôn Đông", Measure(.crime))?[2024]?.count == 3)
        #expect(result.years("Xóm Bến", Measure(.crime))?[2024]?.count == 4)
    }

    @Test func excelSerialDaysFollowBothDateSystems() {
        #expect(CivilDate.fromExcelSerial(1, date1904: false)?.description == "1900-01-01")
        #expect(CivilDate.fromExcelSerial(59, date1904: false)?.description == "1900-02-28")
        #expect(CivilDate.fromExcelSerial(60, date1904: false) == nil)  // Lotus 1-2-3's 29/02/1900
        #expect(CivilDate.fromExcelSerial(61, date1904: false)?.description == "1900-03-01")
        #expect(CivilDate.fromExcelSerial(45292, date1904: false)?.description == "2024-01-01")
        #expect(CivilDate.fromExcelSerial(0, date1904: true)?.description == "1904-01-01")
        #expect(CivilDate.fromExcelSerial(43830, date1904: true)?.description == "2024-01-01")
    }

    @Test(arguments: [
        ("dd/mm/yyyy", true), ("yyyy-mm-dd;@", true), ("[$-409]d-mmm-yy", true), ("[h]:mm:ss", true), ("h:mm AM/PM", true),
        ("General", false), ("0.00", false), ("#,##0", false), ("[Red]0.00", false), ("\"ngày\" 0", false), ("0.00E+00", false),
    ])
    func dateFormatsAreRecognised(code: String, isDate: Bool) {
        #expect(NumberFormats.isDate(code) == isDate)
    }

    @Test func numberCellsReadAsUsersSeeThem() {
        func text(_ raw: String, date: Bool = false, date1904: Bool = false) -> String {
            CellNumber.text(Array(raw.utf8), isDate: date, date1904: date1904)
        }
        #expect(text("3") == "3")
        #expect(text("3.0000000000000004") == "3")
        #expect(text("2.5") == "2.5")
        #expect(text("1E3") == "1000")
        #expect(text("45292", date: true) == "2024-01-01")
        #expect(text("45292.5", date: true) == "2024-01-01 12:00")
        #expect(text("43830", date: true, date1904: true) == "2024-01-01")
    }

    @Test func cellReferencesAndColumnLetters() throws {
        let parsed = try #require(CellReference.parse("AB12"))
        #expect(parsed.row == 12 && parsed.column == 27)
        #expect(CellReference.parse("$C$5").map { [$0.row, $0.column] } == [5, 2])
        #expect(CellReference.parse("12") == nil)
        #expect([1, 26, 27, 28, 702, 703].map(SourceLocation.columnLetters) == ["A", "Z", "AA", "AB", "ZZ", "AAA"])
        #expect(SourceLocation(file: "a.xlsx", sheet: "S", line: 3, column: 28).description == "a.xlsx[S]:3:AB")
        #expect(SourceLocation(file: "a.csv", line: 3, column: 28).description == "a.csv:3:28")
    }

    @Test func instructionSheetIsSkippedWithAWarning() throws {
        let result = try ingestFixtures(["instructions-and-table.xlsx"])
        #expect(!result.hasErrors, "\(result.diagnostics)")
        let warning = try #require(result.diagnostics.first { $0.code == .missingColumn && $0.severity == .warning })
        #expect(warning.location?.sheet == "Hướng dẫn")
        #expect(result.years("Thôn Đông", Measure(.crime))?[2024]?.months == [1: 2])
        let none = try ingestFixtures(["instructions-only.xlsx"])
        #expect(none.diagnostics.filter { $0.severity == .error }.map(\.message.en) == ["No sheet of the workbook has a header row BinhYen recognises."])
    }

    @Test func xlsWorkbookIsExplained() {
        let result = Ingest.read(bytes: [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, 0], name: "cu.xls")
        #expect(result.diagnostics.first?.code == .unreadableFile)
        #expect(result.accounts.count == 1)
    }
}

@Suite("Hostile workbooks")
struct HostileWorkbookTests {
    private func refused(_ file: String, options: IngestOptions = IngestOptions()) throws -> (Diagnostic, Duration) {
        let bytes = try fixture("hostile/" + file)
        let clock = ContinuousClock()
        var result: IngestResult?
        let elapsed = clock.measure { result = Ingest.read(bytes: bytes, name: file, options: options) }
        let diagnostics = try #require(result).diagnostics
        let error = try #require(diagnostics.first { $0.severity == .error }, "\(diagnostics)")
        #expect(result?.panel.series.isEmpty == true)
        #expect(result?.accounts.count == 1)
        return (error, elapsed)
    }

    @Test func zipBombIsRefusedBeforeInflating() throws {
        // 1 GiB of spaces deflated to 1 MB: over the 512 MiB part limit.
        let (error, elapsed) = try refused("zip-bomb.xlsx")
        #expect(error.code == .unreadableFile)
        #expect(error.message.en.contains("over the 512 MB limit"))
        #expect(error.message.vi.contains("bom nén"))
        #expect(elapsed < .seconds(5))
    }

    @Test func zipBombIsRefusedByItsCompressionRatio() throws {
        var options = IngestOptions()
        options.workbookLimits.maxEntryBytes = 2 << 30
        options.workbookLimits.maxTotalBytes = 4 << 30
        let (error, elapsed) = try refused("zip-bomb.xlsx", options: options)
        #expect(error.message.en.contains("compression ratio of 10"))
        #expect(elapsed < .seconds(5))
    }

    @Test func partLargerThanDeclaredIsStoppedWhileInflating() throws {
        // The same bomb with its headers claiming 1 KiB: stopped at the first 64 KiB chunk.
        let (error, elapsed) = try refused("zip-bomb-lying-sizes.xlsx")
        #expect(error.message.en.contains("more than the size its ZIP header declares (1024 bytes)"))
        #expect(elapsed < .seconds(5))
    }

    @Test func totalInflatedSizeIsLimited() throws {
        var options = IngestOptions()
        options.workbookLimits.maxTotalBytes = 1 << 10
        let bytes = try fixture("wide-openpyxl.xlsx")
        let result = Ingest.read(bytes: bytes, name: "wide.xlsx", options: options)
        #expect(result.diagnostics.first { $0.severity == .error }?.message.en.contains("more than 0 MB") == true)
    }

    @Test func billionLaughsIsRefusedAtTheDoctype() throws {
        let (error, elapsed) = try refused("billion-laughs.xlsx")
        #expect(error.message.en.contains("document type declaration"))
        #expect(error.message.en.contains("xl/sharedStrings.xml"))
        #expect(elapsed < .seconds(2))
    }

    @Test func undeclaredEntityIsRefused() throws {
        let (error, _) = try refused("undeclared-entity.xlsx")
        #expect(error.message.en.contains("“&xxe;”"))
    }

    @Test func deepNestingIsRefused() throws {
        let (error, _) = try refused("deep-nesting.xlsx")
        #expect(error.message.en.contains("deeper than 64 levels"))
    }

    @Test func entryCountIsLimited() throws {
        var options = IngestOptions()
        options.workbookLimits.maxEntries = 50
        let (error, _) = try refused("many-entries.xlsx", options: options)
        #expect(error.message.en.contains("more than 50 entries"))
    }

    @Test func cellCountIsLimited() throws {
        var options = IngestOptions()
        options.workbookLimits.maxCells = 20
        let result = Ingest.read(bytes: try fixture("wide-openpyxl.xlsx"), name: "wide.xlsx", options: options)
        #expect(result.diagnostics.first { $0.severity == .error }?.message.en.contains("more than 20 cells") == true)
    }

    @Test func damagedZipIsAnError() throws {
        var bytes = try fixture("wide-openpyxl.xlsx")
        bytes.removeLast(bytes.count / 2)
        let result = Ingest.read(bytes: bytes, name: "cut.xlsx")
        #expect(result.diagnostics.first?.code == .unreadableFile)
        #expect(result.accountsBalance)
    }

    @Test func zipThatIsNotAWorkbookIsNamed() throws {
        var bytes = try fixture("hostile/many-entries.xlsx")
        // Rename the workbook part so that the package has none.
        let needle = Array("xl/workbook.xml".utf8)
        var i = 0
        while i + needle.count <= bytes.count {
            if Array(bytes[i..<(i + needle.count)]) == needle { bytes[i] = UInt8(ascii: "y") }
            i += 1
        }
        let result = Ingest.read(bytes: bytes, name: "other.xlsx")
        let error = try #require(result.diagnostics.first { $0.severity == .error })
        #expect(error.code == .wrongFileType || error.code == .unreadableFile)
    }
}

@Suite("XML scanner")
struct XMLScannerTests {
    struct Recorder: XMLHandler {
        var events: [String] = []
        mutating func start(_ tag: XMLTag) throws {
            let attributes = tag.attributes.map { attribute -> String in
                var value: [UInt8] = []
                try? XMLText.decodeReferences(UnsafeRawBufferPointer(rebasing: tag.buffer[attribute.value]), into: &value)
                return String(decoding: tag.buffer[attribute.name], as: UTF8.self) + "=" + String(decoding: value, as: UTF8.self)
            }
            events.append("<" + String(decoding: tag.buffer[tag.name], as: UTF8.self) + attributes.map { " " + $0 }.joined())
        }
        mutating func end(_ name: UnsafeRawBufferPointer) throws { events.append("/" + String(decoding: name, as: UTF8.self)) }
        mutating func text(_ bytes: UnsafeRawBufferPointer) throws {
            let piece = String(decoding: bytes, as: UTF8.self)
            if let last = events.last, last.hasPrefix("#") { events[events.count - 1] += piece } else { events.append("#" + piece) }
        }
    }

    private func scan(_ xml: String, chunk: Int) throws -> [String] {
        var scanner = XMLScanner()
        var recorder = Recorder()
        let bytes = Array(xml.utf8)
        var start = 0
        while start < bytes.count {
            let end = min(bytes.count, start + chunk)
            try bytes[start..<end].withUnsafeBytes { try scanner.feed($0, into: &recorder) }
            start = end
        }
        try scanner.finish(into: &recorder)
        return recorder.events
    }

    @Test(arguments: [1, 2, 3, 7, 4096])
    func eventsDoNotDependOnChunkBoundaries(chunk: Int) throws {
        let xml = "\u{FEFF}<?xml version=\"1.0\"?><!-- c --><a:r xmlns:a=\"u\"><c v=\"x&amp;y\"/>T&lt;&#x110;&#273;<![CDATA[<raw>]]></a:r>"
        #expect(try scan(xml, chunk: chunk) == ["<r a=u", "<c v=x&y", "/c", "#T<Đđ<raw>", "/r"])
    }

    @Test func malformedMarkupIsAnError() {
        #expect(throws: XMLScanError.self) { try scan("<a><b></a>", chunk: 4) }
        #expect(throws: XMLScanError.self) { try scan("<a x=1/>", chunk: 4) }
        #expect(throws: XMLScanError.undeclaredEntity("nbsp")) { try scan("<a>&nbsp;</a>", chunk: 3) }
        #expect(throws: XMLScanError.documentTypeDeclaration) { try scan("<!DOCTYPE a><a/>", chunk: 5) }
    }

    @Test func memoryStaysBoundedForHugeText() throws {
        // 8 MiB of text in one element passes through in chunks; the scanner keeps at most a chunk.
        var scanner = XMLScanner()
        struct Counter: XMLHandler {
            var bytes = 0
            mutating func start(_ tag: XMLTag) throws {}
            mutating func end(_ name: UnsafeRawBufferPointer) throws {}
            mutating func text(_ bytes: UnsafeRawBufferPointer) throws { self.bytes += bytes.count }
        }
        var counter = Counter()
        let chunk = [UInt8](repeating: UInt8(ascii: "a"), count: 1 << 16)
        try Array("<t>".utf8).withUnsafeBytes { try scanner.feed($0, into: &counter) }
        for _ in 0..<128 { try chunk.withUnsafeBytes { try scanner.feed($0, into: &counter) } }
        try Array("</t>".utf8).withUnsafeBytes { try scanner.feed($0, into: &counter) }
        try scanner.finish(into: &counter)
        #expect(counter.bytes == 8 << 20)
        #expect(scanner.peakBufferedBytes <= 1 << 17)
    }

    @Test func longTagIsRefused() {
        var scanner = XMLScanner(maxToken: 1 << 10)
        struct Ignore: XMLHandler {
            mutating func start(_ tag: XMLTag) throws {}
            mutating func end(_ name: UnsafeRawBufferPointer) throws {}
            mutating func text(_ bytes: UnsafeRawBufferPointer) throws {}
        }
        var handler = Ignore()
        let tag = Array(("<a b=\"" + String(repeating: "x", count: 4096)).utf8)
        #expect(throws: XMLScanError.tokenTooLong(limit: 1 << 10)) {
            try tag.withUnsafeBytes { try scanner.feed($0, into: &handler) }
        }
    }
}
