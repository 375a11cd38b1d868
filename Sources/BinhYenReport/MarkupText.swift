/// Escaping of text placed in XML, SVG and HTML (character data and attribute values).
///
/// `&`, `<`, `>`, `"` and `'` become entities, so a village named `<script>` is shown as text and
/// can never open an element or end an attribute. C0 control characters other than tab, line
/// feed and carriage return, and the noncharacters U+FFFE and U+FFFF, are not allowed in XML 1.0
/// (§2.2) and are replaced by U+FFFD, so the output always parses.
public enum MarkupText {
    public static func escaped(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            case "\t", "\n", "\r": out.unicodeScalars.append(scalar)
            default:
                if scalar.value < 0x20 || scalar.value == 0xFFFE || scalar.value == 0xFFFF {
                    out += "\u{FFFD}"
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out
    }
}
