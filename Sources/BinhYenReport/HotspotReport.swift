import BinhYenAnalytics
import BinhYenCore
import BinhYenStats

/// Tables of `hotspots` (SPEC §6–7): every field for JSON/CSV and a compact watch list for
/// terminals and Markdown.
///
/// Count limits (`limit_*`) are on the count scale, comparable with `count` and `expected`;
/// `rate_limit_*` are the same limits per 1,000 residents. `gi_*` describe the judged year's
/// local G of `gi_variant` on `variable`; `ehsa_*` the emerging class of the per-year series
/// (`ehsa_years`: the years that made the class; `ehsa_mk_*`: Mann–Kendall on the z-scores).
/// `mk_*`, `sen_slope` and `direction` are the trend of the yearly counts; `model`, `annual_rr*`
/// and `model_p` its log-linear count model (auto: Poisson or negative binomial). `reasons` lists the
/// watch rule's firing conditions in the chosen language (separated by " | "), `note` why fields
/// are empty or how they were obtained.
public enum HotspotReport {
    /// The canonical JSON/CSV field names, in order.
    public static let fieldKeys = [
        "commune", "commune_code", "village", "village_code", "category", "metric", "year", "count", "population",
        "population_year", "rate_per_1000", "rate_lo", "rate_hi", "target_per_1000", "target", "expected", "ratio",
        "p_upper", "p_upper_midp", "p_lower", "p_lower_midp", "limit_998_lo", "limit_95_lo", "limit_95_hi", "limit_998_hi",
        "rate_limit_998_lo", "rate_limit_95_lo", "rate_limit_95_hi", "rate_limit_998_hi", "funnel_flag", "funnel_flag_exact",
        "funnel_flag_midp", "variable", "gi_variant", "gi_neighbours", "gi_z", "gi_p", "gi_bin", "gi_p_bh", "gi_bin_fdr",
        "gi_g", "gi_eg", "gi_vg", "ehsa_class", "ehsa_years", "ehsa_steps", "ehsa_hot_years", "ehsa_cold_years",
        "ehsa_mk_s", "ehsa_mk_var_s", "ehsa_mk_z", "ehsa_mk_p", "n_years", "mk_s", "mk_p", "mk_p_exact", "sen_slope",
        "direction", "model", "annual_rr", "annual_rr_lo", "annual_rr_hi", "model_p", "rule", "verdict", "watch", "watch_points", "reasons", "note", "rule_pack", "period",
    ]

    static let headers: [String: LocalizedText] = [
        "commune": LocalizedText(vi: "Xã", en: "Commune"),
        "village": LocalizedText(vi: "Khu dân cư", en: "Village"),
        "category": LocalizedText(vi: "Lĩnh vực", en: "Category"),
        "metric": LocalizedText(vi: "Chỉ số", en: "Metric"),
        "year": LocalizedText(vi: "Năm", en: "Year"),
        "count": LocalizedText(vi: "Số vụ", en: "Count"),
        "population": LocalizedText(vi: "Dân số", en: "Population"),
        "rate_per_1000": LocalizedText(vi: "Tỷ lệ/1.000 dân", en: "Rate per 1,000"),
        "expected": LocalizedText(vi: "Kỳ vọng", en: "Expected"),
        "funnel_flag": LocalizedText(vi: "Biểu đồ phễu", en: "Funnel"),
        "gi_z": .same("Gi* z"),
        "ehsa_class": LocalizedText(vi: "Điểm nóng", en: "Emerging class"),
        "verdict": LocalizedText(vi: "Kết quả", en: "Verdict"),
        "watch": LocalizedText(vi: "Mức cảnh báo", en: "Watch"),
        "reasons": LocalizedText(vi: "Lý do", en: "Reasons"),
        "note": LocalizedText(vi: "Ghi chú", en: "Note"),
    ]

    /// Every field for each row (JSON and CSV). Undefined values are null cells, explained in `note`.
    public static func fullTable(_ rows: [HotspotRow], language: Language) -> OutputTable {
        let columns = fieldKeys.map { OutputColumn($0, headers[$0] ?? .same($0)) }
        let body = rows.map { row -> [OutputCell] in
            let cells = fields(row, language: language)
            return fieldKeys.map { cells[$0] ?? .null() }
        }
        return OutputTable(title: title(rows), columns: columns, rows: body, footnotes: footnotes(rows), metadata: metadata(rows))
    }

    /// The watch list for terminals and Markdown: village, measure, count, rate, expected, funnel
    /// flag, Gi* z, emerging class, verdict, watch level and reasons (one row per village and measure).
    public static func compactTable(_ rows: [HotspotRow], language: Language, catalogue: Catalogue = .standard) -> OutputTable {
        let keys = ["village", "measure", "count", "rate_per_1000", "expected", "funnel_flag", "gi_z", "ehsa_class",
                    "verdict", "watch", "reasons"]
        let columns = keys.map { key in
            OutputColumn(key, key == "measure" ? LocalizedText(vi: "Lĩnh vực", en: "Measure") : headers[key] ?? .same(key))
        }
        // Village names repeat across communes ("Khu phố 2"): with several communes, name the code.
        let severalCommunes = Set(rows.map(\.commune)).count > 1
        let body = rows.map { row -> [OutputCell] in
            [
                .text(severalCommunes ? row.villageCode.map { "\(row.village) (\($0))" } ?? "\(row.village), \(row.commune ?? "")" : row.village),
                .text(measureLabel(row.measure, catalogue: catalogue)(language)),
                .integer(row.count),
                .decimal(row.rate?.ratePer1000, digits: 2),
                .decimal(row.funnel?.expected, digits: 2),
                .text(row.funnel.map { flagLabel($0.flagByLimits)(language) }, tone: row.funnel.map { tone($0.flagByLimits) } ?? nil),
                .decimal(row.gi?.z, digits: 2, signed: true),
                .text(row.emerging.map { HotspotSentence.className($0.category, language) }),
                .text(row.verdict?.verdict.label(language)),
                .text(row.watch.label(language), tone: tone(row.watch)),
                .text(row.findings.isEmpty ? nil : row.findings.map { HotspotSentence.reason($0.reason, measure: row.measure, language: language) }.joined(separator: " | ")),
            ]
        }
        return OutputTable(title: title(rows), columns: columns, rows: body, footnotes: footnotes(rows), metadata: metadata(rows))
    }

    /// "Điểm nóng năm 2025 (…); Gi* nhị phân có chính nó trên số vụ; kỳ thống kê …; bộ quy tắc …"; nil without rows.
    public static func title(_ rows: [HotspotRow]) -> LocalizedText? {
        guard let first = rows.first else { return nil }
        let scheme = first.period
        let window = "\(first.year) (\(scheme.window(of: first.year)))"
        let variant = variantText(first.variant)
        let variable = first.variable == .count ? LocalizedText(vi: "số vụ", en: "counts") : LocalizedText(vi: "tỷ lệ trên 1.000 dân", en: "rates per 1,000")
        // Gi* needs neighbours (--adjacency); without them the title does not promise it.
        let spatial = rows.contains { $0.gi != nil }
            ? LocalizedText(vi: "\(variant.vi) trên \(variable.vi)", en: "\(variant.en) on \(variable.en)")
            : LocalizedText(vi: "không có tệp kề: không tính Gi*", en: "no adjacency file: no Gi*")
        return LocalizedText(
            vi: "Điểm nóng năm \(window); \(spatial.vi); \(scheme.label.vi); bộ quy tắc \(first.rulePackID)",
            en: "Hot spots \(window); \(spatial.en); \(scheme.label.en); rule pack \(first.rulePackID)")
    }

    /// `period`, `rule_pack`, `year`, `variable` and `gi_variant` of the rows.
    public static func metadata(_ rows: [HotspotRow]) -> [MetadataEntry] {
        guard let first = rows.first else { return [] }
        return [MetadataEntry("period", first.period.rawValue), MetadataEntry("rule_pack", first.rulePackID),
                MetadataEntry("year", String(first.year)), MetadataEntry("variable", first.variable.rawValue),
                MetadataEntry("gi_variant", first.variant.rawValue)]
    }

    /// Notes under the table: what the funnel target was and what the watch levels mean.
    static func footnotes(_ rows: [HotspotRow]) -> [LocalizedText] {
        guard let first = rows.first else { return [] }
        var notes: [LocalizedText] = []
        if first.targetGiven, let target = first.targetRatePer1000 {
            let vi = NumberStyle.decimal(target, digits: 3, language: .vi) ?? ""
            let en = NumberStyle.decimal(target, digits: 3, language: .en) ?? ""
            notes.append(LocalizedText(vi: "Biểu đồ phễu so với tỷ lệ chuẩn \(vi)/1.000 dân (--target-rate).",
                                       en: "Funnel against the target rate \(en) per 1,000 (--target-rate)."))
        } else {
            notes.append(LocalizedText(vi: "Biểu đồ phễu so với tỷ lệ chung của xã năm \(first.year); giới hạn 95% và 99,8% nội suy theo Spiegelhalter (2005).",
                                       en: "Funnel against the pooled commune rate of \(first.year); 95% and 99.8% limits by Spiegelhalter's (2005) interpolation."))
        }
        notes.append(LocalizedText(
            vi: "Mức cảnh báo cộng điểm các dấu hiệu: xu hướng tăng, vượt giới hạn phễu, điểm nóng mới nổi, không đạt tiêu chí. Đây là cảnh báo sớm, không phải kết luận chính thức.",
            en: "The watch level adds points for a rising trend, a funnel exceedance, an emerging hot spot and a failed rule. It is an early warning, not an official finding."))
        return notes
    }

    static func variantText(_ variant: GiVariant) -> LocalizedText {
        switch variant {
        case .star: return LocalizedText(vi: "Gi* trọng số nhị phân có chính nó", en: "Gi* with binary weights including self")
        case .starRowStandardised: return LocalizedText(vi: "Gi* trọng số chuẩn hoá theo hàng", en: "Gi* with row-standardised weights")
        case .gi: return LocalizedText(vi: "Gi (không tính chính nó)", en: "Gi without self")
        }
    }

    static func measureLabel(_ measure: Measure, catalogue: Catalogue) -> LocalizedText {
        guard let info = catalogue.info(measure.category) else { return .same(measure.description) }
        if measure.metric == .cases { return info.short }
        let metric = info.metric(measure.metric)?.label ?? .same(measure.metric.rawValue)
        return LocalizedText(vi: "\(info.short.vi) – \(metric.vi)", en: "\(info.short.en) – \(metric.en)")
    }

    static func flagLabel(_ flag: FunnelFlag) -> LocalizedText {
        switch flag {
        case .alarmHigh: return LocalizedText(vi: "cao (99,8%)", en: "high (99.8%)")
        case .alertHigh: return LocalizedText(vi: "cao (95%)", en: "high (95%)")
        case .inControl: return LocalizedText(vi: "trong giới hạn", en: "in control")
        case .alertLow: return LocalizedText(vi: "thấp (95%)", en: "low (95%)")
        case .alarmLow: return LocalizedText(vi: "thấp (99,8%)", en: "low (99.8%)")
        }
    }

    static func tone(_ flag: FunnelFlag) -> CellTone? {
        switch flag {
        case .alarmHigh, .alertHigh: return .bad
        case .inControl: return nil
        case .alertLow, .alarmLow: return .good
        }
    }

    static func tone(_ level: WatchLevel) -> CellTone? {
        switch level {
        case .alarm, .warning: return .bad
        case .watch: return .warning
        case .none: return .muted
        }
    }

    private static func years(_ list: [Int]) -> OutputCell {
        .text(list.isEmpty ? nil : list.map(String.init).joined(separator: " "))
    }

    /// The row's notes, and why the count model has no estimate when it has none.
    static func noteText(_ row: HotspotRow, language: Language) -> String? {
        var parts = row.notes.map { HotspotSentence.note($0, language: language) }
        if let model = row.countModel, model.annualRateRatio == nil, let first = model.notes.first {
            let reason = language == .vi ? first.vietnamese : first.english
            parts.append(language == .vi ? "mô hình đếm: \(reason)" : "count model: \(reason)")
        }
        return parts.isEmpty ? nil : parts.joined(separator: "; ")
    }

    private static func fields(_ row: HotspotRow, language: Language) -> [String: OutputCell] {
        var cells: [String: OutputCell] = [
            "commune": .text(row.commune), "commune_code": .text(row.communeCode), "village": .text(row.village),
            "village_code": .text(row.villageCode), "category": .text(row.measure.category.rawValue),
            "metric": .text(row.measure.metric.rawValue), "year": .integer(row.year, grouped: false),
            "count": .integer(row.count), "population": .integer(row.population),
            "population_year": .integer(row.populationYear, grouped: false),
            "rate_per_1000": .decimal(row.rate?.ratePer1000, digits: 2), "rate_lo": .decimal(row.rate?.lower, digits: 2),
            "rate_hi": .decimal(row.rate?.upper, digits: 2), "target_per_1000": .decimal(row.targetRatePer1000, digits: 3),
            "target": .text(row.targetRatePer1000 == nil ? nil : (row.targetGiven ? "given" : "pooled")),
            "variable": .text(row.variable.rawValue), "gi_variant": .text(row.variant.rawValue),
            "watch": .text(row.watch.rawValue, tone: tone(row.watch)), "watch_points": .integer(row.points),
            "reasons": .text(row.findings.isEmpty ? nil : row.findings.map { HotspotSentence.reason($0.reason, measure: row.measure, language: language) }.joined(separator: " | ")),
            "note": .text(noteText(row, language: language)),
            "rule_pack": .text(row.rulePackID), "period": .text(row.period.rawValue),
            "rule": .text(row.verdict?.ruleCode), "verdict": .text(row.verdict?.verdict.rawValue),
        ]
        if let funnel = row.funnel {
            cells["expected"] = .decimal(funnel.expected, digits: 2)
            cells["ratio"] = .decimal(funnel.ratio, digits: 3)
            cells["p_upper"] = .pValue(funnel.pUpper)
            cells["p_upper_midp"] = .pValue(funnel.pUpperMid)
            cells["p_lower"] = .pValue(funnel.pLower)
            cells["p_lower_midp"] = .pValue(funnel.pLowerMid)
            let limits = [("998_lo", funnel.outerLower), ("95_lo", funnel.innerLower), ("95_hi", funnel.innerUpper), ("998_hi", funnel.outerUpper)]
            for (suffix, limit) in limits {
                cells["limit_" + suffix] = .decimal(limit.count, digits: 2)
                if let population = row.population {
                    cells["rate_limit_" + suffix] = .decimal(1000 * limit.count / Double(population), digits: 2)
                }
            }
            cells["funnel_flag"] = .text(funnel.flagByLimits.rawValue, tone: tone(funnel.flagByLimits))
            cells["funnel_flag_exact"] = .text(funnel.flagByExactP.rawValue)
            cells["funnel_flag_midp"] = .text(funnel.flagByMidP.rawValue)
        }
        if let gi = row.gi {
            cells["gi_neighbours"] = .integer(gi.neighbourCount)
            cells["gi_z"] = .decimal(gi.z, digits: 3, signed: true)
            cells["gi_p"] = .pValue(gi.p)
            cells["gi_bin"] = .integer(gi.bin, signed: true)
            cells["gi_p_bh"] = .pValue(row.giPAdjusted)
            cells["gi_bin_fdr"] = .integer(row.giBinAdjusted, signed: true)
            cells["gi_g"] = .decimal(gi.g, digits: 4)
            cells["gi_eg"] = .decimal(gi.expectedG, digits: 4)
            cells["gi_vg"] = .decimal(gi.varianceG, digits: 6)
        }
        if let emerging = row.emerging {
            cells["ehsa_class"] = .text(emerging.category.rawValue)
            cells["ehsa_years"] = years(row.emergingYears)
            cells["ehsa_steps"] = .integer(emerging.stepCount)
            let steps = row.giYears
            cells["ehsa_hot_years"] = years(zip(steps, emerging.hotSteps).filter(\.1).map(\.0))
            cells["ehsa_cold_years"] = years(zip(steps, emerging.coldSteps).filter(\.1).map(\.0))
            if let trend = emerging.trend {
                cells["ehsa_mk_s"] = .integer(trend.s)
                cells["ehsa_mk_var_s"] = .decimal(trend.varianceS, digits: 2)
                cells["ehsa_mk_z"] = .decimal(trend.z, digits: 3)
                cells["ehsa_mk_p"] = .pValue(trend.p)
            }
        }
        if let trend = row.trend {
            cells["n_years"] = .integer(trend.yearCount)
            cells["mk_s"] = .integer(trend.mkS)
            cells["mk_p"] = .pValue(trend.mkP)
            cells["mk_p_exact"] = .pValue(trend.mkPExact)
            cells["sen_slope"] = .decimal(trend.senSlope, digits: 3)
            cells["direction"] = .text(trend.direction.rawValue)
        }
        if let model = row.countModel {
            cells["model"] = .text(model.model?.rawValue)
            cells["annual_rr"] = .decimal(model.annualRateRatio, digits: 3)
            cells["annual_rr_lo"] = .decimal(model.annualRateRatioLower, digits: 3)
            cells["annual_rr_hi"] = .decimal(model.annualRateRatioUpper, digits: 3)
            cells["model_p"] = .pValue(model.modelP)
        }
        return cells
    }
}
