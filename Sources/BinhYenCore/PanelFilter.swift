extension Panel {
    /// The part of the panel that matches the command-line filters `--commune`, `--village` and
    /// `--category`; nil filters keep everything.
    ///
    /// Names match by `TextKey.unitKey` ("Thôn 3" finds "thôn III"), codes exactly. A village
    /// filter keeps the village's commune as its parent, without the commune's own series. Unit indices are renumbered.
    public func filtered(commune: String?, village: String?, category: CategoryID?) -> Panel {
        if commune == nil && village == nil && category == nil { return self }
        func matches(_ unit: Unit, _ wanted: String?) -> Bool {
            guard let wanted else { return true }
            return unit.code == wanted || unit.key == TextKey.unitKey(wanted)
        }
        var keep = [Bool](repeating: false, count: units.count)
        for (i, unit) in units.enumerated() {
            switch unit.kind {
            case .commune:
                keep[i] = matches(unit, commune) && village == nil
            case .village:
                let parentMatches = unit.parent.map { matches(units[$0], commune) } ?? (commune == nil)
                keep[i] = parentMatches && matches(unit, village)
                if keep[i], village != nil, let parent = unit.parent { keep[parent] = true }
            }
        }
        var newIndex = [Int?](repeating: nil, count: units.count)
        var kept: [Unit] = []
        for (i, unit) in units.enumerated() where keep[i] {
            newIndex[i] = kept.count
            kept.append(unit)
        }
        for j in kept.indices {
            if let parent = kept[j].parent { kept[j].parent = newIndex[parent] }
        }
        var result = Panel(units: kept, scheme: scheme)
        for (key, values) in series {
            guard let unit = newIndex[key.unit] else { continue }
            if let category, key.measure.category != category { continue }
            // With a village filter the commune is kept only as the village's parent.
            if village != nil && units[key.unit].kind == .commune { continue }
            result.series[SeriesKey(unit: unit, measure: key.measure)] = values
        }
        for (unit, byYear) in population { if let u = newIndex[unit] { result.population[u] = byYear } }
        for (unit, byYear) in households { if let u = newIndex[unit] { result.households[u] = byYear } }
        return result
    }
}

extension Panel {
    /// The panel without the years after `year` (for analyses "as of" a judged year).
    public func through(year: Int) -> Panel {
        var result = self
        for (key, values) in series {
            let kept = values.filter { $0.key <= year }
            result.series[key] = kept.isEmpty ? nil : kept
        }
        return result
    }
}
