import BinhYenCore
import BinhYenIngest

/// Invariants every `IngestResult` must satisfy, whatever the input; a violation traps so that
/// libFuzzer reports the input as a crash.
public enum IngestChecks {
    /// Options of the fuzz runs: the defaults, plus the rejected rows (`--rejects`) so that
    /// their collection is exercised too.
    public static let options = IngestOptions(collectRejectedRows: true)

    /// Checks the documented contract of `Ingest.read`: one account per table, each row
    /// accounted for (read = accepted + rejected + duplicates + skipped), no negative count,
    /// every diagnostic with a message in both languages.
    public static func check(_ result: IngestResult) {
        precondition(!result.accounts.isEmpty, "every input gets at least one account")
        for account in result.accounts {
            let counts = [account.rowsRead, account.accepted, account.rejected, account.duplicates,
                          account.skipped, account.rejectedValues]
            precondition(counts.allSatisfy { $0 >= 0 }, "negative count in \(account)")
            precondition(account.rowsRead == account.accepted + account.rejected + account.duplicates + account.skipped,
                         "rows not accounted for: \(account)")
        }
        for diagnostic in result.diagnostics {
            precondition(!diagnostic.message.vi.isEmpty && !diagnostic.message.en.isEmpty, "diagnostic without a message: \(diagnostic)")
        }
    }
}
