import ArgumentParser

/// `binhyen`: statistics and trend analysis for commune security-and-order counts.
@main
struct BinhYen: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "binhyen",
        abstract: "Verify commune security-and-order indicators and analyse their trends.",
        discussion: """
        Reads commune and village counts (CSV/TSV; long or wide layout; Vietnamese or English \
        headings) and judges them against the rules of indicator 19.2 of the new-rural \
        programme, e.g. "social-order crimes down by at least 5% against the previous year".

        Exit codes: 0 success; 1 a verdict asked for with --fail-on-not-met is not met; \
        64 usage error; 65 invalid input data; 70 internal fault.
        """,
        version: "0.1.0",
        subcommands: [Check.self, Normalize.self, Verify.self, Trend.self, Forecast.self, Hotspots.self, YearToDate.self,
                      Alerts.self, Summary.self, ReportCommand.self, ChartCommand.self],
        defaultSubcommand: nil
    )
}
