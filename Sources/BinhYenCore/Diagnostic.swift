/// How serious a diagnostic is. Errors stop analysis commands unless `--skip-invalid` is given;
/// warnings (e.g. an identical duplicate row counted once) never do.
public enum Severity: String, Sendable, Codable, Comparable {
    case note
    case warning
    case error

    private var rank: Int {
        switch self {
        case .note: return 0
        case .warning: return 1
        case .error: return 2
        }
    }

    public static func < (a: Severity, b: Severity) -> Bool { a.rank < b.rank }
}

/// The kind of problem found in input data (SPEC §2, "Bad input"). Stable ids for scripts.
public enum DiagnosticCode: String, Sendable, Codable, CaseIterable {
    case negativeCount = "negative_count"
    case fractionalCount = "fractional_count"
    case nonNumericCount = "non_numeric_count"
    case countTooLarge = "count_too_large"
    case unknownCategory = "unknown_category"
    case unknownMetric = "unknown_metric"
    case unknownHeading = "unknown_heading"
    case unknownVillage = "unknown_village"
    case ambiguousVillage = "ambiguous_village"
    /// A conditions-file row naming a condition that is not one of `ConditionKey`.
    case unknownCondition = "unknown_condition"
    case similarNames = "similar_names"
    case missingColumn = "missing_column"
    case missingValue = "missing_value"
    case duplicateRow = "duplicate_row"
    case conflictingRow = "conflicting_row"
    case mixedGranularity = "mixed_granularity"
    case monthOutOfRange = "month_out_of_range"
    case quarterOutOfRange = "quarter_out_of_range"
    case weekOutOfRange = "week_out_of_range"
    case yearOutOfRange = "year_out_of_range"
    case invalidYear = "invalid_year"
    case excludedExceedsCount = "excluded_exceeds_count"
    case invalidPopulation = "invalid_population"
    case wrongFileType = "wrong_file_type"
    case unreadableFile = "unreadable_file"
    case emptyFile = "empty_file"
    case malformedRow = "malformed_row"
    case encoding = "encoding"
    case repairedValue = "repaired_value"
    case skipped = "skipped"
    /// A date cell of an incident list that is not a day (dd/mm/yyyy, yyyy-mm-dd, Excel serial).
    case invalidDate = "invalid_date"
    /// A yes/no cell (force majeure) that is neither.
    case invalidFlag = "invalid_flag"
    /// A `missing_periods` cell that names no quarter, month or week (M05, Q2, W07).
    case invalidPeriod = "invalid_period"
    /// Series of old units added up into today's unit by a crosswalk (merge, rename, split).
    case reaggregated = "reaggregated"
}

/// One finding about the input: what, where, and in words a user can act on.
public struct Diagnostic: Sendable, Hashable, Codable, CustomStringConvertible {
    public var severity: Severity
    public var code: DiagnosticCode
    public var location: SourceLocation?
    public var message: LocalizedText

    public init(_ severity: Severity, _ code: DiagnosticCode, at location: SourceLocation?, _ message: LocalizedText) {
        self.severity = severity
        self.code = code
        self.location = location
        self.message = message
    }

    /// `file:line: error: message` in `language`.
    public func rendered(_ language: Language) -> String {
        let level: String
        switch (severity, language) {
        case (.error, .vi): level = "lỗi"
        case (.error, .en): level = "error"
        case (.warning, .vi): level = "cảnh báo"
        case (.warning, .en): level = "warning"
        case (.note, .vi): level = "ghi chú"
        case (.note, .en): level = "note"
        }
        let prefix = location.map { "\($0): " } ?? ""
        return "\(prefix)\(level): \(message(language)) [\(code.rawValue)]"
    }

    public var description: String { rendered(.en) }
}
