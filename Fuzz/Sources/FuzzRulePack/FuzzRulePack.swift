import BinhYenAnalytics

/// libFuzzer entry point: parses the input as rule-pack text (the TOML subset of `RulePack`).
///
/// Invalid UTF-8 is decoded with replacement characters, so every input reaches the parser.
/// The parser must return a pack or throw a `RulePackError` with a message; it must never trap.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    do {
        let pack = try RulePack.parse(text: text, name: "fuzz.toml")
        precondition(!pack.id.isEmpty, "a parsed pack has an id")
    } catch {
        precondition(!error.message.en.isEmpty && !error.message.vi.isEmpty, "a rule-pack error has a message")
    }
    return 0
}
