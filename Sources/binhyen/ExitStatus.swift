import ArgumentParser

/// Exit statuses of SPEC §7 (the sysexits.h values for 64, 65 and 70).
enum ExitStatus {
    /// A verdict asked for with `--fail-on-not-met` is not met.
    static let notMet = ExitCode(1)
    /// Usage error (ArgumentParser's validation failures already use 64).
    static let usage = ExitCode(64)
    /// Invalid input data.
    static let invalidData = ExitCode(65)
    /// Internal fault: a bug, or an output that could not be written.
    static let internalFault = ExitCode(70)
}
