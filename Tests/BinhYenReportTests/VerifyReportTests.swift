import BinhYenAnalytics
import BinhYenCore
import Foundation
import BinhYenTestSupport
import Testing
@testable import BinhYenReport

@Suite("Verify report")
struct VerifyReportTests {
    static let crime = Measure(.crime)
    static let fire = Measure(.fire)

    /// Rows of the default pack restricted to crime (reduce 5%) and fire (decrease) for one commune.
    static func rows(crime: (Int, Int)?, fire: (Int, Int)? = nil, options: VerifyOptions = VerifyOptions(),
                     fireMissing: [Subperiod] = []) throws -> [VerdictRow] {
        var pack = try RulePack.builtIn(id: RulePack.defaultID)
        pack.rules = pack.rules.filter { $0.measure == Self.crime || $0.measure == Self.fire }
        var builder = PanelBuilder()
        let commune = builder.commune("Tịnh Châu", code: "21208")
        if let crime { builder.series(commune, Self.crime, from: 2024, [crime.0, crime.1]) }
        if let fire {
            builder.set(commune, Self.fire, 2024, fire.0)
            builder.set(commune, Self.fire, 2025, fire.1, missing: fireMissing)
        }
        return Verifier(pack: pack, options: options).verify(builder.panel)
    }

    static func sentence(_ prev: Int, _ curr: Int, _ language: Language, options: VerifyOptions = VerifyOptions()) throws -> String {
        let row = try #require(try rows(crime: (prev, curr), options: options).first)
        return VerdictSentence.make(row, language: language)
    }

    @Test("sentence 20 → 19 in Vietnamese and English")
    func sentenceMet() throws {
        #expect(try Self.sentence(20, 19, .vi)
                == "Phạm tội về TTXH: 20 → 19 vụ (−5,00%): đạt (giảm ≥ 5%); thay đổi không có ý nghĩa thống kê (p = 1,00)")
        #expect(try Self.sentence(20, 19, .en)
                == "Social-order crime: 20 → 19 cases (−5.00%): met (down ≥ 5%); change not statistically significant (p = 1.00)")
    }

    @Test("sentence 21 → 20: not met, with the largest count that would have met")
    func sentenceNotMet() throws {
        #expect(try Self.sentence(21, 20, .vi)
                == "Phạm tội về TTXH: 21 → 20 vụ (−4,76%): không đạt (giảm ≥ 5%, tối đa 19); thay đổi không có ý nghĩa thống kê (p = 1,00)")
        #expect(try Self.sentence(21, 20, .en)
                == "Social-order crime: 21 → 20 cases (−4.76%): not met (down ≥ 5%, at most 19); change not statistically significant (p = 1.00)")
    }

    @Test("sentences for a zero base: 0 → 3 new cases, 0 → 0 kept at zero; not-applicable policy")
    func sentenceZeroBase() throws {
        #expect(try Self.sentence(0, 3, .vi)
                == "Phạm tội về TTXH: 0 → 3 vụ (không tính được tỷ lệ): không đạt (phát sinh mới); thay đổi không có ý nghĩa thống kê (p = 0,25)")
        #expect(try Self.sentence(0, 3, .en)
                == "Social-order crime: 0 → 3 cases (percentage not computable): not met (new cases); change not statistically significant (p = 0.25)")
        #expect(try Self.sentence(0, 0, .vi)
                == "Phạm tội về TTXH: 0 → 0 vụ (tương đương): đạt (duy trì không xảy ra); không có vụ nào trong cả hai năm, không kiểm định")
        #expect(try Self.sentence(0, 0, .en)
                == "Social-order crime: 0 → 0 cases (unchanged): met (kept at zero); no events in either year, no test")
        #expect(try Self.sentence(0, 3, .vi, options: VerifyOptions(zeroBase: .notApplicable))
                == "Phạm tội về TTXH: 0 → 3 vụ (không tính được tỷ lệ): không áp dụng (năm trước không xảy ra vụ nào, không tính được tỷ lệ); thay đổi không có ý nghĩa thống kê (p = 0,25)")
    }

    @Test("sentences: unchanged, significant, thousands, incomplete data, overall")
    func sentenceOthers() throws {
        let unchanged = try Self.rows(crime: (20, 19), fire: (4, 4))
        #expect(VerdictSentence.make(unchanged[1], language: .vi)
                == "Cháy, nổ: 4 → 4 vụ (tương đương): không đạt (giảm, tối đa 3); thay đổi không có ý nghĩa thống kê (p = 1,00)")
        #expect(VerdictSentence.make(unchanged[2], language: .vi) == "Tổng hợp: không đạt (không đạt: Cháy, nổ)")
        #expect(VerdictSentence.make(unchanged[2], language: .en) == "Overall: not met (not met: Fires and explosions)")

        #expect(try Self.sentence(1500, 1200, .vi)
                == "Phạm tội về TTXH: 1.500 → 1.200 vụ (−20,00%): đạt (giảm ≥ 5%); thay đổi có ý nghĩa thống kê (p < 0,001)")
        #expect(try Self.sentence(1500, 1200, .en)
                == "Social-order crime: 1,500 → 1,200 cases (−20.00%): met (down ≥ 5%); change statistically significant (p < 0.001)")
        #expect(try Self.sentence(30, 40, .en)
                == "Social-order crime: 30 → 40 cases (+33.33%): not met (down ≥ 5%, at most 28); change not statistically significant (p = 0.28)")

        let incomplete = try Self.rows(crime: (20, 19), fire: (4, 3), fireMissing: [.month(11), .month(12)])
        #expect(VerdictSentence.make(incomplete[1], language: .vi)
                == "Cháy, nổ: thiếu số liệu (năm 2025 chưa đủ kỳ: thiếu tháng 11, tháng 12)")
        #expect(VerdictSentence.make(incomplete[2], language: .en)
                == "Overall: insufficient data (insufficient data: Fires and explosions)")
        let allMet = try Self.rows(crime: (20, 19), fire: (4, 3))
        #expect(VerdictSentence.make(allMet[2], language: .vi) == "Tổng hợp: đạt (mọi tiêu chí đạt)")
    }

    @Test("full table has exactly the canonical fields, in order")
    func fieldKeys() throws {
        let table = VerifyReport.fullTable(try Self.rows(crime: (20, 19)), language: .vi)
        #expect(table.columns.map(\.key) == [
            "unit_kind", "commune", "commune_code", "village", "village_code", "category", "metric", "rule", "year",
            "prev_year", "prev", "curr", "prev_excluded", "curr_excluded", "prev_exposure", "curr_exposure", "change",
            "pct_change", "reduction_pct", "target_max", "verdict", "note", "p_exact", "p_exact_less", "p_exact_greater",
            "p_midp", "p_midp_lower", "p_midp_upper", "rate_ratio", "rr_lo", "rr_hi", "rr_hi_infinite", "rr_midp_lo",
            "rr_midp_hi", "rr_median_unbiased", "rr_wald_lo", "rr_wald_hi", "significant", "sentence", "rule_pack", "period",
        ])
        #expect(table.rows.count == 3)
        #expect(table.rows.allSatisfy { $0.count == table.columns.count })
    }

    /// The JSON records of `rows`, parsed back.
    static func records(_ rows: [VerdictRow], language: Language = .en) throws -> [[String: Any]] {
        let json = JSONWriter().render(VerifyReport.fullTable(rows, language: language))
        return try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [[String: Any]])
    }

    /// p, RR and interval values from the golden case `yoy_change_basic` (R 4.2.2 `poisson.test`,
    /// epitools mid-p), row a (20 → 19); tolerance 1e-10 as in the case.
    @Test("JSON values: numbers as numbers, ids, nulls for undefined values, infinite upper limit flagged")
    func jsonValues() throws {
        let met = try Self.records(try Self.rows(crime: (20, 19)))[0]
        #expect(met["unit_kind"] as? String == "commune")
        #expect(met["commune"] as? String == "Tịnh Châu")
        #expect(met["commune_code"] as? String == "21208")
        #expect(met["village"] is NSNull)
        #expect(met["category"] as? String == "crime" && met["metric"] as? String == "cases")
        #expect(met["rule"] as? String == "reduce_by_pct(5)")
        #expect(met["year"] as? Int == 2025 && met["prev_year"] as? Int == 2024)
        #expect(met["prev"] as? Int == 20 && met["curr"] as? Int == 19)
        #expect(met["prev_excluded"] as? Int == 0 && met["prev_exposure"] is NSNull)
        #expect(met["change"] as? Int == -1)
        #expect(met["pct_change"] as? Double == -5 && met["reduction_pct"] as? Double == 5)
        #expect(met["target_max"] as? Int == 19)
        #expect(met["verdict"] as? String == "met" && met["note"] is NSNull)
        #expect(met["p_exact"] as? Double == 1)
        #expect(abs((met["p_exact_less"] as? Double ?? 0) - 0.5) < 1e-12)
        #expect(abs((met["p_midp"] as? Double ?? 0) - 0.874629312380421) < 1e-12)
        #expect(abs((met["rate_ratio"] as? Double ?? 0) - 0.95) < 1e-12)
        #expect(abs((met["rr_lo"] as? Double ?? 0) - 0.479685649409018) < 1e-10)
        #expect(abs((met["rr_hi"] as? Double ?? 0) - 1.87519737683027) < 1e-10)
        #expect(met["rr_hi_infinite"] as? Bool == false)
        #expect(abs((met["rr_wald_lo"] as? Double ?? 0) - 0.507027231178197) < 1e-10)
        #expect(met["significant"] as? Bool == false)
        #expect((met["sentence"] as? String)?.hasPrefix("Social-order crime: 20 → 19 cases") == true)
        #expect(met["rule_pack"] as? String == "ntm-2021-2025" && met["period"] as? String == "statistical")

        let new = try Self.records(try Self.rows(crime: (0, 3)), language: .vi)[0]
        #expect(new["verdict"] as? String == "not_met" && new["note"] as? String == "new_cases")
        #expect(new["pct_change"] is NSNull && new["reduction_pct"] is NSNull && new["rate_ratio"] is NSNull)
        #expect(new["rr_hi"] is NSNull && new["rr_hi_infinite"] as? Bool == true)
        #expect(new["rr_wald_lo"] is NSNull && new["rr_median_unbiased"] is NSNull)
        #expect((new["sentence"] as? String)?.contains("phát sinh mới") == true)

        let overall = try Self.records(try Self.rows(crime: (20, 19)))[2]
        #expect(overall["category"] is NSNull && overall["rule"] as? String == "all")
        #expect(overall["verdict"] as? String == "insufficient_data")
        #expect(overall["note"] as? String == "rules_insufficient")
        #expect(overall["p_exact"] is NSNull && overall["significant"] is NSNull)
    }

    @Test("CSV of the verdict table: empty cells for nulls, '.' decimals, sentence quoted when needed")
    func csv() throws {
        let csv = CSVWriter().render(VerifyReport.fullTable(try Self.rows(crime: (0, 3)), language: .vi))
        let lines = csv.split(separator: "\n").map(String.init)
        #expect(lines[0] == VerifyReport.fieldKeys.joined(separator: ","))
        #expect(lines[1].hasPrefix("commune,Tịnh Châu,21208,,,crime,cases,reduce_by_pct(5),2025,2024,0,3,0,0,,,3,,,0,not_met,new_cases,0.25"))
        // rate_ratio, rr_hi, rr_median_unbiased and the Wald limits are empty; rr_hi_infinite is true.
        #expect(lines[1].contains(",,0.4132313550308941,,true,0.5832884533618782,,,,,false,"))
        #expect(lines[1].contains(",\"Phạm tội về TTXH: 0 → 3 vụ (không tính được tỷ lệ): không đạt (phát sinh mới); thay đổi không có ý nghĩa thống kê (p = 0,25)\",ntm-2021-2025,statistical"))
    }

    @Test("compact table: localized headers, verdict words and number style")
    func compact() throws {
        let rows = try Self.rows(crime: (1500, 1200), fire: (4, 4))
        let vi = VerifyReport.compactTable(rows, language: .vi)
        #expect(vi.columns.map { $0.header.vi } == ["Đơn vị", "Lĩnh vực", "Năm trước", "Năm nay", "Thay đổi", "Tỷ lệ",
                                                     "Mức tối đa", "Kết quả", "p", "Ghi chú"])
        #expect(vi.title?.vi == "Năm 2025 (15/12/2024–14/12/2025) so với năm 2024 (15/12/2023–14/12/2024); kỳ thống kê 15/12–14/12 (NĐ 09/2019/NĐ-CP); bộ quy tắc ntm-2021-2025")
        let text = TerminalTableWriter(language: .vi).render(vi)
        #expect(text.contains("Tịnh Châu  Phạm tội về TTXH      1.500    1.200      \u{2212}300  \u{2212}20,00%       1.425  Đạt        < 0,001"))
        #expect(text.contains("Không đạt"))
        let en = MarkdownWriter(language: .en).render(VerifyReport.compactTable(rows, language: .en))
        #expect(en.contains("| Tịnh Châu | Social-order crime   |    1,500 |   1,200 |   -300 |  -20.00% |       1,425 | met     | \\< 0.001 | –    "))
        #expect(en.contains("| Tịnh Châu | Overall              |        – |       – |      – |        – |           – | not met |        – | not met: Fires and explosions |"))
        #expect(en.contains("not met"))
        #expect(Verdict.allCases.map { $0.label.vi } == ["Đạt", "Không đạt", "Không áp dụng", "Thiếu số liệu"])
        #expect(Verdict.allCases.map { $0.label.en } == ["met", "not met", "not applicable", "insufficient data"])
    }

    @Test("rates: sentence says the percentage is per resident; exposures exported")
    func rates() throws {
        var builder = PanelBuilder()
        let commune = builder.commune("X")
        builder.series(commune, Self.crime, from: 2024, [20, 19])
        builder.population(commune, 2024, 1000)
        builder.population(commune, 2025, 900)
        var pack = try RulePack.builtIn(id: RulePack.defaultID)
        pack.rules = [pack.rules[0]]
        let rows = Verifier(pack: pack, options: VerifyOptions(useRates: true)).verify(builder.panel)
        #expect(VerdictSentence.make(rows[0], language: .vi)
                == "Phạm tội về TTXH: 20 → 19 vụ (+5,56% theo tỷ lệ trên số dân): không đạt (giảm ≥ 5%, tối đa 17); thay đổi không có ý nghĩa thống kê (p = 0,87)")
        let record = try Self.records(rows)[0]
        #expect(record["prev_exposure"] as? Int == 1000 && record["curr_exposure"] as? Int == 900)
    }
}
