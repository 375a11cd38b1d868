import BinhYenCore
import Testing
@testable import BinhYenAnalytics
import BinhYenTestSupport

@Suite("Rule packs")
struct RulePackTests {
    @Test("default pack ntm-2021-2025 loads from the resource bundle with the SPEC §5 rules")
    func defaultPack() throws {
        let pack = try RulePack.builtIn(id: RulePack.defaultID)
        #expect(pack.id == "ntm-2021-2025")
        #expect(pack.level == .commune)
        #expect(pack.zeroBase == .metIfZero)
        #expect(pack.verified == false)
        #expect(pack.sources.count == 3)
        #expect(pack.sources[0].contains("QĐ 318/QĐ-TTg ngày 08/3/2022"))
        #expect(pack.sources[1].contains("06/HD-BCA-V05 ngày 29/3/2022"))
        #expect(pack.sources[1].contains("wording unverified"))
        #expect(pack.sources[2].contains("04/HD-BCA-V05 ngày 18/3/2024"))
        #expect(pack.rules.map(\.measure.description) == [
            "crime.cases", "social_evil.cases", "traffic.cases", "traffic.deaths", "traffic.injuries", "fire.cases",
        ])
        #expect(pack.rules[0].test == .reduceByPercent(try #require(ReductionPercent(hundredths: 500))))
        #expect(pack.rules[0].label == LocalizedText(vi: "Phạm tội về TTXH", en: "Social-order crime"))
        #expect(pack.rules.dropFirst().allSatisfy { $0.test == .decrease(allowEqual: false) })
        #expect(pack.rules.allSatisfy { !$0.verified && !$0.sources.isEmpty })
    }

    @Test("village pack tt124-village: crime and social evils decrease, fatal labour accidents zero")
    func villagePack() throws {
        let pack = try RulePack.builtIn(id: "tt124-village")
        #expect(pack.level == .village)
        #expect(pack.rules.map(\.measure) == [Measure(.crime), Measure(.socialEvil), Measure(.laborAccident, .deaths)])
        #expect(pack.rules.map(\.test) == [.decrease(allowEqual: false), .decrease(allowEqual: false), .zero])
        #expect(pack.sources[0].contains("124/2021/TT-BCA"))
        #expect(pack.sources[0].contains("Điều 4"))
    }

    @Test("2026–2030 template parses, cites QĐ 51/2025 and has no active rule")
    func templatePack() throws {
        let pack = try RulePack.builtIn(id: "ntm-2026-2030-template")
        #expect(pack.rules.isEmpty)
        #expect(pack.verified == false)
        #expect(pack.sources[0].contains("QĐ 51/2025/QĐ-TTg"))
    }

    @Test("unknown built-in id is an error naming the available packs")
    func unknownBuiltIn() {
        #expect(throws: RulePackError.self) { try RulePack.builtIn(id: "ntm-2099") }
        do {
            _ = try RulePack.builtIn(id: "ntm-2099")
        } catch {
            #expect(error.line == nil)
            #expect(error.message.en.contains("ntm-2021-2025, tt124-village, ntm-2026-2030-template"))
        }
    }

    @Test("load(path:) reports a missing file without a line")
    func missingFile() {
        do {
            _ = try RulePack.load(path: "/nonexistent/pack.toml")
            Issue.record("expected an error")
        } catch {
            #expect(error.line == nil)
            #expect(error.message.vi.hasPrefix("không đọc được tệp quy tắc"))
        }
    }

    static let minimal = """
        id = "mine"
        title_vi = "Của tôi"
        title_en = "Mine"
        source = "Văn bản X"

        """

    @Test("a minimal pack gets the defaults and catalogue labels")
    func minimalPack() throws {
        let pack = try RulePack.parse(text: Self.minimal + """
            [[rule]]
            measure = "traffic.deaths"
            test = "decrease"
            allow_equal = true
            [[rule]]
            measure = "crime"   # metric defaults to cases
            test = "reduce_by_pct"
            pct = 2.25
            """, name: "mine.toml")
        #expect(pack.verified == false)
        #expect(pack.level == .commune)
        #expect(pack.zeroBase == .metIfZero)
        #expect(pack.sources == ["Văn bản X"])
        #expect(pack.rules[0].test == .decrease(allowEqual: true))
        #expect(pack.rules[0].label.vi == "Tai nạn giao thông – số người chết")
        #expect(pack.rules[0].line == 5)
        #expect(pack.rules[1].measure == Measure(.crime, .cases))
        #expect(pack.rules[1].test.code == "reduce_by_pct(2.25)")
        #expect(pack.rules[1].test.shortText == LocalizedText(vi: "giảm ≥ 2,25%", en: "down ≥ 2.25%"))
    }

    @Test("pct accepts integers and ≤ 2 decimals exactly", arguments: [
        ("5", 500), ("5.5", 550), ("0.01", 1), ("100", 10_000), ("12.30", 1230),
    ])
    func percentValues(text: String, hundredths: Int) throws {
        let pack = try RulePack.parse(text: Self.minimal + "[[rule]]\nmeasure = \"crime.cases\"\ntest = \"reduce_by_pct\"\npct = \(text)\n",
                                      name: "p.toml")
        #expect(pack.rules.first?.test == .reduceByPercent(try #require(ReductionPercent(hundredths: hundredths))))
    }

    /// Each bad input, the line the error must point at, and a fragment of the English message.
    static let badInputs: [(String, Int?, String)] = [
        (minimal + "[[rule]]\nmeasure = \"crime.cases\"\ntest = \"reduce_by_pct\"\npct = 5.125\n", 8, "more than 2 decimal places"),
        (minimal + "[[rule]]\nmeasure = \"crime.cases\"\ntest = \"reduce_by_pct\"\npct = 0\n", 8, "greater than 0"),
        (minimal + "[[rule]]\nmeasure = \"crime.cases\"\ntest = \"reduce_by_pct\"\npct = 101\n", 8, "at most 100"),
        (minimal + "[[rule]]\nmeasure = \"crime.cases\"\ntest = \"reduce_by_pct\"\npct = -5\n", 8, "greater than 0"),
        (minimal + "[[rule]]\nmeasure = \"crime.cases\"\ntest = \"reduce_by_pct\"\n", 5, "needs the key 'pct'"),
        (minimal + "[[rule]]\nmeasure = \"crime.cases\"\ntest = \"decrease\"\npct = 5\n", 8, "'pct' applies only"),
        (minimal + "[[rule]]\nmeasure = \"crime.cases\"\ntest = \"zero\"\nallow_equal = true\n", 8, "takes neither"),
        (minimal + "[[rule]]\nmeasure = \"crime.cases\"\ntest = \"halve\"\n", 7, "unknown test 'halve'"),
        (minimal + "[[rule]]\nmeasure = \"crme.cases\"\ntest = \"zero\"\n", 6, "unknown category 'crme'"),
        (minimal + "[[rule]]\nmeasure = \"crime.deaths\"\ntest = \"zero\"\n", 6, "has no metric 'deaths'"),
        (minimal + "[[rule]]\nmeasure = \"Crime cases\"\ntest = \"zero\"\n", 6, "invalid measure"),
        (minimal + "[[rule]]\ntest = \"zero\"\n", 5, "missing the required key 'measure'"),
        (minimal + "[[rule]]\nmeasure = \"crime.cases\"\ntest = \"zero\"\n[[rule]]\nmeasure = \"crime.cases\"\ntest = \"zero\"\n",
         8, "already exists on line 5"),
        (minimal + "[[rule]]\nmeasure = \"crime.cases\"\ntest = \"zero\"\ncolour = \"red\"\n", 8, "unknown key 'colour'"),
        (minimal + "[rule]\n", 5, "[table] headers are not supported"),
        (minimal + "[[limits]]\n", 5, "[[limits]] is not supported"),
        (minimal + "level = \"province\"\n", 5, "invalid value 'province' for 'level'"),
        (minimal + "zero_base = \"met\"\n", 5, "invalid value 'met' for 'zero_base'"),
        (minimal + "verified = \"yes\"\n", 5, "'verified' must be true or false, not a string"),
        (minimal + "id = \"again\"\n", 5, "duplicate key 'id' (already set on line 1)"),
        ("title_vi = \"A\"\ntitle_en = \"A\"\nsource = \"S\"\n", 1, "missing required key 'id'"),
        ("id = \"Bad Id\"\n", 1, "invalid id 'Bad Id'"),
        ("id = \"a\"\ntitle_vi = \"A\"\ntitle_en = \"A\"\n", 1, "missing required key 'source'"),
        ("id = \"a\"\ntitle_vi = \"A\"\ntitle_en = \"A\"\nsource = []\n", 4, "'source' must not be empty"),
        ("id = \"a\"\ntitle_vi = \"A\"\ntitle_en = \"A\"\nsource = [1]\n", 4, "every item of 'source'"),
        ("id = \"unterminated\n", 1, "unterminated string"),
        ("id = 'unterminated\n", 1, "unterminated string"),
        ("id = \"\"\"x\"\"\"\n", 1, "multi-line strings"),
        ("id = \"a\" \"b\"\n", 1, "unexpected '\"' after the value"),
        ("id = ntm\n", 1, "strings must be in double quotes"),
        ("id =\n", 1, "missing value"),
        ("id = \"a\\q\"\n", 1, "invalid escape sequence"),
        ("id = \"a\\u12\"\n", 1, "hexadecimal digits"),
        ("id = \"a\\uD800\"\n", 1, "invalid Unicode scalar"),
        ("id \"a\"\n", 1, "missing '=' after key 'id'"),
        ("\"id\" = \"a\"\n", 1, "quoted keys are not supported"),
        ("a.b = 1\n", 1, "dotted keys"),
        ("= 1\n", 1, "expected a key"),
        ("x = 1_000\n", 1, "underscores"),
        ("x = 1e5\n", 1, "exponents"),
        ("x = 05\n", 1, "leading zeros"),
        ("x = 1.\n", 1, "digits after the decimal point"),
        ("x = 12345678901234567890\n", 1, "number too large"),
        ("x = [\"a\", [\"b\"]]\n", 1, "nested arrays"),
        ("x = [\"a\" \"b\"]\n", 1, "expected ',' or ']'"),
        ("x = [\"a\",\n\"b\"\n", 1, "unterminated array"),
        ("x = {a = 1}\n", 1, "inline tables"),
        ("x = tru\n", 1, "invalid value 'tru'"),
        ("x = \"a\tb\"\n# ok\nid = \"a\u{0001}\"\n", 3, "control character U+0001"),
        ("id = \"a\"\r\rtitle_vi = \"b\"\n", 1, "stray carriage return"),
        ("[[ ]]\n", 1, "missing table name"),
        ("[[rule\n", 1, "missing ']]'"),
        ("", 1, "missing required key 'id'"),
    ]

    @Test("malformed packs throw an error with the right line and a clear message", arguments: badInputs)
    func malformed(text: String, line: Int?, fragment: String) {
        do {
            let pack = try RulePack.parse(text: text, name: "bad.toml")
            Issue.record("expected an error, got pack \(pack.id)")
        } catch {
            #expect(error.line == line, "\(error)")
            #expect(error.message.en.contains(fragment), "\(error)")
            #expect(!error.message.vi.isEmpty && error.message.vi != error.message.en)
            #expect(error.rendered(.en).hasPrefix("bad.toml:"))
        }
    }

    @Test("comments, CRLF, BOM, literal strings, escapes and multi-line arrays are accepted")
    func syntaxVariants() throws {
        let text = "\u{FEFF}# header\r\nid = 'lit-1' # trailing\r\ntitle_vi = \"Tho\\u0302n \\\"A\\\"\"\r\n"
            + "title_en = \"Village\"\r\nsource = [\r\n  \"one\", # first\r\n  \"two\",\r\n]\r\nverified = true\r\n"
        let pack = try RulePack.parse(text: text, name: "v.toml")
        #expect(pack.id == "lit-1")
        #expect(pack.title.vi == "Thôn \"A\"")            // NFC-normalised escape sequence
        #expect(pack.title.vi.unicodeScalars.count == 8)
        #expect(pack.sources == ["one", "two"])
        #expect(pack.verified)
    }

    @Test("the parser never traps on arbitrary text (deterministic fuzz)")
    func fuzz() throws {
        let base = try #require(RulePackResources.url(forPack: RulePack.defaultID))
        let seed = Array(try String(contentsOf: base, encoding: .utf8).unicodeScalars)
        let alphabet = Array("[]=\"'#\\\n\r\t .,-+0123456789abcdeuUtf{}_độ\u{0301}\u{0000}".unicodeScalars)
        var generator = SplitMix64(seed: 0x5EED)
        var accepted = 0
        for _ in 0..<400 {
            var scalars = seed
            for _ in 0..<Int(generator.next() % 6 + 1) {
                let position = Int(generator.next() % UInt64(scalars.count + 1))
                let replacement = alphabet[Int(generator.next() % UInt64(alphabet.count))]
                switch generator.next() % 3 {
                case 0 where position < scalars.count: scalars.remove(at: position)
                case 1: scalars.insert(replacement, at: position)
                default: if position < scalars.count { scalars[position] = replacement }
                }
            }
            var text = String.UnicodeScalarView()
            text.append(contentsOf: scalars)
            do {
                _ = try RulePack.parse(text: String(text), name: "fuzz.toml")
                accepted += 1
            } catch {
                #expect(error.line.map { $0 >= 1 } ?? true)
            }
        }
        #expect(accepted < 400)
    }
}

