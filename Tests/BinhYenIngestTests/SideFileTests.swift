import BinhYenCore
import Testing
@testable import BinhYenIngest

@Suite("Villages file")
struct VillagesFileTests {
    static let villages = """
    Mã thôn,Tên thôn,Tên khác,Loại,Xã,Năm,Dân số,Số hộ
    T01,Thôn Phú Thủy,Xóm Phú Thuỷ,thôn,Xã Bình Yên,2024,1200,300
    T01,Thôn Phú Thủy,Xóm Phú Thuỷ,thôn,Xã Bình Yên,2025,1210,305
    T02,Thôn 3,,thôn,Xã Bình Yên,2024,800,
    T03,Tổ dân phố Đông Hòa,Đông Hòa;Khu Đông,tổ dân phố,Xã Bình Yên,2024,950,
    T04,Thôn Tây,Khu Đông,thôn,Xã Bình Yên,2024,700,
    """

    private func read(_ data: String) -> IngestResult {
        ingest(data, name: "data.csv", options: IngestOptions(villages: .bytes(name: "thon.csv", Array(Self.villages.utf8))))
    }

    @Test func namesMatchByTonePlacementPrefixNumberingAndD() {
        let result = read("""
        Thôn,Năm,Tội phạm TTXH
        xóm phú thủy,2024,1
        Thôn III,2024,2
        thon 03,2025,4
        TDP Đông Hoà,2024,3
        dong hoa,2025,5
        """)
        #expect(!result.hasErrors, "\(result.diagnostics)")
        // Display names and codes come from the villages file; files without a commune column
        // go to its one commune.
        #expect(result.years("Thôn Phú Thủy", Measure(.crime))?[2024]?.count == 1)
        #expect(result.years("Thôn 3", Measure(.crime))?[2024]?.count == 2)
        #expect(result.years("Thôn 3", Measure(.crime))?[2025]?.count == 4)
        #expect(result.years("Tổ dân phố Đông Hòa", Measure(.crime))?[2025]?.count == 5)
        let village = result.panel.units.first { $0.name == "Thôn Phú Thủy" }
        #expect(village?.code == "T01")
        #expect(result.panel.units.first { $0.kind == .commune }?.name == "Xã Bình Yên")
        // Population and households by year from the villages file.
        let index = result.unit("Thôn Phú Thủy")
        #expect(index.flatMap { result.panel.population[$0] } == [2024: 1200, 2025: 1210])
        #expect(index.flatMap { result.panel.households[$0] } == [2024: 300, 2025: 305])
    }

    @Test func unknownNameIsAnErrorNamingTheNearest() throws {
        let result = read("Thôn,Năm,Tội phạm TTXH\nThôn Phú Thụy,2024,1\nThôn Bắc,2024,1\n")
        let errors = result.diagnostics(.unknownVillage)
        #expect(errors.count == 2)
        #expect(errors[0].severity == .error && errors[0].location?.line == 2)
        #expect(errors[0].message.vi.contains("“Thôn Phú Thủy”"))
        #expect(errors[0].message.en.contains("Nearest known names"))
        #expect(result.accounts[0].rejected == 2)
        #expect(result.panel.series.isEmpty)
    }

    @Test func ambiguousNameIsAnErrorListingTheCandidates() throws {
        let result = read("Thôn,Năm,Tội phạm TTXH\nKhu Đông,2024,1\n")
        let error = try #require(result.diagnostics.first { $0.code == .ambiguousVillage && $0.severity == .error })
        #expect(error.message.en.contains("Tổ dân phố Đông Hòa [T03]"))
        #expect(error.message.en.contains("Thôn Tây [T04]"))
        // The shared alias is also warned about when the villages file is read.
        #expect(result.diagnostics.contains { $0.code == .ambiguousVillage && $0.severity == .warning && $0.location?.file == "thon.csv" })
        // With the code, the village is found.
        let coded = read("Mã thôn,Thôn,Năm,Tội phạm TTXH\nT04,Khu Đông,2024,1\n")
        #expect(coded.years("Thôn Tây", Measure(.crime))?[2024]?.count == 1)
    }

    @Test func incidentListFillsZerosForEveryRegisteredVillage() {
        let result = read("Ngày,Thôn,Lĩnh vực\n05/03/2024,Thôn 3,Cháy\n")
        #expect(!result.hasErrors, "\(result.diagnostics)")
        #expect(result.years("Thôn 3", Measure(.fire))?[2024]?.count == 1)
        for name in ["Thôn Phú Thủy", "Tổ dân phố Đông Hòa", "Thôn Tây"] {
            #expect(result.years(name, Measure(.fire))?[2024]?.count == 0, "\(name)")
        }
    }

    @Test func villagesFileWithYearColumnsAndProblems() {
        let file = """
        Tên thôn,Dân số 2024,Số hộ năm 2024,Dân số 2025
        Thôn A,1000,250,1010
        Thôn B,nhiều,,
        ,5,,
        """
        let result = ingest("Thôn,Năm,Tội phạm TTXH\nThôn A,2025,1\n", options: IngestOptions(villages: .bytes(name: "v.csv", Array(file.utf8))))
        #expect(result.diagnostics.filter { $0.severity == .error }.map(\.code) == [.invalidPopulation, .missingValue])
        let a = result.unit("Thôn A")
        #expect(a.flatMap { result.panel.population[$0] } == [2024: 1000, 2025: 1010])
        #expect(a.flatMap { result.panel.households[$0] } == [2024: 250])
    }

    @Test func unreadableVillagesFileIsAnError() {
        let result = ingest("Thôn,Năm,Tội phạm TTXH\nThôn A,2025,1\n", options: IngestOptions(villages: .path("/nonexistent/thon.csv")))
        #expect(result.diagnostics.contains { $0.code == .unreadableFile && $0.severity == .error && $0.location?.file == "/nonexistent/thon.csv" })
    }
}

@Suite("Crosswalk file")
struct CrosswalkTests {
    static let data = """
    Thôn,Năm,Tháng,Tội phạm TTXH
    Thôn Đông,2024,1,2
    Thôn Đông,2024,2,1
    Thôn Tây,2024,1,3
    Thôn Tây,2024,2,0
    Thôn Đông Tây,2025,1,1
    Thôn Đông Tây,2025,2,2
    Xóm Cũ,2024,1,4
    Xóm Cũ,2025,1,5
    Thôn Nam,2023,1,1
    Thôn Bắc,2023,1,1
    Thôn Bắc,2023,2,1
    Thôn Nam,2023,2,1
    Thôn Nam,2024,1,1
    """

    private func read(_ crosswalk: String, data: String = data) -> IngestResult {
        ingest(data, options: IngestOptions(crosswalk: .bytes(name: "cw.csv", Array(crosswalk.utf8))))
    }

    @Test func mergeAddsUpTheOldVillagesWithANote() throws {
        let result = read("""
        Đơn vị cũ,Đơn vị mới,Loại thay đổi,Ngày hiệu lực
        Thôn Đông,Thôn Đông Tây,gộp,01/12/2024
        Thôn Tây,Thôn Đông Tây,gộp,01/12/2024
        """)
        #expect(!result.hasErrors, "\(result.diagnostics)")
        #expect(result.unit("Thôn Đông") == nil && result.unit("Thôn Tây") == nil)
        let merged = try #require(result.years("Thôn Đông Tây", Measure(.crime)))
        #expect(merged[2024]?.count == 6)
        #expect(merged[2024]?.months == [1: 5, 2: 1])
        #expect(merged[2025]?.count == 3)
        let note = try #require(result.diagnostics.first { $0.code == .reaggregated && $0.severity == .note })
        #expect(note.message.vi.contains("Thôn Đông + Thôn Tây → Thôn Đông Tây (merge, hiệu lực 01/12/2024)"))
        #expect(note.message.en.contains("values 2024 added up into today's unit “Thôn Đông Tây”"))
        #expect(note.location?.file == "cw.csv" && note.location?.line == 2)
    }

    @Test func renameAndChainsAreFollowed() throws {
        let result = read("""
        Tên cũ,Tên mới,Thay đổi,Từ ngày
        Xóm Cũ,Thôn Mới,đổi tên,2024-06-01
        Thôn Mới,Thôn Mới Nhất,đổi tên,2025-06-01
        """)
        #expect(result.years("Thôn Mới Nhất", Measure(.crime))?[2024]?.count == 4)
        #expect(result.years("Thôn Mới Nhất", Measure(.crime))?[2025]?.count == 5)
        #expect(result.unit("Xóm Cũ") == nil && result.unit("Thôn Mới") == nil)
    }

    @Test func yearBeforeTheMergeWithAMissingPartIsLeftMissing() throws {
        // Thôn Bắc has 2023 but no 2024: the 2024 total would be Thôn Nam alone.
        let result = read("""
        Đơn vị cũ,Đơn vị mới,Loại thay đổi,Ngày hiệu lực
        Thôn Nam,Thôn Nam Bắc,gộp,01/07/2025
        Thôn Bắc,Thôn Nam Bắc,gộp,01/07/2025
        """)
        let merged = try #require(result.years("Thôn Nam Bắc", Measure(.crime)))
        #expect(merged[2023]?.count == 4)
        #expect(merged[2024] == nil)
        #expect(result.diagnostics.contains { $0.code == .reaggregated && $0.severity == .warning && $0.message.en.contains("Thôn Nam Bắc crime.cases 2024 (Thôn Bắc)") })
    }

    @Test func splitKeepsTheOldUnitAndWarns() {
        let result = read("""
        Đơn vị cũ,Đơn vị mới,Loại thay đổi,Ngày hiệu lực
        Xóm Cũ,Thôn Một,chia,01/01/2025
        Xóm Cũ,Thôn Hai,chia,01/01/2025
        """)
        #expect(result.years("Xóm Cũ", Measure(.crime))?[2024]?.count == 4)
        #expect(result.diagnostics.contains { $0.code == .reaggregated && $0.severity == .warning && $0.message.en.contains("was split") })
    }

    @Test func communeMergeMovesTheVillages() throws {
        let data = """
        Xã,Thôn,Năm,Tội phạm TTXH
        Xã Tịnh Châu,Thôn 1,2024,2
        Xã Tịnh Châu,Thôn Hòa,2024,1
        Xã Tịnh Khê,Thôn 1,2024,3
        """
        let result = read("""
        Xã cũ,Mã xã cũ,Xã mới,Mã xã mới,Hình thức,Ngày hiệu lực
        Xã Tịnh Châu,21208,Xã Tịnh Khê,21211,sáp nhập,01/07/2025
        """, data: data)
        let communes = result.panel.units.filter { $0.kind == .commune }
        #expect(communes.map(\.name) == ["Xã Tịnh Khê"])
        #expect(result.panel.units.filter { $0.kind == .village }.map(\.name).sorted() == ["Thôn 1", "Thôn 1 (Xã Tịnh Châu)", "Thôn Hòa"])
        #expect(result.years("Thôn 1 (Xã Tịnh Châu)", Measure(.crime))?[2024]?.count == 2)
        #expect(result.years("Thôn 1", Measure(.crime))?[2024]?.count == 3)
        #expect(result.diagnostics.contains { $0.code == .reaggregated && $0.message.en.contains("already has a village “Thôn 1”") })
    }

    @Test func crosswalkLineMatchingNothingIsWarned() {
        let result = read("Đơn vị cũ,Đơn vị mới\nThôn Ma,Thôn Mới\n")
        #expect(result.diagnostics.contains { $0.code == .reaggregated && $0.severity == .warning && $0.message.en.contains("matches no unit") })
    }
}

@Suite("Rejected rows")
struct RejectedRowTests {
    @Test func rejectedRowsCarryCellsAndReasons() throws {
        let text = "Thôn,Năm,Lĩnh vực,Số lượng\nThôn A,2024,TTXH,3\nThôn A,2024,TTXH,-1\nThôn B,20x4,TTXH,1\nThôn C,2024,TTXH,=1+1\nThôn A,2024,TTXH,4\n"
        let result = ingest(text, name: "in.csv", options: IngestOptions(collectRejectedRows: true))
        #expect(result.accounts[0].rejected == 4)
        #expect(result.rejectedRows.map(\.line) == [3, 4, 5, 6])
        #expect(result.rejectedRows[0].cells == ["Thôn A", "2024", "TTXH", "-1"])
        #expect(result.rejectedRows[0].reasons.map(\.code) == [.negativeCount])
        #expect(result.rejectedRows[3].reasons.map(\.code) == [.conflictingRow])
        let csv = String(decoding: RejectedRow.csv(result.rejectedRows, language: .en), as: UTF8.self)
        let lines = csv.split(separator: "\n")
        #expect(lines[0] == "file,sheet,line,codes,reasons,cell_1,cell_2,cell_3,cell_4")
        #expect(lines[1].hasPrefix("in.csv,,3,negative_count,"))
        #expect(lines[1].hasSuffix(",Thôn A,2024,TTXH,'-1"))
        #expect(lines[3].hasSuffix(",Thôn C,2024,TTXH,'=1+1"))
    }

    @Test func rejectedRowsOfAWorkbookSheet() throws {
        let bytes = try fixture("wide-openpyxl.xlsx")
        // Every row is rejected when the villages file is of another commune.
        let villages = "Tên thôn,Xã\nThôn Khác,Xã Khác\n"
        let result = Ingest.read(bytes: bytes, name: "wide.xlsx", options: IngestOptions(villages: .bytes(name: "v.csv", Array(villages.utf8)),
                                                                                       collectRejectedRows: true))
        #expect(result.accounts.allSatisfy { $0.rejected == 6 })
        #expect(result.rejectedRows.count == 12)
        let first = try #require(result.rejectedRows.first)
        #expect(first.sheet == "Năm 2024" && first.line == 6)
        #expect(first.cells.prefix(3) == ["1", "Thôn Đông", "1"])
        #expect(first.reasons.first?.code == .unknownVillage)
        // The second month row takes the village name from the merged cell.
        #expect(result.rejectedRows[1].cells.prefix(3) == ["1", "Thôn Đông", "2"])
    }
}
