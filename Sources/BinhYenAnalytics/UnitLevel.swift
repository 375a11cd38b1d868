import BinhYenCore

/// Which units an analysis covers (`--level`).
public enum UnitLevel: String, Sendable, Hashable, CaseIterable {
    /// Every commune (own rows, or the sum of its villages).
    case commune
    /// Every village.
    case village
    /// Every commune followed by its villages.
    case all
}

extension Panel {
    /// The units of `level` in panel order: communes, villages grouped under their commune, then
    /// villages without a commune.
    public func unitIndices(at level: UnitLevel) -> [Int] {
        let orphans = units.indices.filter { index in
            let unit = units[index]
            guard unit.kind == .village else { return false }
            guard let parent = unit.parent, units.indices.contains(parent) else { return true }
            return units[parent].kind != .commune
        }
        switch level {
        case .commune: return communes
        case .village: return communes.flatMap(villages(of:)) + orphans
        case .all: return communes.flatMap { [$0] + villages(of: $0) } + orphans
        }
    }
}
