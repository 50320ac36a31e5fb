import Testing
@testable import FormationTemplate

/// The byte-level scalar checks against the character-level definitions they replaced.
@Suite struct YAMLScalarsTests {
    /// The definition `mustQuote` had when it worked on characters.
    static func referenceMustQuote(_ text: String) -> Bool {
        if text.isEmpty || ["", "~", "null", "Null", "NULL"].contains(text) || text == "<<" || text == "=" { return true }
        let lower = text.lowercased()
        if ["y", "n", "yes", "no", "true", "false", "on", "off", "null", "~"].contains(lower) { return true }
        if lower.hasPrefix(".") || lower.hasPrefix("-.") || lower.hasPrefix("+.") {
            let rest = lower.drop { $0 == "-" || $0 == "+" || $0 == "." }
            if rest == "inf" || rest == "nan" { return true }
        }
        var scalars = Substring(text)
        if let sign = scalars.first, sign == "-" || sign == "+" { scalars = scalars.dropFirst() }
        if scalars.first == "." { scalars = scalars.dropFirst() }
        guard let first = scalars.first, first >= "0" && first <= "9" else { return false }
        let numeric: Set<Character> = Set("0123456789abcdefABCDEFxXoO_.:+-eE tTzZ")
        return text.allSatisfy { numeric.contains($0) }
    }

    static let samples = [
        "", "~", "null", "NULL", "Null", "nUll", "<<", "=", "y", "Y", "n", "yes", "No", "ON", "off", "TRUE", "False",
        ".inf", "-.Inf", "+.NAN", "..inf", "-.-.nan", "-.infinity", "1", "0123", "1e3", "0x1F", "1.0", "-1", "+.5", ".5",
        "2012-10-17", "2001-12-14t21:59:43.10-05:00", "12:30:00", "1_000", "1 2", "1é", "1\u{301}", "١٢", "v1", "a1",
        "-", "+", ".", "-.", "10.10.0.0/16", "123456789012", "arn:aws:iam::123456789012:role/x", "éyes", "yes ", " yes",
        "0o17", "0b101", "1:20", "1-2-3", "1Z", "1t", "9999999999999999999999",
    ]

    @Test func mustQuoteAgreesWithTheCharacterDefinition() {
        for text in Self.samples {
            #expect(YAMLScalars.mustQuote(text) == Self.referenceMustQuote(text), "\(TemplateValue.string(text))")
        }
        var rng = SplitMix64(seed: 0x59A1)
        let alphabet = Array("0123456789abcdefxXoOeEtTzZyYnN_.:+-~ <=é\u{301}١")
        for _ in 0..<20_000 {
            let text = String((0..<Int.random(in: 0...7, using: &rng)).map { _ in alphabet.randomElement(using: &rng)! })
            #expect(YAMLScalars.mustQuote(text) == Self.referenceMustQuote(text), "\(TemplateValue.string(text))")
        }
        for _ in 0..<2_000 {
            let text = Generate.string(&rng)
            #expect(YAMLScalars.mustQuote(text) == Self.referenceMustQuote(text), "\(TemplateValue.string(text))")
        }
    }

    @Test func lineBreaksAgreeWithTheScalarDefinition() {
        var rng = SplitMix64(seed: 0x11B)
        let pieces = ["a", "\n", "\r", "\r\n", "\u{85}", "\u{2028}", "\u{2029}", "\u{2027}", "\u{A8}", "\u{C2}", "é", "€", "\u{80}", "\u{E2}"]
        for _ in 0..<20_000 {
            let text = (0..<Int.random(in: 0...6, using: &rng)).map { _ in pieces.randomElement(using: &rng)! }.joined()
            let other = text.unicodeScalars.contains { $0 == "\r" || $0 == "\u{85}" || $0 == "\u{2028}" || $0 == "\u{2029}" }
            let breaks = YAMLScalars.lineBreaks(text)
            #expect(breaks.other == other, "\(Array(text.unicodeScalars))")
            if !other { #expect(breaks.newline == text.contains("\n"), "\(Array(text.unicodeScalars))") }
        }
    }
}
