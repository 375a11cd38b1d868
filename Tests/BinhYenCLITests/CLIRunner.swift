import Foundation
import Testing

/// Runs the built `binhyen` executable as a user would, capturing its output and exit status.
struct CLIRunner {
    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String
        var stdoutBytes: [UInt8]
    }

    /// The directory holding the test products; `binhyen` is built next to them.
    static let binary: URL? = {
        var candidates: [URL] = [Bundle.main.bundleURL, Bundle.main.bundleURL.deletingLastPathComponent()]
        if let first = CommandLine.arguments.first {
            let url = URL(fileURLWithPath: first)
            candidates.append(url.deletingLastPathComponent())
            candidates.append(url.deletingLastPathComponent().deletingLastPathComponent())
        }
        for directory in candidates {
            let path = directory.appendingPathComponent("binhyen")
            if FileManager.default.isExecutableFile(atPath: path.path) { return path }
        }
        return nil
    }()

    static func run(_ arguments: [String], in directory: URL? = nil) throws -> Result {
        let binary = try #require(Self.binary, "binhyen executable not found next to the test bundle")
        let process = Process()
        process.executableURL = binary
        process.arguments = arguments
        if let directory { process.currentDirectoryURL = directory }
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        // Read both pipes before waiting so that a large output cannot block the child.
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        let errData = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Result(status: process.terminationStatus,
                      stdout: String(decoding: outData, as: UTF8.self),
                      stderr: String(decoding: errData, as: UTF8.self),
                      stdoutBytes: [UInt8](outData))
    }

    /// A fresh temporary directory for one test.
    static func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("binhyen-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    static func fixture(_ name: String) throws -> URL {
        try #require(Bundle.module.url(forResource: "Fixtures/\(name)", withExtension: nil), "missing fixture \(name)")
    }

    /// The package root (for the bundled datasets).
    static let packageRoot: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
}
