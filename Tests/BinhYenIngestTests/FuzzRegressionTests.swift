import BinhYenCore
import Testing
import BinhYenIngest

/// Inputs that crashed a fuzz target of Fuzz/ (docs/guides/Fuzzing.md), each kept with the
/// outcome it must have now.
@Suite("Fuzz regressions")
struct FuzzRegressionTests {
    /// FuzzWorkbook, 2026-11-28: a local file header signature followed by an end-of-central-
    /// directory record whose central directory (10 entries, 512 bytes at offset 6525) lies past
    /// the end of the 26-byte file. ZIPFoundation's in-memory archive trapped on the out-of-range
    /// read; the workbook is now read from a temporary file, where the central directory reads
    /// as empty, and is refused for want of a workbook part.
    @Test func centralDirectoryPastTheEndIsADamagedWorkbook() throws {
        let bytes: [UInt8] = [0x50, 0x4B, 0x03, 0x04, 0x50, 0x4B, 0x05, 0x06, 0x00, 0x00, 0x00, 0x00, 0x0A, 0x00,
                              0x0A, 0x00, 0x00, 0x02, 0x00, 0x00, 0x7D, 0x19, 0x00, 0x00, 0x00, 0x00]
        let result = Ingest.read(bytes: bytes, name: "fuzz.xlsx")
        let error = try #require(result.diagnostics.first { $0.severity == .error })
        #expect(result.diagnostics.count == 1)
        #expect(error.code == .wrongFileType)
        #expect(error.message.en == "This ZIP file is not an Excel workbook (.xlsx): it has no part “xl/workbook.xml”.")
        #expect(error.message.vi == "Tệp ZIP này không phải bảng tính Excel (.xlsx): không có phần “xl/workbook.xml”.")
        #expect(result.accounts == [FileAccount(file: "fuzz.xlsx", encoding: "xlsx")])
        #expect(result.panel.series.isEmpty)
    }
}

extension FuzzRegressionTests {
    /// FuzzWorkbook, 2026-11-28: 9.7 KB of worksheet XML behind a `PK\1\2` signature, so read as
    /// CSV text whose heading cells are long runs of words. Every cell that might name a category
    /// and a metric was folded again for each of its word splits: time quadratic in the length of
    /// the cell (over 5 s, the fuzz timeout). `Catalogue.resolve` now folds once and tries only
    /// texts no longer than a known category name plus a metric name.
    @Test func longHeadingCellsAreResolvedInLinearTime() throws {
        let bytes = try fixture("fuzz/long-heading-text.xlsx")
        let clock = ContinuousClock()
        var result: IngestResult?
        let elapsed = clock.measure { result = Ingest.read(bytes: bytes, name: "fuzz.xlsx") }
        let read = try #require(result)
        #expect(elapsed < .seconds(2))
        #expect(read.diagnostics.map(\.code) == [.missingColumn])
        #expect(read.diagnostics.first?.severity == .error)
        #expect(read.diagnostics.first?.message.en.hasPrefix("No header row in the first 50 rows") == true)
        #expect(read.accounts == [FileAccount(file: "fuzz.xlsx", encoding: "utf-8", delimiter: ",")])
    }

    /// The same cost in a long-layout file: a 225 KB category cell of 50,000 words is an
    /// unknown category, found in linear time. Besides the category lookup, the search for the
    /// nearest known names computed the edit distance of the whole cell to every name; names
    /// whose length alone puts them too far are now skipped.
    @Test func longCategoryCellIsUnknownInLinearTime() throws {
        let cell = String(repeating: "pham toi ", count: 25_000)
        let clock = ContinuousClock()
        var result: IngestResult?
        let elapsed = clock.measure {
            result = ingest("Thôn,Năm,Tháng,Lĩnh vực,Số vụ\nThôn Đông,2024,1,\(cell),3\nThôn Đông,2024,2,Tai nạn giao thông,1\n")
        }
        // About 2 s in a debug build; before the fixes, a cell of twice this length took 97 s.
        #expect(elapsed < .seconds(5))
        let read = try #require(result)
        #expect(read.accounts == [FileAccount(file: "input.csv", layout: "long", encoding: "utf-8", delimiter: ",",
                                              rowsRead: 2, accepted: 1, rejected: 1)])
        let errors = read.diagnostics.filter { $0.severity == .error }
        #expect(errors.map(\.code) == [.unknownCategory])
        #expect(errors.first?.location == SourceLocation(file: "input.csv", line: 2, column: 4, columnName: "Lĩnh vực"))
    }
}
