import BinhYenCore
#if canImport(Glibc)
import Glibc
#endif

/// A result file written atomically (SPEC §7 `--output FILE (written atomically)`).
///
/// The bytes go to a temporary file next to the target (`FILE.tmp-` and 12 random letters and
/// digits, mode 0666 less the umask; in the same folder so that the rename never crosses file
/// systems), which is renamed over `FILE` only once it is complete. Until then `FILE` keeps its old content, or does not exist. On an error the
/// temporary file is removed; on SIGINT, SIGTERM or SIGHUP `InterruptCleanup` removes it before
/// the process ends. A target that exists but is not writable by the user is refused, as is a
/// folder (the options' validation already says so with exit 64). Failures print a message
/// naming the file and the system's reason and throw exit status 70 (SPEC §7: an output that
/// could not be written).
final class AtomicFile {
    /// The target path, as given.
    let path: String
    private let temporary: String
    private let descriptor: Int32
    private let language: Language
    private var finished = false

    /// Creates the temporary file for `path`.
    init(path: String, language: Language) throws {
        self.path = path
        self.language = language
        if access(path, F_OK) == 0 && access(path, W_OK) != 0 {
            Self.fail(path, String(cString: strerror(errno)), language)
            throw ExitStatus.internalFault
        }
        // The name is registered for interrupt cleanup before the file exists, so that a signal
        // arriving at any moment finds it; O_EXCL makes sure the file is a new one of ours.
        var opened: Int32 = -1
        var candidate = ""
        while opened < 0 {
            candidate = path + ".tmp-" + Self.randomSuffix()
            InterruptCleanup.register(candidate)
            opened = open(candidate, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o666)
            if opened < 0 {
                let error = errno
                InterruptCleanup.clear()
                guard error == EEXIST else {
                    Self.fail(path, String(cString: strerror(error)), language)
                    throw ExitStatus.internalFault
                }
            }
        }
        descriptor = opened
        temporary = candidate
    }

    /// Twelve random letters and digits (62¹² names: a clash with an existing file is retried).
    private static func randomSuffix() -> String {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789")
        return String((0..<12).map { _ in alphabet.randomElement() ?? "X" })
    }

    deinit {
        if !finished { discard() }
    }

    /// Writes every byte, retrying short and interrupted writes.
    func write(_ bytes: UnsafeRawBufferPointer) throws {
        if let reason = Self.writeFully(descriptor, bytes) {
            discard()
            Self.fail(path, reason, language)
            throw ExitStatus.internalFault
        }
    }

    /// Writes every byte of `bytes` to `descriptor`, retrying short and interrupted writes;
    /// the system's reason when a write fails, nil when all was written.
    static func writeFully(_ descriptor: Int32, _ bytes: UnsafeRawBufferPointer) -> String? {
        guard var pointer = bytes.baseAddress else { return nil }
        var remaining = bytes.count
        while remaining > 0 {
            let written = Glibc.write(descriptor, pointer, remaining)
            if written < 0 {
                if errno == EINTR { continue }
                return String(cString: strerror(errno))
            }
            pointer += written
            remaining -= written
        }
        return nil
    }

    /// Writes `bytes`.
    func write(_ bytes: [UInt8]) throws {
        try bytes.withUnsafeBytes { try write($0) }
    }

    /// Closes the temporary file and renames it over the target.
    func commit() throws {
        guard !finished else { return }
        finished = true
        let closed = close(descriptor)
        guard closed == 0, rename(temporary, path) == 0 else {
            let reason = String(cString: strerror(errno))
            unlink(temporary)
            InterruptCleanup.clear()
            Self.fail(path, reason, language)
            throw ExitStatus.internalFault
        }
        InterruptCleanup.clear()
    }

    /// Closes and removes the temporary file; the target is left as it was.
    func discard() {
        guard !finished else { return }
        finished = true
        close(descriptor)
        unlink(temporary)
        InterruptCleanup.clear()
    }

    /// Writes `bytes` to `path` atomically.
    static func write(_ bytes: [UInt8], to path: String, language: Language) throws {
        let file = try AtomicFile(path: path, language: language)
        try file.write(bytes)
        try file.commit()
    }

    private static func fail(_ path: String, _ reason: String, _ language: Language) {
        Console.error(LocalizedText(vi: "không ghi được tệp kết quả \(path): \(reason)",
                                    en: "cannot write the output file \(path): \(reason)"), language)
    }
}

/// Removes the temporary file of an `AtomicFile` when the process is interrupted (SIGINT,
/// SIGTERM, SIGHUP), then ends the process by the same signal, as if there were no handler.
///
/// Outputs are written one at a time, so one path is kept, in a buffer allocated once: the
/// handler only reads it and calls `unlink`, `signal` and `raise`, which are async-signal-safe.
enum InterruptCleanup {
    /// Room for the path and its NUL (PATH_MAX bytes on Linux).
    private static let capacity = Int(PATH_MAX)
    /// The NUL-terminated path of the temporary file being written; empty when there is none.
    nonisolated(unsafe) private static let path: UnsafeMutablePointer<CChar> = {
        let buffer = UnsafeMutablePointer<CChar>.allocate(capacity: capacity)
        buffer.initialize(repeating: 0, count: capacity)
        return buffer
    }()
    nonisolated(unsafe) private static var installed = false

    /// Records `temporary` as the file to remove on interruption (a path too long for the
    /// buffer cannot have been created, so it is never one).
    static func register(_ temporary: String) {
        let bytes = Array(temporary.utf8CString)
        guard bytes.count <= capacity else { return }
        install()
        path[0] = 0
        // The first byte last: the handler sees either no path or the whole one.
        for index in bytes.indices.dropFirst() { path[index] = bytes[index] }
        path[0] = bytes[0]
    }

    /// Forgets the temporary file (renamed into place or removed).
    static func clear() {
        path[0] = 0
    }

    private static func install() {
        guard !installed else { return }
        installed = true
        let ignored = unsafeBitCast(SIG_IGN, to: Int.self)
        for number in [SIGINT, SIGTERM, SIGHUP] {
            let previous = signal(number) { received in
                if InterruptCleanup.path[0] != 0 { unlink(InterruptCleanup.path) }
                signal(received, SIG_DFL)
                raise(received)
            }
            // A signal the process was started ignoring (`nohup`, a background job) stays ignored.
            if unsafeBitCast(previous, to: Int.self) == ignored { signal(number, SIG_IGN) }
        }
    }
}
