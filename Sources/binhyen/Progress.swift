import BinhYenCore
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A progress indicator on stderr for work that takes longer than a second (issue 7).
///
/// Shown only when stderr is a terminal and `--quiet` is not given, so piped output, logs and
/// tests never see it. The work reports no fraction done, so the indicator is a spinner with
/// the elapsed seconds (`⠹ Đang đọc dữ liệu… 3 s`), redrawn every 100 ms from the second
/// second on and erased (`CR`, `ESC[K`) when the work ends, leaving no trace.
enum Progress {
    /// Seconds of work before the indicator appears.
    static let delay = 1.0

    static func run<T>(_ label: String, quiet: Bool, _ work: () throws -> T) rethrows -> T {
        guard !quiet, isatty(STDERR_FILENO) == 1 else { return try work() }
        let spinner = Spinner(label: label)
        spinner.start()
        defer { spinner.stop() }
        return try work()
    }
}

/// The spinner thread. Drawing and erasing happen under one lock, so nothing is drawn after `stop`.
private final class Spinner: @unchecked Sendable {
    private static let frames = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"]
    private let label: String
    private let lock = NSLock()
    private var finished = false
    private var drawn = false

    init(label: String) {
        self.label = label
    }

    func start() {
        Thread.detachNewThread { [self] in loop() }
    }

    func stop() {
        lock.lock()
        defer { lock.unlock() }
        finished = true
        if drawn { Console.write("\r\u{1B}[K") }
    }

    private func loop() {
        let started = Date()
        var frame = 0
        while true {
            Thread.sleep(forTimeInterval: 0.1)
            lock.lock()
            if finished {
                lock.unlock()
                return
            }
            let elapsed = Date().timeIntervalSince(started)
            if elapsed >= Progress.delay {
                Console.write("\r\u{1B}[K\(Self.frames[frame % Self.frames.count]) \(label)… \(Int(elapsed)) s")
                drawn = true
                frame += 1
            }
            lock.unlock()
        }
    }
}
