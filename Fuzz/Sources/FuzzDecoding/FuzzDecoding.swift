@testable import BinhYenIngest
import Foundation

/// libFuzzer entry point: encoding detection and decoding of a text file.
///
/// Runs `TextDecoder.decode` with every `--encoding` choice (automatic detection, UTF-8, UTF-16
/// and the legacy Windows-1258, TCVN3 and VNI decoders) and checks that
/// - BinhYen's UTF-8 validator agrees with Swift's on the raw input;
/// - decoded text is well-formed UTF-8 (by BinhYen's validator and by Swift's);
/// - text decoded from a legacy encoding is in NFC;
/// - a guessed encoding has a confidence in 0…1, and a rejection is an error with a message.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    let validBySwift = String(validating: bytes, as: UTF8.self) != nil
    precondition((TextDecoder.firstInvalidUTF8(bytes, from: 0) == nil) == validBySwift,
                 "BinhYen's UTF-8 validator disagrees with Swift's")
    for encoding in InputEncoding.allCases {
        switch TextDecoder.decode(bytes, file: "fuzz.csv", encoding: encoding) {
        case .text(let decoded):
            precondition(decoded.start >= 0 && decoded.start <= decoded.bytes.count, "start outside the text")
            precondition(TextDecoder.firstInvalidUTF8(decoded.bytes, from: decoded.start) == nil, "decoded text is not UTF-8")
            let text = String(validating: decoded.bytes[decoded.start...], as: UTF8.self)
            precondition(text != nil, "decoded text is not UTF-8 for Swift")
            if [.windows1258, .tcvn3, .vni].contains(decoded.encoding), let text {
                precondition(text == text.precomposedStringWithCanonicalMapping, "legacy decoding is not NFC")
            }
            if let confidence = decoded.confidence { precondition((0...1).contains(confidence), "confidence out of range") }
        case .rejected(let diagnostic):
            precondition(diagnostic.severity == .error && !diagnostic.message.en.isEmpty, "a rejection is an error with a message")
        }
    }
    return 0
}
