import BinhYenCore

/// The kind of unit a rule pack judges (SPEC §5): communes (NTM indicator 19.2) or villages
/// (TT 124/2021/TT-BCA Điều 4, khu dân cư).
public enum RulePackLevel: String, Sendable, Hashable, Codable, CaseIterable {
    case commune
    case village
}

/// What a `reduce_by_pct` or `decrease` rule decides when the previous year had no cases
/// (SPEC §5 "Zero base", DOMAIN §2.3). The official rule is not published; this is a setting.
public enum ZeroBasePolicy: String, Sendable, Hashable, Codable, CaseIterable {
    /// SPEC default: 0 → 0 is `met` (note `maintained_zero`), 0 → k > 0 is `not_met` (note `new_cases`).
    case metIfZero = "met_if_zero"
    /// Any zero base gives `not_applicable` (note `zero_base`).
    case notApplicable = "not_applicable"
}

/// A reduction threshold in hundredths of a percent, so that every comparison is exact in
/// integers: 5% is 500, 2.25% is 225. Valid range 0.01%–100%.
public struct ReductionPercent: Sendable, Hashable, Codable, CustomStringConvertible {
    /// The threshold × 100 (5% → 500).
    public let hundredths: Int

    /// Nil unless `1 ≤ hundredths ≤ 10_000`.
    public init?(hundredths: Int) {
        guard (1...10_000).contains(hundredths) else { return nil }
        self.hundredths = hundredths
    }

    /// The percentage as written in a pack: `5`, `2.5`, `2.25` (no trailing zeros).
    public var description: String {
        let whole = hundredths / 100
        let fraction = hundredths % 100
        if fraction == 0 { return String(whole) }
        if fraction % 10 == 0 { return "\(whole).\(fraction / 10)" }
        return fraction < 10 ? "\(whole).0\(fraction)" : "\(whole).\(fraction)"
    }

    /// The percentage as a number (display only; never used to decide a verdict).
    public var value: Double { Double(hundredths) / 100 }
}

/// The test a rule applies to the previous (`prev`) and current (`curr`) judged counts (SPEC §5).
public enum RuleTest: Sendable, Hashable, Codable {
    /// Met when prev > 0 and `100·(prev − curr) ≥ p·prev`, decided in integers.
    case reduceByPercent(ReductionPercent)
    /// "Kiềm chế, giảm": met when prev > 0 and curr < prev (curr ≤ prev with `allowEqual`).
    case decrease(allowEqual: Bool)
    /// "Không để xảy ra": met when curr = 0, whatever prev was.
    case zero

    /// The canonical machine form written in exports: `reduce_by_pct(5)`, `decrease`,
    /// `decrease(allow_equal)`, `zero`.
    public var code: String {
        switch self {
        case .reduceByPercent(let p): return "reduce_by_pct(\(p))"
        case .decrease(let allowEqual): return allowEqual ? "decrease(allow_equal)" : "decrease"
        case .zero: return "zero"
        }
    }

    /// Short wording for sentences and tables: "giảm ≥ 5%" / "down ≥ 5%".
    public var shortText: LocalizedText {
        switch self {
        case .reduceByPercent(let p):
            let vi = String(p.description.map { $0 == "." ? "," : $0 })
            return LocalizedText(vi: "giảm ≥ \(vi)%", en: "down ≥ \(p)%")
        case .decrease(let allowEqual):
            return allowEqual ? LocalizedText(vi: "không tăng", en: "no increase")
                              : LocalizedText(vi: "giảm", en: "down")
        case .zero:
            return LocalizedText(vi: "không để xảy ra", en: "none allowed")
        }
    }

    /// Whether a zero previous year makes the percentage rule undefined (the zero-base policy applies).
    public var needsPreviousYear: Bool {
        switch self {
        case .reduceByPercent, .decrease: return true
        case .zero: return false
        }
    }
}

/// One rule of a pack: which series it judges, how, and on what authority.
public struct Rule: Sendable, Hashable, Codable {
    /// The judged series, e.g. `crime.cases`.
    public var measure: Measure
    public var test: RuleTest
    /// Name used in sentences ("Phạm tội về TTXH" / "Social-order crime").
    public var label: LocalizedText
    /// Document citations for this rule (may be empty when the pack's sources cover it).
    public var sources: [String]
    /// False when the number or wording could not be checked against the official text.
    public var verified: Bool
    /// 1-based line of the `[[rule]]` header in the pack file (0 for rules built in code).
    public var line: Int

    public init(measure: Measure, test: RuleTest, label: LocalizedText, sources: [String] = [],
                verified: Bool = false, line: Int = 0) {
        self.measure = measure
        self.test = test
        self.label = label
        self.sources = sources
        self.verified = verified
        self.line = line
    }
}

/// A versioned, data-driven set of rules that turns counts into verdicts (SPEC §5, DOMAIN §1).
///
/// Packs are text files in a strict TOML subset (see `RulePackParser`); the shipped ones live in
/// `Sources/BinhYenAnalytics/RulePacks/` and are loaded with `builtIn(id:)`.
public struct RulePack: Sendable, Hashable, Codable {
    /// Stable id, e.g. `ntm-2021-2025`; printed in the `rule_pack` column.
    public var id: String
    public var title: LocalizedText
    /// Citations of the documents the pack implements.
    public var sources: [String]
    /// False when any number or wording in the pack is unverified against the official text.
    public var verified: Bool
    public var level: RulePackLevel
    public var zeroBase: ZeroBasePolicy
    /// Rules in file order; at most one per measure.
    public var rules: [Rule]
    /// File name or built-in name the pack was read from (for messages).
    public var origin: String
    /// The early-warning rule of `hotspots` (the optional `[watch]` table); nil when the pack
    /// has none (``effectiveWatch`` then gives ``WatchRule/standard``).
    public var watch: WatchRule?

    public init(id: String, title: LocalizedText, sources: [String], verified: Bool, level: RulePackLevel,
                zeroBase: ZeroBasePolicy, rules: [Rule], origin: String, watch: WatchRule? = nil) {
        self.id = id
        self.title = title
        self.sources = sources
        self.verified = verified
        self.level = level
        self.zeroBase = zeroBase
        self.rules = rules
        self.origin = origin
        self.watch = watch
    }

    /// The rule for `measure`, if the pack has one.
    public func rule(for measure: Measure) -> Rule? { rules.first { $0.measure == measure } }
}
