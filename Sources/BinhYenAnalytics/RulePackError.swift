import BinhYenCore

/// Why a rule pack could not be read: where (file, 1-based line and column) and what, in
/// Vietnamese and English. `line` is nil for problems of the whole file (unreadable, unknown
/// built-in id).
public struct RulePackError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The file name or built-in name given to the parser.
    public var origin: String
    public var line: Int?
    public var column: Int?
    public var message: LocalizedText

    public init(origin: String, line: Int?, column: Int? = nil, message: LocalizedText) {
        self.origin = origin
        self.line = line
        self.column = column
        self.message = message
    }

    /// `file:line:column: lỗi: message` (or `error:` in English).
    public func rendered(_ language: Language) -> String {
        var place = origin
        if let line { place += ":\(line)" }
        if let column { place += ":\(column)" }
        let level = language == .vi ? "lỗi" : "error"
        return "\(place): \(level): \(message(language))"
    }

    public var description: String { rendered(.en) }
}
