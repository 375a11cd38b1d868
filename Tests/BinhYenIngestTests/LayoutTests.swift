import BinhYenCore
import Testing
@testable import BinhYenIngest

@Suite("Layouts and headings")
struct LayoutTests {
    /// The wide headings of the bundled sample, exactly.
    static let wide = """
    Xã,Thôn,Năm,Tháng,Dân số,Tội phạm TTXH,Tội phạm ma túy,Tệ nạn xã hội,TNGT - số vụ,TNGT - người chết,TNGT - người bị thương,"Cháy, nổ - số vụ",TNLĐ - người chết
    Xã Bình Yên,Thôn Đông,2024,1,1850,2,0,1,3,1,2,0,0
    Xã Bình Yên,Thôn Đông,2024,2,1850,1,1,,0,0,0,1,1

    """

    @Test func wideSampleHeadings() {
        let result = ingest(Self.wide)
        #expect(!result.hasErrors, "\(result.diagnostics)")
        #expect(result.accounts[0].layout == "wide")
        #expect(result.accounts[0].accepted == 2)
        let expected: [(Measure, Int)] = [
            (Measure(.crime), 3), (Measure(.drugCrime), 1), (Measure(.socialEvil), 1), (Measure(.traffic), 3),
            (Measure(.traffic, .deaths), 1), (Measure(.traffic, .injuries), 2), (Measure(.fire), 1), (Measure(.laborAccident, .deaths), 1),
        ]
        for (measure, total) in expected {
            #expect(result.years("Thôn Đông", measure)?[2024]?.count == total, "\(measure)")
        }
        // The empty social-evil cell of February is missing, not zero.
        #expect(result.years("Thôn Đông", Measure(.socialEvil))?[2024]?.months == [1: 1])
        #expect(result.years("Thôn Đông", Measure(.fire))?[2024]?.sources.map(\.columnName) == ["Cháy, nổ - số vụ", "Cháy, nổ - số vụ"])
        #expect(result.panel.population[result.unit("Thôn Đông") ?? -1]?[2024] == 1850)
        #expect(result.diagnostics(.missingValue).first?.location == SourceLocation(file: "input.csv", line: 3, column: 8, columnName: "Tệ nạn xã hội"))
    }

    @Test func englishLongFile() {
        let result = ingest("""
        commune,village,year,category,metric,count
        Binh Yen,Dong,2023,crime,cases,4
        Binh Yen,Dong,2024,traffic.deaths,,2
        Binh Yen,Dong,2024,traffic,injuries,5
        Binh Yen,Dong,2024,TNGT,deaths,2

        """)
        #expect(result.accounts[0].layout == "long")
        #expect(result.years("Dong", Measure(.crime))?[2023]?.count == 4)
        #expect(result.years("Dong", Measure(.traffic, .deaths))?[2024]?.count == 2)
        #expect(result.years("Dong", Measure(.traffic, .injuries))?[2024]?.count == 5)
        // traffic.deaths given twice with the same value: counted once.
        #expect(result.accounts[0].duplicates == 1)
        #expect(result.diagnostics(.duplicateRow).count == 1)
        #expect(result.accountsBalance)
    }

    @Test func benchmarkHeadingsWithCodes() {
        let result = ingest("""
        province_code,commune_code,village_code,village_name,population,year,category,metric,count
        11,00003,00003001,Thôn Hạ Định,2103,2016,crime,cases,2
        11,00003,00003001,Thôn Hạ Định,2103,2016,traffic,deaths,0
        11,00003,00003002,Làng Hạ Định,950,2016,crime,cases,1
        11,00004,00004001,Thôn Hạ Định,800,2016,crime,cases,5

        """)
        #expect(!result.hasErrors, "\(result.diagnostics)")
        #expect(result.panel.communes.count == 2)
        #expect(result.panel.units.filter { $0.kind == .village }.count == 3)
        let first = result.panel.units.firstIndex { $0.code == "00003001" }
        #expect(first.map { result.panel.units[$0].name } == "Thôn Hạ Định")
        #expect(first.flatMap { result.panel.units[$0].parent.map { result.panel.units[$0].code } } == "00003")
        #expect(result.panel.population[first ?? -1]?[2016] == 2103)
        // No "unknown heading" for the ignored province column.
        #expect(result.diagnostics(.unknownHeading).isEmpty)
    }

    @Test(arguments: [",", ";", "\t", "|"])
    func everyDelimiterGivesTheSamePanel(delimiter: String) {
        let rows = [["Xã", "Thôn", "Năm", "Lĩnh vực", "Chỉ tiêu", "Số lượng"],
                    ["Xã A", "Thôn 1", "2024", "Tai nạn giao thông", "số người chết", "2"],
                    ["Xã A", "Thôn 1", "2024", "Cháy, nổ", "số vụ", "1"]]
        let text = rows.map { row in
            row.map { $0.contains(delimiter) ? "\"\($0)\"" : $0 }.joined(separator: delimiter)
        }.joined(separator: "\r\n")
        let result = ingest(text)
        #expect(!result.hasErrors, "\(result.diagnostics)")
        #expect(result.accounts[0].delimiter == (delimiter == "\t" ? "\\t" : delimiter))
        #expect(result.years("Thôn 1", Measure(.traffic, .deaths))?[2024]?.count == 2)
        #expect(result.years("Thôn 1", Measure(.fire))?[2024]?.count == 1)
    }

    @Test func headingsWithoutDiacriticsAnyCaseAndParentheses() {
        let result = ingest("""
        XA;THON, XOM;NAM;THANG;LINH VUC;CHI TIEU;SO LUONG (VU);DAN SO (NGUOI)
        Binh Yen;Dong;2024;3;tai nan giao thong;so nguoi chet;1;900

        """)
        #expect(!result.hasErrors, "\(result.diagnostics)")
        #expect(result.years("Dong", Measure(.traffic, .deaths))?[2024]?.months == [3: 1])
        #expect(result.panel.population[result.unit("Dong") ?? -1]?[2024] == 900)
        #expect(HeadingDictionary.role(of: "Xã/Phường") == .commune)
        #expect(HeadingDictionary.role(of: "Thôn, xóm") == .village)
        #expect(HeadingDictionary.role(of: "thon/to dan pho") == .village)
        #expect(HeadingDictionary.role(of: "Trong đó bất khả kháng") == .excluded)
        #expect(HeadingDictionary.role(of: "#") == .ignored)
        #expect(HeadingDictionary.role(of: "No.") == .ignored)
        #expect(HeadingDictionary.role(of: "MÃ XÃ") == .communeCode)
        #expect(HeadingDictionary.measure(of: "toi pham ttxh", in: .standard) == Measure(.crime))
        #expect(HeadingDictionary.measure(of: "TNGT - so nguoi bi thuong", in: .standard) == Measure(.traffic, .injuries))
        #expect(HeadingDictionary.measure(of: "PCCC", in: .standard) == Measure(.fire))
        #expect(HeadingDictionary.measure(of: "TNXH", in: .standard) == Measure(.socialEvil))
        #expect(HeadingDictionary.measure(of: "TTXH - số đối tượng", in: .standard) == Measure(.crime, .suspects))
        #expect(HeadingDictionary.measure(of: "Tệ nạn xã hội - số đối tượng", in: .standard) == Measure(.socialEvil, .persons))
    }

    @Test func titleRowsGiveTheYear() {
        let result = ingest("""
        UBND XÃ BÌNH YÊN,,,
        BÁO CÁO TÌNH HÌNH AN NINH TRẬT TỰ NĂM 2024,,,
        ,,,
        STT,Thôn,Tội phạm TTXH,TNGT - số vụ
        1,Thôn Đông,3,1
        2,Thôn Tây,0,2
        ,Cộng,3,3

        """)
        #expect(!result.hasErrors, "\(result.diagnostics)")
        #expect(result.years("Thôn Đông", Measure(.crime))?[2024]?.count == 3)
        #expect(result.years("Thôn Đông", Measure(.crime))?[2024]?.sources.first?.line == 5)
        #expect(result.diagnostics(.missingColumn).contains { $0.message.en.contains("2024") && $0.location?.line == 2 })
        let skipped = result.diagnostics(.skipped)
        #expect(skipped.count == 1)
        #expect(skipped.first?.location == SourceLocation(file: "input.csv", line: 7, column: 2, columnName: "Thôn"))
        #expect(skipped.first?.severity == .note)
        #expect(result.accounts[0].skipped == 1)
        #expect(result.accounts[0].accepted == 2)
        #expect(result.accountsBalance)
        // The villages went to the default commune.
        #expect(result.panel.units[result.unit("Thôn Đông") ?? 0].parent == result.unit("Xã", kind: .commune))
    }

    @Test func subtotalWordsInEveryPlace() {
        let result = ingest("""
        Xã,Thôn,Năm,Lĩnh vực,Số lượng
        X,Thôn 1,2024,TTXH,1
        X,Tổng cộng,2024,TTXH,1
        X,TOTAL,2024,TTXH,1
        X,tong,2024,TTXH,1
        Tổng cộng,,2024,TTXH,4

        """)
        #expect(result.accounts[0].skipped == 4)
        #expect(result.diagnostics(.skipped).map { $0.location?.line } == [3, 4, 5, 6])
        #expect(result.years("Thôn 1", Measure(.crime))?[2024]?.count == 1)
        #expect(result.panel.units.count == 2)
    }

    @Test func subtotalLabelInTheNumberColumn() {
        let result = ingest("STT,Xã,Thôn,Năm,Tội phạm TTXH\n1,X,A,2024,1\nTổng cộng,X,,2024,1\n")
        #expect(result.accounts[0].skipped == 1)
        #expect(result.diagnostics(.skipped).first?.location?.column == 1)
        #expect(result.panel.series.keys.allSatisfy { result.panel.units[$0.unit].kind == .village })
    }

    @Test func unknownWideHeadingNamesTheNearestKnownOnes() {
        let result = ingest("Thôn,Năm,Tội phạm TTHX,TNGT - số vụ\nA,2024,1,2\n")
        let diagnostic = result.diagnostics(.unknownHeading).first
        #expect(diagnostic?.severity == .error)
        #expect(diagnostic?.location == SourceLocation(file: "input.csv", line: 1, column: 3, columnName: "Tội phạm TTHX"))
        #expect(diagnostic?.message.en.lowercased().contains("did you mean “tội phạm ttxh”") == true, "\(String(describing: diagnostic))")
        #expect(diagnostic?.message.vi.contains("Có phải") == true)
        #expect(result.years("A", Measure(.traffic))?[2024]?.count == 2)
        #expect(result.years("A", Measure(.crime)) == nil)
    }

    @Test func unknownLongHeadingIsIgnoredWithAWarning() {
        let result = ingest("Thôn,Năm,Lĩnh vực,Số lượng,Người báo cáo\nA,2024,TTXH,1,Trưởng thôn\n")
        #expect(result.diagnostics(.unknownHeading).map(\.severity) == [.warning])
        #expect(!result.hasErrors)
    }

    @Test func twoColumnsForOneSeriesInAWideFile() {
        let result = ingest("Thôn,Năm,TNGT,Tai nạn giao thông - số vụ\nA,2024,1,2\n")
        #expect(result.diagnostics(.unknownHeading).first?.location?.column == 4)
        #expect(result.years("A", Measure(.traffic))?[2024]?.count == 1)
    }

    @Test func invalidWideCellsAreRejectedOneByOne() {
        let result = ingest("Thôn,Năm,Tội phạm TTXH,TNGT - số vụ\nA,2024,-1,2\nB,2024,x,y\n")
        #expect(result.diagnostics(.negativeCount).first?.location?.column == 3)
        #expect(result.accounts[0].accepted == 1)
        #expect(result.accounts[0].rejected == 1)
        #expect(result.accounts[0].rejectedValues == 1)
        #expect(result.years("A", Measure(.traffic))?[2024]?.count == 2)
        #expect(result.accountsBalance)
    }

    @Test func communeLevelFileWithoutUnitColumns() {
        let result = ingest("Năm,Tội phạm TTXH\n2023,20\n2024,19\n", options: IngestOptions(defaultCommune: "Tịnh Châu"))
        #expect(result.panel.units.map(\.name) == ["Tịnh Châu"])
        #expect(result.years("Tịnh Châu", Measure(.crime), kind: .commune)?.mapValues(\.count) == [2023: 20, 2024: 19])
    }

    @Test func headerWithoutDataRows() {
        let result = ingest("Thôn,Năm,Tội phạm TTXH\n\n")
        #expect(result.diagnostics(.emptyFile).first?.severity == .warning)
        #expect(result.accounts[0].rowsRead == 0)
    }

    @Test func tsvFilesPreferTabs() {
        // Two commas per line would otherwise outvote one tab.
        let text = "Thôn, xóm\tTNGT, số vụ, người chết\nA, B\t1, 2, 3\n"
        let tsv = Array(text.utf8).withUnsafeBytes { DelimitedText.detectDelimiter(in: $0, preferTab: true) }
        let csv = Array(text.utf8).withUnsafeBytes { DelimitedText.detectDelimiter(in: $0) }
        #expect(tsv == UInt8(ascii: "\t"))
        #expect(csv == UInt8(ascii: ","))
    }

    @Test func twoRowHeaderUnderMergedCells() {
        let result = ingest("""
        BÁO CÁO NĂM 2024,,,,,,
        STT,Thôn,Tội phạm TTXH,TNGT,,,"Cháy, nổ"
        ,,,Số vụ,Người chết,Bị thương,
        1,Thôn Đông,2,3,1,4,1
        2,Thôn Tây,0,1,0,0,0
        ,Cộng,2,4,1,4,1

        """)
        #expect(!result.hasErrors, "\(result.diagnostics)")
        #expect(result.accounts[0].accepted == 2)
        #expect(result.accounts[0].skipped == 1)
        #expect(result.years("Thôn Đông", Measure(.traffic))?[2024]?.count == 3)
        #expect(result.years("Thôn Đông", Measure(.traffic, .deaths))?[2024]?.count == 1)
        #expect(result.years("Thôn Đông", Measure(.traffic, .injuries))?[2024]?.sources.first?.columnName == "TNGT - Bị thương")
        #expect(result.years("Thôn Đông", Measure(.fire))?[2024]?.count == 1)
        #expect(result.years("Thôn Đông", Measure(.crime))?[2024]?.count == 2)
    }

    @Test func aDataRowIsNotASecondHeaderRow() {
        #expect(DelimitedTableReader.mergedHeadings(["Thôn", "TNGT", ""], ["Thôn Đông", "3", "1"], catalogue: .standard) == nil)
        #expect(DelimitedTableReader.mergedHeadings(["Thôn", "TNGT", ""], ["", "", ""], catalogue: .standard) == nil)
    }
}
