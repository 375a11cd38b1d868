import BinhYenAnalytics
import BinhYenCore

/// One block of a report, in reading order. Text is kept in both languages; the renderers
/// (`HTMLReportRenderer`, `MarkdownReportRenderer`) choose one.
public enum ReportBlock: Sendable, Hashable {
    /// A section heading; level 2 for sections, 3 for sub-sections.
    case heading(LocalizedText, level: Int)
    case paragraph(LocalizedText)
    /// A verdict shown prominently, with the sentence that explains it.
    case verdict(Verdict, LocalizedText)
    case table(OutputTable)
    /// Charts, one under the other (SVG in HTML, their data as a table in Markdown).
    case charts([Chart])
    case bullets([LocalizedText])
}

/// A report as typed content: title, subtitle, blocks and a closing line.
public struct ReportDocument: Sendable, Hashable {
    public var title: LocalizedText
    public var subtitle: LocalizedText
    public var blocks: [ReportBlock]
    public var footer: LocalizedText

    public init(title: LocalizedText, subtitle: LocalizedText, blocks: [ReportBlock], footer: LocalizedText) {
        self.title = title
        self.subtitle = subtitle
        self.blocks = blocks
        self.footer = footer
    }
}
