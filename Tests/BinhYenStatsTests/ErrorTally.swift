import Testing

/// Collects comparisons against a fixture and reports the failures (first few in full) and
/// the largest relative error seen, so a whole fixture file is one readable test result.
struct ErrorTally {
    let name: String
    let tolerance: Tolerance
    private(set) var compared = 0
    private(set) var failures: [String] = []
    private(set) var largestRelativeError = 0.0
    private(set) var largestErrorLabel = ""

    init(_ name: String, _ tolerance: Tolerance) {
        self.name = name
        self.tolerance = tolerance
    }

    /// Compares one value; `nil` must match `nil`.
    mutating func check(_ got: Double?, _ expected: Double?, _ label: @autoclosure () -> String) {
        compared += 1
        switch (got, expected) {
        case (nil, nil):
            return
        case let (got?, expected?):
            if expected != 0, abs(expected) >= tolerance.absolute {
                let relative = abs(got - expected) / abs(expected)
                if relative > largestRelativeError {
                    largestRelativeError = relative
                    largestErrorLabel = label()
                }
            }
            if !tolerance.accepts(got, expected) {
                failures.append("\(label()): got \(got), expected \(expected)")
            }
        default:
            failures.append("\(label()): got \(String(describing: got)), expected \(String(describing: expected))")
        }
    }

    /// Records the outcome with Swift Testing and prints the error summary.
    func finish(sourceLocation: SourceLocation = #_sourceLocation) {
        print("[\(name)] compared \(compared) values; largest relative error \(largestRelativeError) at \(largestErrorLabel); failures \(failures.count)")
        #expect(compared > 0, "\(name): nothing compared", sourceLocation: sourceLocation)
        #expect(
            failures.isEmpty,
            "\(name): \(failures.count) of \(compared) outside tolerance; first: \(failures.prefix(8).joined(separator: "; "))",
            sourceLocation: sourceLocation
        )
    }
}
