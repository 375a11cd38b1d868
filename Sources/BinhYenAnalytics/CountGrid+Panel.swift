import BinhYenCore

extension CountGrid {
    /// The villages of `panel` as a grid, the input of the `summary` table when the files were read
    /// by the general reader (any layout, Vietnamese or English headings).
    ///
    /// - Villages: every village of the panel (commune rows are not summary rows), sorted by
    ///   village code; villages without a code follow, in input order.
    /// - Values: the judged yearly totals (`count − excluded`, as `verify` and `trend` use them);
    ///   a year the panel lacks is ``CountGrid/missing``, a year with missing months
    ///   ``CountGrid/incomplete``, an invalid one (exclusions above the count) missing.
    /// - Population: the village's residents in the last year, when given and positive.
    /// - Communes: the village's parent unit (villages without one form one group); codes and
    ///   names from the panel. There is no province code in a panel.
    /// Nil only if the grid would not fit in memory.
    public init?(panel: Panel) {
        let totals = YearTotals(panel: panel)
        let years = panel.years
        let measures = panel.measures
        let units = panel.unitIndices(at: .village)
        let order = units.enumerated().sorted { a, b in
            switch (panel.units[a.element].code, panel.units[b.element].code) {
            case let (x?, y?): return x == y ? a.offset < b.offset : x.utf8.lexicographicallyPrecedes(y.utf8)
            case (.some, nil): return true
            case (nil, .some): return false
            case (nil, nil): return a.offset < b.offset
            }
        }.map(\.element)
        var communeIndex: [Int?: Int] = [:]
        var villages: [Village] = []
        var cells: [Int] = []
        cells.reserveCapacity(order.count * measures.count * years.count)
        for unit in order {
            let info = panel.units[unit]
            let parent = info.parent.flatMap { panel.units.indices.contains($0) && panel.units[$0].kind == .commune ? $0 : nil }
            let commune = communeIndex[parent] ?? communeIndex.count
            communeIndex[parent] = commune
            let communeUnit = parent.map { panel.units[$0] }
            villages.append(Village(code: info.code, name: info.name, communeCode: communeUnit?.code, communeName: communeUnit?.name,
                                    commune: commune, population: years.last.flatMap { totals.population(unit: unit, year: $0) }))
            for measure in measures {
                for year in years {
                    switch totals.total(unit: unit, measure: measure, year: year) {
                    case .success(let total): cells.append(total.judged >= 0 ? total.judged : Self.missing)
                    case .failure(let problem): cells.append(problem.code == .incompleteYear ? Self.incomplete : Self.missing)
                    }
                }
            }
        }
        self.init(years: years, measures: measures, villages: villages, communeCount: communeIndex.count, cells: cells)
    }
}

extension CountGrid {
    /// The part of the grid selected by `--commune`, `--village` and `--category` (the semantics of
    /// `Panel.filtered(commune:village:category:)`): codes match exactly, names by
    /// `TextKey.unitKey` ("Thôn 3" finds "thôn III"); nil filters keep everything. Communes are
    /// renumbered; nil only if the result would not fit in memory.
    public func filtered(commune: String?, village: String?, category: CategoryID?) -> CountGrid? {
        if commune == nil && village == nil && category == nil { return self }
        func matches(code: String?, name: String?, _ wanted: String?) -> Bool {
            guard let wanted else { return true }
            return code == wanted || name.map { TextKey.unitKey($0) == TextKey.unitKey(wanted) } == true
        }
        let keptVillages = villages.indices.filter { index in
            let unit = villages[index]
            return matches(code: unit.communeCode, name: unit.communeName, commune) && matches(code: unit.code, name: unit.name, village)
        }
        let keptMeasures = measures.indices.filter { category == nil || measures[$0].category == category }
        var communeIndex: [Int: Int] = [:]
        var selected: [Village] = []
        var selectedCells: [Int] = []
        for v in keptVillages {
            var unit = villages[v]
            let commune = communeIndex[unit.commune] ?? communeIndex.count
            communeIndex[unit.commune] = commune
            unit.commune = commune
            selected.append(unit)
            for m in keptMeasures {
                let start = offset(village: v, measure: m)
                selectedCells.append(contentsOf: cells[start..<(start + years.count)])
            }
        }
        return CountGrid(years: years, measures: keptMeasures.map { measures[$0] }, villages: selected,
                         communeCount: communeIndex.count, cells: selectedCells)
    }
}
