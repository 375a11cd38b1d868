import BinhYenCore

extension OutputCell {
    /// The dash shown for undefined values in tables.
    static let nullDisplay = "–"

    /// Text for tables and Markdown in `language` (rounded, localized number style).
    func displayText(_ language: Language) -> String {
        switch value {
        case .text(let text):
            return text
        case .integer(let number):
            return NumberStyle.integer(number, language: language, grouped: grouped, signed: signed)
        case .decimal(let number, let digits):
            return NumberStyle.decimal(number, digits: digits, language: language, grouped: grouped, signed: signed)
                ?? Self.nullDisplay
        case .percent(let number, let digits):
            return NumberStyle.percent(number, digits: digits, language: language, signed: signed) ?? Self.nullDisplay
        case .pValue(let number):
            return NumberStyle.pValue(number, language: language) ?? Self.nullDisplay
        case .boolean(let flag):
            switch language {
            case .vi: return flag ? "có" : "không"
            case .en: return flag ? "yes" : "no"
            }
        case .null:
            return Self.nullDisplay
        }
    }

    /// Text for CSV: full-precision numbers, `true`/`false`; nil for null (empty cell).
    var machineText: String? {
        switch value {
        case .text(let text): return text
        case .integer(let number): return String(number)
        case .decimal(let number, _), .percent(let number, _), .pValue(let number): return NumberStyle.machine(number)
        case .boolean(let flag): return flag ? "true" : "false"
        case .null: return nil
        }
    }
}
