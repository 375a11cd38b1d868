import Foundation
import Testing
@testable import BinhYenIngest

/// Issue 9 "a file that changes while being read": the reader takes a regular file's size when
/// it opens it and refuses the file when it does not end exactly there (another program is
/// truncating or appending to it), rather than reading half old, half new. Pipes are read to
/// their end.
@Suite("Files that change while read")
struct ChangingFileTests {
    static func file(_ text: String) throws -> (path: String, descriptor: Int32) {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("binhyen-changing-\(UUID().uuidString).csv")
        try Data(text.utf8).write(to: url)
        let descriptor = open(url.path, O_RDONLY)
        try #require(descriptor >= 0)
        return (url.path, descriptor)
    }

    static let body = "Xã,Thôn,Năm,Lĩnh vực,Chỉ tiêu,Số lượng\nXã A,Thôn 1,2025,TTXH,số vụ,3\n"

    @Test func fileReadToItsSizeIsAccepted() throws {
        let (path, descriptor) = try Self.file(Self.body)
        defer { close(descriptor) }
        let bytes = try Ingest.readRegular(descriptor, size: Self.body.utf8.count, path: path).get()
        #expect(bytes == Array(Self.body.utf8))
    }

    @Test func fileTruncatedAfterItsSizeWasTakenIsRefused() throws {
        // As if the size had been taken before a writer cut the file to its present length.
        let (path, descriptor) = try Self.file(Self.body)
        defer { close(descriptor) }
        let outcome = Ingest.readRegular(descriptor, size: Self.body.utf8.count + 100, path: path)
        guard case .failure(let problem) = outcome else { Issue.record("a shrunken file was accepted"); return }
        #expect(problem.diagnostic.code == .unreadableFile)
        #expect(problem.diagnostic.location?.file == path)
        #expect(problem.diagnostic.message.en.contains("changed while it was being read: it shrank (\(Self.body.utf8.count) of \(Self.body.utf8.count + 100) bytes left)"))
        #expect(problem.diagnostic.message.vi.contains("Tệp thay đổi trong khi đang đọc"))
    }

    @Test func fileAppendedAfterItsSizeWasTakenIsRefused() throws {
        let (path, descriptor) = try Self.file(Self.body + "Xã A,Thôn 2,2025,TTXH,số vụ,4\n")
        defer { close(descriptor) }
        let outcome = Ingest.readRegular(descriptor, size: Self.body.utf8.count, path: path)
        guard case .failure(let problem) = outcome else { Issue.record("a grown file was accepted"); return }
        #expect(problem.diagnostic.message.en.contains("it grew (past \(Self.body.utf8.count) bytes)"))
    }

    @Test func concurrentAppenderNeverGivesAHalfReadFile() async throws {
        // A writer appends whole rows while the file is read again and again: every read is
        // either refused as changed or a complete prefix of whole rows.
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("binhyen-growing-\(UUID().uuidString).csv")
        try Data(Self.body.utf8).write(to: url)
        let row = Array("Xã A,Thôn 9,2024,TTXH,số vụ,1\n".utf8)
        let writer = Task.detached {
            guard let handle = FileHandle(forWritingAtPath: url.path) else { return }
            handle.seekToEndOfFile()
            for _ in 0..<3_000 { handle.write(Data(row)) }
            try? handle.close()
        }
        for _ in 0..<40 {
            let result = Ingest.read(paths: [url.path])
            let changed = result.diagnostics.contains { $0.message.en.contains("changed while it was being read") }
            #expect(changed || !result.hasErrors, "\(result.diagnostics.first.map { $0.message.en } ?? "")")
        }
        await writer.value
    }

    @Test func pipeIsReadToItsEnd() throws {
        var ends: [Int32] = [0, 0]
        try #require(pipe(&ends) == 0)
        let payload = Array(Self.body.utf8)
        let written = payload.withUnsafeBytes { write(ends[1], $0.baseAddress, $0.count) }
        #expect(written == payload.count)
        close(ends[1])
        defer { close(ends[0]) }
        #expect(try Ingest.readStream(ends[0], path: "/dev/stdin").get() == payload)
    }
}
