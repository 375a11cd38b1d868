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

/// A condition of indicator 19.2 that is not a count (SPEC §5; DOMAIN §1.2, §2.6): occurrence
/// flags and designations by higher authorities. BinhYen cannot judge them from counts, so the
/// checklist lists them as "chưa đánh giá" / "not assessed" until a conditions file supplies them.
public struct NonCountCondition: Sendable, Hashable {
    public var label: LocalizedText
    public var requirement: LocalizedText
    public var source: String

    public init(label: LocalizedText, requirement: LocalizedText, source: String) {
        self.label = label
        self.requirement = requirement
        self.source = source
    }

    /// The non-count conditions of 19.2 named in the available sources (wording of HD 04/HD-BCA-V05
    /// only partly retrieved; see DOMAIN §1.2).
    public static let indicator19_2: [NonCountCondition] = [
        NonCountCondition(label: LocalizedText(vi: "Hoạt động xâm phạm an ninh quốc gia",
                                               en: "Activity against national security"),
                          requirement: LocalizedText(vi: "không để xảy ra", en: "none may occur"),
                          source: "TT 124/2021/TT-BCA Điều 4 khoản 3 điểm a–đ; HD 04/HD-BCA-V05"),
        NonCountCondition(label: LocalizedText(vi: "Khiếu kiện đông người kéo dài, vượt cấp trái pháp luật",
                                               en: "Prolonged mass complaints beyond the competent level"),
                          requirement: LocalizedText(vi: "không để xảy ra", en: "none may occur"),
                          source: "HD 04/HD-BCA-V05"),
        NonCountCondition(label: LocalizedText(vi: "Công dân cư trú trên địa bàn phạm tội đặc biệt nghiêm trọng",
                                               en: "Residents committing an especially serious crime"),
                          requirement: LocalizedText(vi: "không có", en: "none"),
                          source: "QĐ 318/QĐ-TTg chỉ tiêu 19.2 (bản tóm tắt thứ cấp / secondary summary)"),
        NonCountCondition(label: LocalizedText(vi: "Tụ điểm phức tạp về trật tự xã hội",
                                               en: "Hotspots of social-order problems"),
                          requirement: LocalizedText(vi: "không phát sinh", en: "none new"),
                          source: "HD 04/HD-BCA-V05 (chưa kiểm chứng / unverified)"),
        NonCountCondition(label: LocalizedText(vi: "Danh sách xã trọng điểm, phức tạp về an ninh, trật tự",
                                               en: "List of key, complicated communes"),
                          requirement: LocalizedText(vi: "không thuộc danh sách", en: "not on the list"),
                          source: "CV 3371/BCA-V05 (26/9/2022); danh sách của cơ quan có thẩm quyền / designation by the authorities"),
    ]
}
