/// The language of user-facing text. Vietnamese is the default of reports meant for offices;
/// English is for analysts and logs.
public enum Language: String, Sendable, CaseIterable, Codable {
    case vi
    case en
}

/// A piece of user-facing text in both languages. Vietnamese strings are NFC with full diacritics.
public struct LocalizedText: Sendable, Hashable, Codable {
    public var vi: String
    public var en: String

    public init(vi: String, en: String) {
        self.vi = vi
        self.en = en
    }

    /// The text in `language`.
    public func callAsFunction(_ language: Language) -> String {
        switch language {
        case .vi: return vi
        case .en: return en
        }
    }

    /// The same text in both languages (numbers, names, codes).
    public static func same(_ text: String) -> LocalizedText { LocalizedText(vi: text, en: text) }
}
