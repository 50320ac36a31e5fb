import Foundation
import Testing
@testable import FormationTemplate

/// Input nobody vetted (issue 17): each case is one error at a position, in bounded time, and no
/// value read changes silently.
@Suite struct HostileInputTests {
    static let depthMessage = "nesting deeper than 1000 levels (the limit on lists and maps inside one another)"

    // MARK: - Depth

    @Test func theDepthLimitIsExactInEveryForm() throws {
        let limit = ParseLimits.maximumDepth
        #expect(limit == 1_000)
        func lists(_ levels: Int) -> String { String(repeating: "[", count: levels) + "1" + String(repeating: "]", count: levels) }
        func objects(_ levels: Int) -> String { String(repeating: "{\"a\": ", count: levels) + "1" + String(repeating: "}", count: levels) }
        func block(_ levels: Int) -> String {
            (0..<levels).map { String(repeating: " ", count: $0) + "k:" }.joined(separator: "\n") + " 1\n"
        }
        // At the limit: read, every level there.
        var value = try JSONParser.parse(objects(limit))
        var levels = 0
        while case .map(let map) = value { levels += 1; value = map["a"]! }
        #expect(levels == limit)
        #expect(try YAMLParser.parse(lists(limit)) != .null)
        #expect(try YAMLParser.parse(block(limit)) != .null)
        #expect(try JSONParser.parse("{\"a\": " + lists(limit - 1) + "}") != .null)
        // One past: refused at the list or map that goes too deep.
        #expect(throws: TemplateError.syntax(file: "o.json", line: 1, column: 6 * limit + 1, message: Self.depthMessage)) {
            try JSONParser.parse(objects(limit + 1), file: "o.json")
        }
        #expect(throws: TemplateError.syntax(file: nil, line: 1, column: 6 + limit, message: Self.depthMessage)) {
            try JSONParser.parse("{\"a\": " + lists(limit) + "}")
        }
        #expect(throws: TemplateError.syntax(file: nil, line: 1, column: limit + 1, message: Self.depthMessage)) {
            try YAMLParser.parse(lists(limit + 1))
        }
        #expect(throws: TemplateError.syntax(file: nil, line: limit + 1, column: limit + 1, message: Self.depthMessage)) {
            try YAMLParser.parse(block(limit + 1))
        }
    }

    /// The inputs that crashed the process with a stack overflow: 20,000 and 1,000,000 levels,
    /// in JSON (json-c's limit and the scan) and YAML (counted from libyaml's events).
    @Test(arguments: [20_000, 1_000_000])
    func deepInputIsOneError(levels: Int) throws {
        let clock = ContinuousClock()
        let start = clock.now
        #expect(throws: TemplateError.syntax(file: "deep.json", line: 1, column: 1001, message: Self.depthMessage)) {
            try TemplateDocument.parse(String(repeating: "[", count: levels), file: "deep.json")
        }
        #expect(throws: TemplateError.syntax(file: "deep.json", line: 1, column: 5001, message: Self.depthMessage)) {
            try TemplateDocument.parse(String(repeating: "{\"a\":", count: levels), file: "deep.json")
        }
        #expect(throws: TemplateError.syntax(file: nil, line: 1, column: 1005, message: Self.depthMessage)) {
            try JSONParser.parse("{\"a\":" + String(repeating: "[", count: levels))
        }
        #expect(throws: TemplateError.syntax(file: nil, line: 1, column: 2001, message: Self.depthMessage)) {
            try YAMLParser.parse(String(repeating: "- ", count: levels) + "x")
        }
        #expect(clock.now - start < .seconds(10))
    }

    /// An alias adds the depth of what it names where it stands.
    @Test func aliasesCannotNestPastTheLimit() throws {
        let half = 600
        let anchored = "a: &deep " + String(repeating: "[", count: half) + String(repeating: "]", count: half) + "\n"
        let aliased = "b: " + String(repeating: "[", count: 500) + "*deep" + String(repeating: "]", count: 500) + "\n"
        #expect(throws: TemplateError.syntax(file: nil, line: 2, column: 504, message: Self.depthMessage + " once the YAML alias *deep is expanded")) {
            try YAMLParser.parse(anchored + aliased)
        }
        let shallow = "b: " + String(repeating: "[", count: 399) + "*deep" + String(repeating: "]", count: 399) + "\n"
        #expect(throws: Never.self) { try YAMLParser.parse(anchored + shallow) }
    }

    // MARK: - Aliases

    /// "Billion laughs": nine levels of nine aliases, 9⁹ strings from 342 bytes.
    static let billionLaughs: String = {
        var lines = [#"a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]"#]
        let names = ["a", "b", "c", "d", "e", "f", "g", "h", "i"]
        for level in 1..<names.count {
            let name = names[level]
            lines.append("\(name): &\(name) [" + Array(repeating: "*" + names[level - 1], count: 9).joined(separator: ",") + "]")
        }
        return lines.joined(separator: "\n") + "\n"
    }()

    @Test func theBillionLaughsStopAtTheNodeBudget() throws {
        let clock = ContinuousClock()
        let start = clock.now
        // The nodes, as the reader counts them: the root map; each key; list a, 1 + 9 = 10;
        // b, 1 + 9·10 = 91; c, 820; d, 7,381; e, 66,430; f, 597,871: 672,610 nodes once f is
        // read. g's first *f would make 672,612 + 597,871 = 1,270,483, past the budget.
        #expect(throws: TemplateError.syntax(file: "bomb.yaml", line: 7, column: 8, message: "expanding the YAML alias *f makes the document larger than 1048576 nodes (the limit on expanded aliases: one node per byte of the size limit, which --max-size raises)")) {
            try YAMLParser.parse(Self.billionLaughs, file: "bomb.yaml")
        }
        #expect(throws: TemplateError.syntax(file: "bomb.yaml", line: 2, column: 8, message: "YAML aliases are not allowed in CloudFormation templates (*a); formation convert or aws cloudformation package expands them")) {
            try YAMLParser.parse(Self.billionLaughs, file: "bomb.yaml", limits: .cloudFormation)
        }
        #expect(clock.now - start < .seconds(2))
    }

    @Test func theNodeBudgetIsExact() throws {
        // Root map, key a, list, 3 items = 6 nodes; key b and the alias's 4 nodes = 11.
        let text = "a: &x [1, 2, 3]\nb: *x\n"
        #expect(try YAMLParser.parse(text, limits: ParseLimits(maximumBytes: 11)) == ["a": [1, 2, 3], "b": [1, 2, 3]])
        #expect(throws: TemplateError.syntax(file: nil, line: 2, column: 4, message: "expanding the YAML alias *x makes the document larger than 10 nodes (the limit on expanded aliases: one node per byte of the size limit, which --max-size raises)")) {
            try YAMLParser.parse(text, limits: ParseLimits(maximumBytes: 10))
        }
    }

    // MARK: - Numbers

    @Test func numbersBeyondInt64AndDoubleKeepTheirText() throws {
        let json = #"{"Big": 99999999999999999999999, "Negative": -99999999999999999999999, "UInt64": 18446744073709551615, "Max": 9223372036854775807, "Min": -9223372036854775808, "Pi": 3.14159265358979323846, "Huge": 1e400, "Tiny": -2.5E-400, "Tenth": 0.1, "Padded": 1.50, "Short": 12345678901234567}"#
        let value = try JSONParser.parse(json)
        #expect(value == [
            "Big": .number("99999999999999999999999"), "Negative": .number("-99999999999999999999999"),
            "UInt64": .number("18446744073709551615"), "Max": .int(.max), "Min": .int(.min),
            "Pi": .number("3.14159265358979323846"), "Huge": .number("1.0e+400"), "Tiny": .number("-2.5e-400"),
            "Tenth": .double(0.1), "Padded": .double(1.5), "Short": .int(12345678901234567),
        ])
        let yaml = try YAMLEmitter.emit(value)
        #expect(yaml.contains("Big: 99999999999999999999999\n"))
        #expect(yaml.contains("Pi: 3.14159265358979323846\n"))
        #expect(yaml.contains("Huge: 1.0e+400\n"))
        #expect(try YAMLParser.parse(yaml) == value)
        let back = try JSONEmitter.emit(try YAMLParser.parse(yaml))
        #expect(back.contains(#""Big": 99999999999999999999999,"#))
        #expect(back.contains(#""Tiny": -2.5e-400,"#))
        #expect(try JSONParser.parse(back) == value)
    }

    @Test func yamlReadsLongIntegersInEveryBase() throws {
        #expect(try YAMLParser.parse("a: 99999999999999999999999") == ["a": .number("99999999999999999999999")])
        #expect(try YAMLParser.parse("a: -1_000_000_000_000_000_000_000") == ["a": .number("-1000000000000000000000")])
        #expect(try YAMLParser.parse("a: 0x10000000000000000") == ["a": .number("18446744073709551616")])
        #expect(try YAMLParser.parse("a: 0b1" + String(repeating: "0", count: 64)) == ["a": .number("18446744073709551616")])
        #expect(try YAMLParser.parse("a: 02000000000000000000000") == ["a": .number("18446744073709551616")])
        #expect(try YAMLParser.parse("a: !!int 99999999999999999999999") == ["a": .number("99999999999999999999999")])
        #expect(try YAMLParser.parse("a: !!float 99999999999999999999999") == ["a": .number("99999999999999999999999.0")])
        #expect(try YAMLParser.parse("a: 3.141_592_653_589_793_238_46") == ["a": .number("3.14159265358979323846")])
        #expect(try YAMLParser.parse("a: .5") == ["a": .double(0.5)])
        #expect(try YAMLParser.parse("a: 1.0e+400") == ["a": .number("1.0e+400")])
        #expect(try YAMLParser.parse("a: .inf") == ["a": .double(.infinity)])
        // Not numbers in YAML 1.1: strings, as before.
        #expect(try YAMLParser.parse("a: 1e400") == ["a": "1e400"])
        #expect(try YAMLParser.parse("a: 0o777") == ["a": "0o777"])
    }

    @Test func numberTextArithmetic() {
        #expect(NumberText.decimal("0012.3400e+2") == NumberText.Decimal(negative: false, digits: [1, 2, 3, 4], point: 4))
        #expect(NumberText.decimal("-0.000123") == NumberText.Decimal(negative: true, digits: [1, 2, 3], point: -3))
        #expect(NumberText.decimal("-0.0") == NumberText.Decimal(negative: false, digits: [], point: 0))
        #expect(NumberText.decimal("1e") == nil)
        #expect(NumberText.decimal("abc") == nil)
        #expect(NumberText.isExact(0.1, "0.1"))
        #expect(NumberText.isExact(0.1, "0.10000"))
        #expect(NumberText.isExact(1e22, "1e22"))
        #expect(NumberText.isExact(5e-324, "5e-324"))
        // Reads as the same double, but is not the decimal that double writes: kept as text.
        #expect(!NumberText.isExact(5e-324, "4.9406564584124654e-324"))
        #expect(!NumberText.isExact(0.1, "0.1000000000000000000001"))
        #expect(!NumberText.isExact(Double(9_007_199_254_740_993 as Int64), "9007199254740993"))
        #expect(!NumberText.isExact(.infinity, "1e400"))
        #expect(NumberText.canonical("+1_000.") == "1000.0")
        #expect(NumberText.canonical(".5E3") == "0.5e+3")
        #expect(NumberText.canonical("-2e-7") == "-2.0e-7")
        // Found by the convert fuzzer (fuzz/findings/convert-leading-zero.json): zeros before
        // the first digit made text JSON cannot hold.
        #expect(NumberText.canonical("-0348623159e308") == "-348623159.0e+308")
        #expect(NumberText.canonical("00012.5e400") == "12.5e+400")
        #expect(NumberText.canonical("000") == "0")
        #expect(NumberText.canonical("00.5") == "0.5")
        #expect(NumberText.isJSONNumber("-0.5e+10") && NumberText.isJSONNumber("0") && NumberText.isJSONNumber("123"))
        #expect(!NumberText.isJSONNumber("01") && !NumberText.isJSONNumber("1.") && !NumberText.isJSONNumber(".5")
                && !NumberText.isJSONNumber("1e") && !NumberText.isJSONNumber("") && !NumberText.isJSONNumber("1 "))
        #expect(NumberText.decimalDigits("FFFFFFFFFFFFFFFFFFFF", radix: 16) == "1208925819614629174706175")
        #expect(NumberText.decimalDigits("0", radix: 8) == "0")
    }

    /// json-c's strict mode reads `-0348623159e308` (found by the convert fuzzer); JSON has no
    /// leading zeros, and YAML 1.1's are read as the number.
    @Test func leadingZerosAreNotJSON() throws {
        #expect(throws: TemplateError.syntax(file: nil, line: 1, column: 7, message: "invalid JSON: a number cannot start with 0 and another digit")) {
            try JSONParser.parse(#"{"A": -0348623159e308}"#)
        }
        #expect(throws: TemplateError.syntax(file: nil, line: 1, column: 11, message: "invalid JSON: a number cannot start with 0 and another digit")) {
            try JSONParser.parse(#"{"A": [0, -012]}"#)
        }
        let value = try YAMLParser.parse("A: 00012.5e+400\n")
        #expect(value == ["A": .number("12.5e+400")])
        #expect(try JSONParser.parse(try JSONEmitter.emit(value)) == value)
    }

    @Test func aNumberOutsideJSONGrammarIsNotWritten() {
        #expect(throws: TemplateError.self) { try JSONEmitter.emit(["a": .number("12abc")]) }
        #expect(throws: TemplateError.self) { try YAMLEmitter.emit(["a": .number("1e5; rm")]) }
    }

    // MARK: - Unicode

    @Test func loneSurrogateEscapesAreErrors() throws {
        #expect(throws: TemplateError.syntax(file: "s.json", line: 1, column: 8, message: #"invalid Unicode: \ud800 is half of a UTF-16 surrogate pair with no low half after it"#)) {
            try JSONParser.parse(#"{"A": "\ud800"}"#, file: "s.json")
        }
        #expect(throws: TemplateError.syntax(file: nil, line: 2, column: 9, message: #"invalid Unicode: \udbff is half of a UTF-16 surrogate pair with no low half after it"#)) {
            try JSONParser.parse("{\"A\": 1,\n \"B\": \"x\\uDBFF\\u0041\"}")
        }
        #expect(throws: TemplateError.syntax(file: nil, line: 1, column: 8, message: #"invalid Unicode: \udc00 is the low half of a UTF-16 surrogate pair with no high half before it"#)) {
            try JSONParser.parse(#"{"A": "\udc00\ud800"}"#)
        }
        #expect(throws: TemplateError.syntax(file: nil, line: 1, column: 3, message: #"invalid Unicode: \ud800 is half of a UTF-16 surrogate pair with no low half after it"#)) {
            try JSONParser.parse(#"{"\ud800": 1}"#)
        }
        #expect(try JSONParser.parse(#"{"A": "\ud83d\ude00 \\ud800"}"#) == ["A": "😀 \\ud800"])
        // libyaml refuses the same escape in a double-quoted YAML scalar.
        #expect(throws: TemplateError.self) { try YAMLParser.parse(#"A: "\ud800""#) }
    }

    @Test func aKeyCannotHoldNUL() throws {
        #expect(throws: TemplateError.syntax(file: nil, line: 1, column: 4, message: "a key holds the character U+0000, which no template key can hold")) {
            try JSONParser.parse(#"{"a\u0000b": 1, "a\u0000c": 2}"#)
        }
        #expect(try JSONParser.parse(#"{"a": "x\u0000y"}"#) == ["a": "x\u{0}y"])
    }

    @Test func invalidUTF8IsAnErrorAtItsPosition() throws {
        let bytes = Array("Resources:\n  Aé: x\n".utf8) + [0xFF, 0x41]
        #expect(throws: TemplateError.syntax(file: "t.yaml", line: 3, column: 1, message: "invalid UTF-8: the byte 0xFF is not a character; a template is UTF-8 text")) {
            try TextFile.templateText(bytes, file: "t.yaml", maximumBytes: 1_000)
        }
        // A truncated sequence and an encoded surrogate (ED A0 80) are not UTF-8 either.
        #expect(throws: TemplateError.syntax(file: "t.yaml", line: 1, column: 3, message: "invalid UTF-8: the bytes 0xE2 0x82 are not a character; a template is UTF-8 text")) {
            try TextFile.templateText([0x41, 0x42, 0xE2, 0x82, 0x41], file: "t.yaml", maximumBytes: 1_000)
        }
        #expect(throws: TemplateError.syntax(file: "t.yaml", line: 1, column: 2, message: "invalid UTF-8: the byte 0xED is not a character; a template is UTF-8 text")) {
            try TextFile.templateText([0x41, 0xED, 0xA0, 0x80], file: "t.yaml", maximumBytes: 1_000)
        }
        #expect(try TextFile.templateText(Array("A: é\n".utf8), file: "t.yaml", maximumBytes: 1_000) == "A: é\n")
    }

    @Test func inputOverTheSizeLimitIsRefusedWhereItPassesTheLimit() throws {
        let bytes = Array("ab\ncdé".utf8)  // 7 bytes
        #expect(try TextFile.templateText(bytes, file: "t", maximumBytes: 7) == "ab\ncdé")
        #expect(throws: TemplateError.syntax(file: "t", line: 2, column: 3, message: "the input is larger than the --max-size limit of 5 bytes")) {
            try TextFile.templateText(bytes, file: "t", maximumBytes: 5)
        }
        let large = [UInt8](repeating: 0x20, count: ParseLimits.cloudFormationMaximumBytes + 1)
        #expect(throws: TemplateError.syntax(file: "t", line: 1, column: 1_048_577, message: "the input is larger than 1048576 bytes, CloudFormation's limit on a template (in S3); --max-size BYTES raises this limit")) {
            try TextFile.templateText(large, file: "t", maximumBytes: ParseLimits.cloudFormationMaximumBytes)
        }
    }

    // MARK: - Tags

    static let shortForms = "!Ref, !GetAtt, !Sub, !Join, !Select, !Split, !If, !Equals, !And, !Or, !Not, !FindInMap, !Base64, !Cidr, !GetAZs, !ImportValue, !Condition, !Transform, !GetStackOutput, !Contains, !EachMemberEquals, !EachMemberIn, !RefAll, !ValueOf, !ValueOfAll, !Length, !ToJsonString (!Contains to !ValueOfAll in Rules, the last two with the AWS::LanguageExtensions transform)"

    @Test func unknownTagsAreErrorsNamingTheTag() throws {
        let cases: [(String, String, Int, Int)] = [
            ("Resources:\n  A:\n    Type: !Foo bar\n", "!Foo", 3, 11),
            ("A: !Foo [1, 2]\n", "!Foo", 1, 4),
            ("A: !Foo {b: 1}\n", "!Foo", 1, 4),
            ("A: !ref X\n", "!ref", 1, 4),
            ("A: !!python/object:os.system x\n", "!!python/object:os.system", 1, 4),
            ("A: !!binary aGVsbG8=\n", "!!binary", 1, 4),
            ("A: !<tag:example.com,2000:thing> x\n", "tag:example.com,2000:thing", 1, 4),
        ]
        for (text, tag, line, column) in cases {
            #expect(throws: TemplateError.syntax(file: "t.yaml", line: line, column: column, message: "unknown YAML tag \(tag); CloudFormation reads only its short forms " + Self.shortForms), "\(text)") {
                try YAMLParser.parse(text, file: "t.yaml")
            }
        }
        // A Rain directive (AWS's sample templates use them) says what it is and what to do.
        #expect(throws: TemplateError.syntax(file: "t.yaml", line: 3, column: 11, message: "YAML tag !Rain::Module is a Rain directive, which CloudFormation does not read: validate the template `rain pkg` writes from this file")) {
            try YAMLParser.parse("Resources:\n  A:\n    Type: !Rain::Module ../modules/vpc.yml\n", file: "t.yaml")
        }
        // Every short form still reads, and the standard tags still apply.
        for tag in YAMLParser.shortFormTags {
            #expect(throws: Never.self) { try YAMLParser.parse("A: \(tag) [x, y]\n") }
        }
        #expect(try YAMLParser.parse("A: !!str 1\nB: !!int '2'\nC: !!seq [1]\n") == ["A": "1", "B": 2, "C": [1]])
        #expect(try YAMLParser.parse("A: !Length [1, 2]\n") == ["A": .fn(.length([1, 2]))])
    }

    // MARK: - Not a template

    @Test func emptyScalarAndListDocumentsAreNotTemplates() throws {
        let empty = "the input is empty; a template is a JSON or YAML map (AWSTemplateFormatVersion, Resources, …)"
        for text in ["", "  \n\t\n", "\u{FEFF}"] {
            #expect(throws: TemplateError.syntax(file: "t", line: 1, column: 1, message: empty)) { try TemplateDocument.parseTemplate(text, file: "t") }
        }
        let notAMap = "a template must be a map at the top level (AWSTemplateFormatVersion, Resources, …), found "
        let cases: [(String, Int, Int, String)] = [
            ("# a comment\n\"just a string\"\n", 2, 1, "a string"),
            ("42\n", 1, 1, "an integer"),
            ("---\n- a\n- list\n", 2, 1, "a list"),
            ("[1, 2]", 1, 1, "a list"),
            ("~\n", 1, 1, "null"),
            ("\n  {\"Ref\": \"X\"}", 2, 3, "the function Ref"),
        ]
        for (text, line, column, found) in cases {
            #expect(throws: TemplateError.syntax(file: "t", line: line, column: column, message: notAMap + found), "\(text)") {
                try TemplateDocument.parseTemplate(text, file: "t")
            }
        }
        #expect(throws: TemplateError.syntax(file: "t", line: 2, column: 1, message: "the YAML input is empty; expected a template document")) {
            try TemplateDocument.parseTemplate("# only a comment\n", file: "t")
        }
        #expect(try TemplateDocument.parseTemplate("Resources: {}\n").root == ["Resources": [:]])
    }
}
