import BinhYenCore
import Testing
@testable import BinhYenIngest

/// SPEC §2 "Bad input": every kind is reported with file, line, column, heading and reason.
@Suite("Bad input")
struct BadInputTests {
    static let file = """
    Thôn,Năm,Tháng,Lĩnh vực,Số lượng,Bất khả kháng
    Thôn 1,2024,1,TTXH,-1,
    Thôn 1,2024,2,TTXH,2.5,
    Thôn 1,2024,3,TTXH,abc,
    Thôn 1,2024,13,TTXH,1,
    Thôn 1,1800,1,TTXH,1,
    Thôn 1,2024,4,TTXH,2,3
    Thôn 1,2024,5,TTXH,10000000000000,
    Thôn 1,2024,6,Trộm chó,1,
    Thôn 1,2024,7,TTXH,02 vụ,
    Thôn 1,2024,8,TTXH,,
    Thôn 1,năm ngoái,1,TTXH,1,
    Thôn 1,2024,9,TTXH,3.954,
    Thôn 1,2024,10,TTXH,NA,
    Thôn 1,2024,11,TTXH,1,-2
    Thôn 1,2024,12,TTXH,,1

    """

    @Test func everyKindWithLineColumnAndHeading() {
        let result = ingest(Self.file, name: "xa.csv")
        func find(_ code: DiagnosticCode, line: Int) -> Diagnostic? {
            result.diagnostics.first { $0.code == code && $0.location?.line == line }
        }
        let expected: [(DiagnosticCode, Int, Int, String, Severity)] = [
            (.negativeCount, 2, 5, "Số lượng", .error),
            (.fractionalCount, 3, 5, "Số lượng", .error),
            (.nonNumericCount, 4, 5, "Số lượng", .error),
            (.monthOutOfRange, 5, 3, "Tháng", .error),
            (.yearOutOfRange, 6, 2, "Năm", .error),
            (.excludedExceedsCount, 7, 6, "Bất khả kháng", .error),
            (.countTooLarge, 8, 5, "Số lượng", .error),
            (.unknownCategory, 9, 4, "Lĩnh vực", .error),
            (.repairedValue, 10, 5, "Số lượng", .note),
            (.invalidYear, 12, 2, "Năm", .error),
            (.repairedValue, 13, 5, "Số lượng", .note),
            (.missingValue, 14, 5, "Số lượng", .note),
            (.negativeCount, 15, 6, "Bất khả kháng", .error),
            (.excludedExceedsCount, 16, 6, "Bất khả kháng", .error),
        ]
        for (code, line, column, heading, severity) in expected {
            let diagnostic = find(code, line: line)
            #expect(diagnostic?.location == SourceLocation(file: "xa.csv", line: line, column: column, columnName: heading), "\(code) line \(line)")
            #expect(diagnostic?.severity == severity, "\(code) line \(line)")
            #expect(diagnostic?.message.vi.isEmpty == false)
            #expect(diagnostic?.message.en.isEmpty == false)
        }
        // The empty count cell of line 11 is missing (one note for the file), never zero.
        let empty = result.diagnostics(.missingValue).first { $0.message.en.contains("empty count cells") }
        #expect(empty?.location?.line == 11)
        #expect(empty?.message.en.hasPrefix("1 empty") == true, "\(String(describing: empty))")
        #expect(find(.unknownCategory, line: 9)?.message.en.contains("Trộm chó") == true)
        let account = result.accounts[0]
        #expect(account.rowsRead == 15)
        #expect(account.rejected == 11)
        #expect(account.accepted == 4)
        #expect(result.accountsBalance)
        let year = result.years("Thôn 1", Measure(.crime))?[2024]
        #expect(year?.count == 2 + 3954)
        #expect(year?.months == [7: 2, 9: 3954])
        #expect(year?.completeness == .incomplete(missing: [1, 2, 3, 4, 5, 6, 8, 10, 11, 12].map { Subperiod.month($0) }))
        #expect(result.hasErrors)
    }

    @Test func quarterAndWeekRanges() {
        let result = ingest("""
        Thôn,Năm,Quý,Lĩnh vực,Số lượng
        A,2024,5,TTXH,1
        A,2024,Quý II,TTXH,1

        """)
        #expect(result.diagnostics(.quarterOutOfRange).first?.location?.line == 2)
        #expect(result.years("A", Measure(.crime))?[2024]?.completeness == .incomplete(missing: [.quarter(1), .quarter(3), .quarter(4)]))
        let weeks = ingest("Thôn,Năm,Tuần,Lĩnh vực,Số lượng\nA,2024,54,TTXH,1\n")
        #expect(weeks.diagnostics(.weekOutOfRange).first?.location?.column == 3)
    }

    /// A hostile category cell is quoted cut to 40 characters, not in full.
    @Test func longUnknownCategoryIsQuotedShort() {
        let cell = String(repeating: "xyz ", count: 2_000)
        let result = ingest("Thôn,Năm,Lĩnh vực,Số lượng\nA,2024,\(cell),1\n")
        let diagnostic = result.diagnostics(.unknownCategory).first
        #expect(diagnostic?.message.vi.contains("“" + String(cell.prefix(40)) + "…”") == true)
        #expect((diagnostic?.message.en.count ?? .max) < 200)
        #expect(result.accounts[0].rejected == 1)
    }

    @Test func unknownMetricListsTheCategoryMetrics() {
        let result = ingest("Thôn,Năm,Lĩnh vực,Chỉ tiêu,Số lượng\nA,2024,Tai nạn giao thông,số cây,1\n")
        let diagnostic = result.diagnostics(.unknownMetric).first
        #expect(diagnostic?.location?.column == 4)
        #expect(diagnostic?.message.en.contains("deaths") == true)
        #expect(result.accounts[0].rejected == 1)
    }

    @Test func rowWithMoreCellsThanHeadings() {
        let result = ingest("Thôn,Năm,Lĩnh vực,Số lượng\nA,2024,Cháy, nổ,1\nB,2024,TTXH,1,,\n")
        #expect(result.diagnostics(.malformedRow).map { $0.location?.line } == [2])
        #expect(result.accounts[0].rejected == 1)
        #expect(result.accounts[0].accepted == 1)
    }

    @Test func unterminatedQuoteRejectsTheRestOfTheFile() {
        let result = ingest("Thôn,Năm,Lĩnh vực,Số lượng\nA,2024,TTXH,1\n\"B,2024,TTXH,1\nC,2024,TTXH,2\n")
        #expect(result.diagnostics(.malformedRow).first?.location?.line == 3)
        #expect(result.accounts[0].rowsRead == 2)
        #expect(result.accountsBalance)
    }

    @Test func missingRequiredColumnsRejectEveryRow() {
        let result = ingest("Thôn,Lĩnh vực,Số lượng\nA,TTXH,1\nB,TTXH,2\n")
        #expect(result.diagnostics(.missingColumn).contains { $0.severity == .error && $0.message.en.contains("year") })
        #expect(result.accounts[0].rowsRead == 2)
        #expect(result.accounts[0].rejected == 2)
        let noLayout = ingest("Thôn,Năm,Ghi chú\nA,2024,x\n")
        #expect(noLayout.diagnostics(.missingColumn).first?.severity == .error)
        let noHeader = ingest("1,2,3\n4,5,6\n")
        #expect(noHeader.diagnostics(.missingColumn).first?.message.en.contains("No header") == true)
    }

    @Test func emptyUnitCells() {
        let result = ingest("Xã,Thôn,Năm,Lĩnh vực,Số lượng\n,A,2024,TTXH,1\nX,,2024,TTXH,4\n")
        #expect(result.diagnostics(.missingValue).first?.location?.line == 2)
        // An empty village cell with a commune is a commune-level row.
        #expect(result.years("X", Measure(.crime), kind: .commune)?[2024]?.count == 4)
    }

    @Test func populationMustBeAWholeNumberAndConsistent() {
        let result = ingest("""
        Thôn,Năm,Tháng,Dân số,Tội phạm TTXH
        A,2024,1,1200,1
        A,2024,2,1300,1
        A,2024,3,abc,1
        A,2024,4,1.200,1

        """)
        let errors = result.diagnostics(.invalidPopulation)
        #expect(errors.map { $0.location?.line } == [3, 4])
        #expect(errors.first?.message.en.contains("1200") == true)
        #expect(result.panel.population[result.unit("A") ?? -1]?[2024] == 1200)
        #expect(result.accounts[0].rejected == 2)
        #expect(result.accounts[0].accepted == 2)
    }

    @Test func diagnosticsOfOneKindAreCapped() {
        var text = "Thôn,Năm,Lĩnh vực,Số lượng\n"
        for i in 0..<5 { text += "A,\(2020 + i),TTXH,-1\n" }
        let result = ingest(text, options: IngestOptions(maxDiagnosticsPerKind: 2))
        let negatives = result.diagnostics(.negativeCount)
        #expect(negatives.count == 3)
        #expect(negatives.last?.message.en.contains("3 more") == true)
        #expect(result.diagnostics.last?.code == .negativeCount)
        #expect(result.accounts[0].rejected == 5)
    }
}
