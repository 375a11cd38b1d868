import Foundation
import Testing

/// Shared helpers for reading the JSON fixtures under `Fixtures/` and comparing numbers.
enum FixtureSupport {
    struct MissingFixture: Error, CustomStringConvertible {
        let path: String
        var description: String { "fixture not found in test bundle: \(path)" }
    }

    /// Contents of `Fixtures/<relativePath>` from the test bundle.
    static func data(_ relativePath: String) throws -> Data {
        guard let base = Bundle.module.resourceURL else { throw MissingFixture(path: relativePath) }
        let url = base.appendingPathComponent("Fixtures").appendingPathComponent(relativePath)
        guard FileManager.default.fileExists(atPath: url.path) else { throw MissingFixture(path: relativePath) }
        return try Data(contentsOf: url)
    }

    /// Decodes `Fixtures/<relativePath>` as `T`.
    static func decode<T: Decodable>(_ type: T.Type, from relativePath: String) throws -> T {
        try JSONDecoder().decode(T.self, from: data(relativePath))
    }
}

/// Absolute/relative tolerance: pass if `|got − expected| ≤ max(absolute, relative·|expected|)`.
struct Tolerance: Decodable, Sendable {
    var relative: Double
    var absolute: Double

    init(relative: Double, absolute: Double) {
        self.relative = relative
        self.absolute = absolute
    }

    enum CodingKeys: String, CodingKey {
        case relative = "rel"
        case absolute = "abs"
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        relative = try container.decodeIfPresent(Double.self, forKey: .relative) ?? 0
        absolute = try container.decodeIfPresent(Double.self, forKey: .absolute) ?? 0
    }

    func accepts(_ got: Double, _ expected: Double) -> Bool {
        if got == expected { return true }
        return abs(got - expected) <= max(absolute, relative * abs(expected))
    }
}

/// Records an issue unless `got` and `expected` agree within `tolerance`; both `nil` agree.
func expectClose(
    _ got: Double?, _ expected: Double?, _ tolerance: Tolerance, _ label: @autoclosure () -> String,
    sourceLocation: SourceLocation = #_sourceLocation
) {
    switch (got, expected) {
    case (nil, nil):
        return
    case let (got?, expected?):
        #expect(
            tolerance.accepts(got, expected),
            "\(label()): got \(got), expected \(expected), rel err \(abs(got - expected) / max(abs(expected), .leastNormalMagnitude))",
            sourceLocation: sourceLocation
        )
    default:
        Issue.record("\(label()): got \(String(describing: got)), expected \(String(describing: expected))", sourceLocation: sourceLocation)
    }
}
