import BinhYenCore
import Testing
@testable import BinhYenIngest

@Suite("Incident lists and period schemes")
struct IncidentTests {
    private func date(_ text: String) throws -> CivilDate {
        try DateParser.read(text).get()
    }

    /// (date, scheme, expected year, expected month label)
    @Test(arguments: [
        ("14/12/2024", PeriodScheme.statistical, 2024, 12), ("15/12/2024", .statistical, 2025, 1),
        ("14/01/2025", .statistical, 2025, 1), ("15/01/2025", .statistical, 2025, 2), ("31/12/2024", .statistical, 2025, 1),
        ("14/12/2024", .calendar, 2024, 12), ("15/12/2024", .calendar, 2024, 12), ("31/12/2024", .calendar, 2024, 12),
        ("01/01/2025", .calendar, 2025, 1),
        ("15/11/2024", .tt124Commune, 2024, 11), ("16/11/2024", .tt124Commune, 2025, 12), ("15/12/2024", .tt124Commune, 2025, 12),
        ("16/12/2024", .tt124Commune, 2025, 1),
        ("31/10/2024", .tt124Village, 2024, 10), ("01/11/2024", .tt124Village, 2025, 11), ("31/12/2024", .tt124Village, 2025, 12),
        ("01/01/2025", .tt124Village, 2025, 1),
    ])
    func schemeBoundaries(text: String, scheme: PeriodScheme, year: Int, month: Int) throws {
        let period = scheme.period(of: try date(text))
        #expect(period.year == year && period.month == month, "\(text) \(scheme)")
    }

    @Test func everyDayOfAYearFallsInTheYearWindow() throws {
        // The scheme's window(of:) and period(of:) agree on both ends of every year.
        for scheme in PeriodScheme.allCases {
            let window = scheme.window(of: 2025).split(separator: "–").map(String.init)
            #expect(scheme.period(of: try date(window[0])).year == 2025, "\(scheme)")
            #expect(scheme.period(of: try date(window[1])).year == 2025, "\(scheme)")
            let before = CivilDate(daysSinceEpoch: try date(window[0]).daysSinceEpoch - 1)
            let after = CivilDate(daysSinceEpoch: try date(window[1]).daysSinceEpoch + 1)
            #expect(scheme.period(of: before).year == 2024, "\(scheme)")
            #expect(scheme.period(of: after).year == 2026, "\(scheme)")
        }
    }

    @Test func dateNotations() throws {
        #expect(try date("05/03/2024").description == "2024-03-05")
        #expect(try date("5-3-2024").description == "2024-03-05")
        #expect(try date("2024-03-05").description == "2024-03-05")
        #expect(try date("2024/03/05 14:30").description == "2024-03-05")
        #expect(try date("45356").description == "2024-03-05")
        #expect(DateParser.read("2024") == .failure(.yearOnly))
        #expect(DateParser.read("31/04/2024") == .failure(.noSuchDay))
        #expect(DateParser.read("03/25/2024") == .failure(.noSuchDay))
        #expect(DateParser.read("29/02/2023") == .failure(.noSuchDay))
        #expect(try date("29/02/2024").description == "2024-02-29")
        #expect(DateParser.read("hôm qua") == .failure(.notADate))
        #expect(DateParser.read("05/03/24") == .failure(.notADate))
    }

    @Test(arguments: [("có", true), ("Không", false), ("x", true), ("X", true), ("yes", true), ("no", false), ("1", true),
                      ("0", false), ("", false), ("TRUE", true), ("FALSE", false)])
    func forceMajeureFlags(text: String, flag: Bool) {
        #expect(FlagParser.read(text) == flag)
    }

    @Test func incidentsAreCountedIntoStatisticalMonths() throws {
        let result = try ingestFixtures(["incidents.csv"])
        #expect(!result.hasErrors, "\(result.diagnostics)")
        #expect(result.accounts[0].layout == "incidents")
        #expect(result.accounts[0].rowsRead == 6 && result.accounts[0].accepted == 6)
        #expect(result.accountsBalance)
        // 14/01/2024 → month 1; 15/01/2024 → month 2 (statistical year 2024).
        let traffic = try #require(result.years("Thôn Đông", Measure(.traffic))?[2024])
        #expect(traffic.months[1] == 1 && traffic.months[2] == 1 && traffic.count == 2 && traffic.isComplete)
        #expect(result.years("Thôn Đông", Measure(.traffic, .deaths))?[2024]?.months[2] == 1)
        #expect(result.years("Thôn Đông", Measure(.traffic, .injuries))?[2024]?.count == 1)
        #expect(result.years("Thôn Đông", Measure(.traffic, .damageVND))?[2024]?.count == 2_000_000)
        // 14/12/2024 (force majeure, 50 million) → 2024 month 12; 15/12/2024 → 2025 month 1.
        let fire2024 = try #require(result.years("Thôn Tây", Measure(.fire))?[2024])
        #expect(fire2024.count == 1 && fire2024.excluded == 1 && fire2024.months[12] == 1)
        #expect(result.years("Thôn Tây", Measure(.fire, .damageVND))?[2024]?.excluded == 50_000_000)
        #expect(result.years("Thôn Tây", Measure(.fire))?[2025]?.months[1] == 1)
        #expect(result.years("Thôn Tây", Measure(.fire))?[2025]?.excluded == 0)
        // 15/11/2025 (x: force majeure) and 16/11/2025 both open statistical month 12.
        let ben = try #require(result.years("Xóm Bến", Measure(.traffic))?[2025])
        #expect(ben.months[11] == 0 && ben.months[12] == 2 && ben.excluded == 1)
        // Months without events are zero for every village and category of the list, in 2024–2025 only.
        #expect(result.years("Xóm Bến", Measure(.fire))?[2024]?.count == 0)
        #expect(result.years("Xóm Bến", Measure(.fire))?[2024]?.isComplete == true)
        #expect(result.panel.years == [2024, 2025])
        #expect(result.years("Thôn Đông", Measure(.crime)) == nil)
        let note = try #require(result.diagnostics.first { $0.message.en.hasPrefix("Incident list") })
        #expect(note.message.en.contains("6 events") && note.message.en.contains("2024–2025"))
    }

    @Test(arguments: ["incidents-xlsxwriter.xlsx", "incidents-1904.xlsx"])
    func incidentWorkbookMatchesTheTextList(file: String) throws {
        let text = try ingestFixtures(["incidents.csv"])
        let book = try ingestFixtures([file])
        #expect(!book.hasErrors, "\(book.diagnostics)")
        #expect(book.panel.values == text.panel.values)
        // 3 villages × 2 categories × 4 metrics × 2 years.
        #expect(book.panel.values.count == 48)
    }

    @Test(arguments: [PeriodScheme.calendar, .tt124Commune, .tt124Village])
    func otherSchemesMoveTheBoundaryEvents(scheme: PeriodScheme) throws {
        let result = try ingestFixtures(["incidents.csv"], options: IngestOptions(scheme: scheme))
        #expect(result.panel.scheme == scheme)
        let fire = result.years("Thôn Tây", Measure(.fire))
        switch scheme {
        case .calendar, .tt124Commune:
            // 14/12/2024 and 15/12/2024 are both in 2024 (calendar) or both in 2025 (tt124-commune).
            let year = scheme == .calendar ? 2024 : 2025
            #expect(fire?[year]?.count == 2)
        case .tt124Village:
            #expect(fire?[2025]?.count == 2)
            #expect(fire?[2025]?.months[12] == 2)
        case .statistical:
            break
        }
        // 15/11/2025 and 16/11/2025: the tt124-commune year boundary falls between them.
        let ben = result.years("Xóm Bến", Measure(.traffic))
        switch scheme {
        case .tt124Commune:
            #expect(ben?[2025]?.months[11] == 1)
            #expect(ben?[2026]?.months[12] == 1)
        case .calendar, .tt124Village:
            #expect(ben?[scheme == .calendar ? 2025 : 2026]?.months[11] == 2)
        case .statistical:
            break
        }
    }

    /// A hostile category cell of an incident list is quoted cut to 40 characters, as in tables.
    @Test func longUnknownIncidentCategoryIsQuotedShort() {
        let cell = String(repeating: "xyz ", count: 2_000)
        let result = ingest("Ngày,Thôn,Lĩnh vực,Người chết\n05/03/2024,Thôn A,\(cell),0\n", name: "vu.csv")
        let diagnostic = result.diagnostics.first { $0.code == .unknownCategory }
        #expect(diagnostic?.message.vi.contains("“" + String(cell.prefix(40)) + "…”") == true)
        #expect((diagnostic?.message.en.count ?? .max) < 200)
        #expect(result.accounts[0].rejected == 1)
        let dates = ingest("Ngày,Thôn,Lĩnh vực\n\(cell),Thôn A,TNGT\n", name: "vu.csv")
        #expect((dates.diagnostics.first { $0.code == .invalidDate }?.message.en.count ?? .max) < 200)
    }

    @Test func badIncidentRowsAreRejectedWithReasons() {
        let text = """
        Ngày,Thôn,Lĩnh vực,Người chết,Bất khả kháng
        2024,Thôn A,TNGT,0,không
        31/04/2024,Thôn A,TNGT,0,không
        05/03/2024,Thôn A,Trộm chó,0,không
        05/03/2024,Thôn A,TNGT,hai,không
        05/03/2024,Thôn A,TNGT,0,có lẽ
        05/03/2024,Thôn A,TNGT,1,có
        05/03/2024,Thôn A,TNGT,1,có
        ,Thôn A,TNGT,0,
        05/03/2024,Thôn A,TTXH,2,
        """
        let result = ingest(text, name: "vu.csv")
        #expect(result.accounts[0].rowsRead == 9)
        #expect(result.accounts[0].rejected == 6)
        #expect(result.accounts[0].duplicates == 1)
        #expect(result.accounts[0].accepted == 2)
        #expect(result.accountsBalance)
        let codes = result.diagnostics.filter { $0.severity == .error }.map { "\($0.location?.line ?? 0):\($0.code.rawValue)" }
        #expect(codes == ["2:invalid_date", "3:invalid_date", "4:unknown_category", "5:non_numeric_count", "6:invalid_flag", "9:missing_value"])
        #expect(result.diagnostics(.duplicateRow).first?.location?.line == 8)
        // crime has no deaths metric: the 2 is ignored with a warning.
        #expect(result.diagnostics(.unknownMetric).first?.severity == .warning)
        #expect(result.years("Thôn A", Measure(.traffic))?[2024]?.count == 1)
        #expect(result.years("Thôn A", Measure(.crime))?[2024]?.count == 1)
    }
}
