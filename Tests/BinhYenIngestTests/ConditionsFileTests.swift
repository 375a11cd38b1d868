import BinhYenCore
import Testing
@testable import BinhYenIngest

@Suite("Conditions file")
struct ConditionsFileTests {
    /// A panel with two communes (each one village) read from a long file.
    static let panel = ingest("""
    Xã,Thôn,Năm,Lĩnh vực,Số lượng
    Xã Bình Yên,Thôn Đông,2024,TTXH,3
    Xã Bình Yên,Thôn Đông,2025,TTXH,2
    Xã Hòa Bình,Thôn Tây,2025,TTXH,1
    """).panel

    static func read(_ text: String, panel: Panel = panel) -> ConditionsResult {
        ConditionsReader.read(.bytes(name: "dieu-kien.csv", Array(text.utf8)), panel: panel)
    }

    @Test("good rows: keys, Vietnamese labels and short names; every yes/no spelling; notes and sources kept")
    func goodRows() {
        let result = Self.read("""
        Xã,Năm,Điều kiện,Kết quả,Ghi chú,Nguồn
        xã bình yên,2025,national_security,đạt,,
        Xã Bình Yên,2025,Khiếu kiện đông người kéo dài,Không đạt,1 vụ,Báo cáo 12/BC-CAX
        Xa Binh Yen,2025,tụ điểm,x,,
        Xã Hòa Bình,2025.0,Tội phạm đặc biệt nghiêm trọng,0,,
        Xã Hòa Bình,2025,KEY_COMMUNE_LIST,yes,,
        """)
        #expect(!result.hasErrors, "\(result.diagnostics)")
        #expect(result.records.map(\.key) == [.nationalSecurity, .massComplaints, .orderHotspots, .seriousCrime, .keyCommuneList])
        #expect(result.records.map(\.met) == [true, false, true, false, true])
        #expect(result.records.map(\.commune) == ["Xã Bình Yên", "Xã Bình Yên", "Xã Bình Yên", "Xã Hòa Bình", "Xã Hòa Bình"])
        #expect(result.records.allSatisfy { $0.year == 2025 })
        #expect(result.records[1].note == "1 vụ; Báo cáo 12/BC-CAX")
        #expect(result.records[1].value == "Không đạt")
        #expect(result.records[1].source == SourceLocation(file: "dieu-kien.csv", line: 3))
    }

    @Test("English headings; no commune column when the data have one commune")
    func englishSingleCommune() {
        let single = ingest("Thôn,Năm,Lĩnh vực,Số lượng\nThôn Đông,2025,TTXH,2\n", options: IngestOptions(defaultCommune: "Xã Tịnh Châu")).panel
        let result = Self.read("year,condition,met,note\n2025,mass_complaints,no,\n2025,serious crime,true,checked\n", panel: single)
        #expect(!result.hasErrors, "\(result.diagnostics)")
        #expect(result.records.map(\.commune) == ["Xã Tịnh Châu", "Xã Tịnh Châu"])
        #expect(result.records.map(\.met) == [false, true])
        #expect(result.records[1].note == "checked")
    }

    @Test("bad rows: each an error with file, line and reason; the good rows are still read")
    func badRows() throws {
        let result = Self.read("""
        Xã,Năm,Điều kiện,Đạt
        Xã Bình Yên,2025,an ninh mạng,đạt
        Xã Bình Yên,2025,mass_complaints,có lẽ
        Xã Bình Yên,20x5,serious_crime,đạt
        Xã Bình An,2025,serious_crime,đạt
        ,2025,serious_crime,đạt
        Xã Bình Yên,2025,serious_crime,
        Xã Bình Yên,2025,order_hotspots,đạt
        Xã Bình Yên,2025,order_hotspots,không đạt
        Xã Bình Yên,2025,tụ điểm,đạt
        """)
        let errors = result.diagnostics.filter { $0.severity == .error }
        #expect(errors.map { $0.location?.line ?? 0 } == [2, 3, 4, 5, 6, 7, 9])
        #expect(errors.allSatisfy { $0.location?.file == "dieu-kien.csv" })
        #expect(errors[0].code == .unknownCondition)
        #expect(errors[0].message.en.contains("“an ninh mạng” is not a condition of indicator 19.2"))
        #expect(errors[0].message.vi.contains("national_security, mass_complaints, serious_crime, order_hotspots, key_commune_list"))
        #expect(errors[1].code == .invalidFlag && errors[1].message.vi.contains("“có lẽ”"))
        #expect(errors[2].code == .invalidYear)
        #expect(errors[3].message.vi.contains("Xã “Xã Bình An” không có trong số liệu"))
        #expect(errors[3].message.vi.contains("Xã Bình Yên"))
        #expect(errors[4].message.en.contains("names no commune, and the data have 2 communes"))
        #expect(errors[5].code == .missingValue)
        #expect(errors[6].code == .conflictingRow && errors[6].message.en.contains("dieu-kien.csv:8"))
        // The identical repeat (line 10, by its short name) is a warning, counted once.
        let warning = try #require(result.diagnostics.first { $0.severity == .warning })
        #expect(warning.code == .duplicateRow && warning.location?.line == 10)
        #expect(result.records.map(\.key) == [.orderHotspots])
    }

    @Test("a file without the needed columns is one error")
    func missingColumns() {
        let result = Self.read("Xã,Năm,Ghi chú\nXã Bình Yên,2025,x\n")
        #expect(result.diagnostics.count == 1)
        #expect(result.diagnostics.first?.code == .missingColumn)
        #expect(result.records.isEmpty)
    }

    @Test("every condition resolves from its key and both labels")
    func keysAndLabels() {
        for condition in NonCountCondition.indicator19_2 {
            #expect(ConditionKey.resolve(condition.key.rawValue) == condition.key)
            #expect(ConditionKey.resolve(condition.label.vi) == condition.key)
            #expect(ConditionKey.resolve(condition.label.en.uppercased()) == condition.key)
        }
        #expect(ConditionKey.resolve("ANQG") == .nationalSecurity)
        #expect(ConditionKey.resolve("") == nil)
        #expect(ConditionKey.allCases.count == NonCountCondition.indicator19_2.count)
    }
}
