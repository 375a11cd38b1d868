import BinhYenCore

/// The value of one series of one unit in one year, ready to judge.
struct YearTotal: Hashable {
    /// Raw count (including force-majeure cases).
    var count: Int
    var excluded: Int
    /// Residents of the unit that year, if known.
    var population: Int?
    var sources: [SourceLocation]

    var judged: Int { count - excluded }
}

/// Why a year total is not available: a note code and the reason in words.
struct YearProblem: Error, Hashable {
    var code: VerdictNoteCode
    var detail: LocalizedText

    init(_ code: VerdictNoteCode, _ detail: LocalizedText) {
        self.code = code
        self.detail = detail
    }
}

/// Yearly totals of units, summing villages for communes without their own rows.
///
/// A commune's own value for (measure, year) is used when the panel has one. Otherwise the total
/// is the sum over every village of the commune, and it is complete only if every village has
/// a complete value for that year; the problem names the villages without a value and the
/// missing subperiods of the others (SPEC §4: a missing period is missing, never zero).
struct YearTotals {
    let panel: Panel

    func total(unit: Int, measure: Measure, year: Int) -> Result<YearTotal, YearProblem> {
        if let own = panel.series[SeriesKey(unit: unit, measure: measure)]?[year] {
            return checked(own, unit: unit, year: year)
        }
        guard panel.units.indices.contains(unit), panel.units[unit].kind == .commune else {
            return .failure(YearProblem(.missingYear, noData(year: year, names: [])))
        }
        let villages = panel.villages(of: unit)
        guard !villages.isEmpty else {
            return .failure(YearProblem(.missingYear, noData(year: year, names: [])))
        }
        var missing: [String] = []
        var incomplete: [(String, [Subperiod])] = []
        var values: [YearValue] = []
        for village in villages {
            guard let value = panel.series[SeriesKey(unit: village, measure: measure)]?[year] else {
                missing.append(panel.units[village].name)
                continue
            }
            if case .incomplete(let gaps) = value.completeness { incomplete.append((panel.units[village].name, gaps)) }
            values.append(value)
        }
        if !missing.isEmpty {
            var detail = noData(year: year, names: missing)
            if !incomplete.isEmpty {
                let more = incompleteText(year: year, parts: incomplete)
                detail = LocalizedText(vi: detail.vi + "; " + more.vi, en: detail.en + "; " + more.en)
            }
            return .failure(YearProblem(.missingYear, detail))
        }
        if !incomplete.isEmpty {
            return .failure(YearProblem(.incompleteYear, incompleteText(year: year, parts: incomplete)))
        }
        var count = 0
        var excluded = 0
        var sources: [SourceLocation] = []
        for value in values {
            let (newCount, countOverflow) = count.addingReportingOverflow(value.count)
            let (newExcluded, excludedOverflow) = excluded.addingReportingOverflow(value.excluded)
            guard !countOverflow, !excludedOverflow else {
                return .failure(YearProblem(.invalidValue, LocalizedText(vi: "tổng năm \(year) vượt quá giới hạn số nguyên",
                                                                              en: "the \(year) total overflows")))
            }
            count = newCount
            excluded = newExcluded
            sources += value.sources
        }
        let total = YearValue(count: count, excluded: excluded, sources: sources)
        return checked(total, unit: unit, year: year)
    }

    /// Residents of `unit` in `year`: its own figure, else for a commune the sum over its
    /// villages when every village has one; nil otherwise or when not positive.
    func population(unit: Int, year: Int) -> Int? {
        if let own = panel.population[unit]?[year] { return own > 0 ? own : nil }
        guard panel.units.indices.contains(unit), panel.units[unit].kind == .commune else { return nil }
        let villages = panel.villages(of: unit)
        guard !villages.isEmpty else { return nil }
        var sum = 0
        for village in villages {
            guard let value = panel.population[village]?[year], value > 0 else { return nil }
            let (next, overflow) = sum.addingReportingOverflow(value)
            guard !overflow else { return nil }
            sum = next
        }
        return sum
    }

    private func checked(_ value: YearValue, unit: Int, year: Int) -> Result<YearTotal, YearProblem> {
        if case .incomplete(let gaps) = value.completeness {
            return .failure(YearProblem(.incompleteYear, incompleteText(year: year, parts: [(nil, gaps)])))
        }
        guard value.count >= 0, value.excluded >= 0, value.excluded <= value.count else {
            return .failure(YearProblem(.invalidValue, LocalizedText(
                vi: "năm \(year): số vụ bất khả kháng (\(value.excluded)) không hợp lệ so với tổng số (\(value.count))",
                en: "\(year): force-majeure exclusions (\(value.excluded)) are invalid for the total (\(value.count))")))
        }
        return .success(YearTotal(count: value.count, excluded: value.excluded,
                                  population: population(unit: unit, year: year), sources: value.sources))
    }

    private func noData(year: Int, names: [String]) -> LocalizedText {
        if names.isEmpty { return LocalizedText(vi: "không có số liệu năm \(year)", en: "no data for \(year)") }
        let list = names.joined(separator: ", ")
        return LocalizedText(vi: "năm \(year) thiếu số liệu của: \(list)", en: "\(year): no data for \(list)")
    }

    private func incompleteText(year: Int, parts: [(String?, [Subperiod])]) -> LocalizedText {
        func describe(_ language: Language) -> String {
            parts.map { name, gaps in
                let list = gaps.map { Self.subperiodName($0)(language) }.joined(separator: ", ")
                let missing = language == .vi ? "thiếu \(list)" : "missing \(list)"
                return name.map { "\($0) (\(missing))" } ?? missing
            }.joined(separator: "; ")
        }
        return LocalizedText(vi: "năm \(year) chưa đủ kỳ: \(describe(.vi))", en: "\(year) incomplete: \(describe(.en))")
    }

    static func subperiodName(_ period: Subperiod) -> LocalizedText {
        switch period {
        case .year: return LocalizedText(vi: "cả năm", en: "whole year")
        case .quarter(let q): return LocalizedText(vi: "quý \(q)", en: "quarter \(q)")
        case .month(let m): return LocalizedText(vi: "tháng \(m)", en: "month \(m)")
        case .week(let w): return LocalizedText(vi: "tuần \(w)", en: "week \(w)")
        }
    }
}
