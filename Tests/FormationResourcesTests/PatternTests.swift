import Foundation
import FormationTemplate
import Testing
import Formation
import FormationCodegen
@testable import FormationRegistry
import FormationResources

/// Schema patterns: whole-value matching, the POSIX translation, and agreement between the two
/// engines on every bundled pattern.
@Suite struct PatternTests {
    /// Every distinct pattern of every bundled schema.
    static let allPatterns: [SchemaPattern] = {
        var seen = Set<String>()
        var result: [SchemaPattern] = []
        for registry in allRegistrySchemas {
            // patternProperties patterns are searched, other patterns matched whole: both forms.
            for pattern in registry.compiledRules.patterns where seen.insert("\(pattern.wholeValue) \(pattern.source)").inserted {
                result.append(pattern)
            }
        }
        return result
    }()

    /// The patterns the engines are compared on: every pattern of the built-in types' schemas
    /// and a fixed, spread sample of the others (every eighth in source order), so the comparison
    /// covers the registry without running Swift `Regex` on thousands of patterns in a debug build.
    static let comparedPatterns: [SchemaPattern] = {
        var builtIn = Set<String>()
        for name in BuiltInTypes.names {
            if let schema = SchemaRegistry.bundled.schema(for: name) as? RegistrySchema {
                for pattern in schema.compiledRules.patterns { builtIn.insert(pattern.source) }
            }
        }
        let sorted = allPatterns.sorted { $0.source < $1.source }
        var others = 0
        return sorted.filter { pattern in
            if builtIn.contains(pattern.source) { return true }
            others += 1
            return others % 8 == 0
        }
    }()

    /// Values that exercise names, ARNs, ids, paths, CIDRs, spaces and punctuation.
    static let samples: [String] = [
        "", "a", "A", "_", "-", "1", "ab", "customerServiceAgent_dev", "customer-service-agent-dev",
        "customerServiceAgentMemory_dev", "arn:aws:iam::123456789012:role/customerServiceAgentExecutionRole-dev",
        "arn:aws:kms:us-east-1:123456789012:key/0a1b2c3d-1234-5678-9abc-def012345678", "alias/agent",
        "sg-0123456789abcdef0", "subnet-0123456789abcdef0", "vpc-0123456789abcdef0", "10.0.0.0/16", "::/0",
        "/aws/bedrock-agentcore/runtimes/customerServiceAgent_dev", "/customerServiceAgent/dev/runtime-id",
        "123456789012.dkr.ecr.us-east-1.amazonaws.com/customerserviceagent/runtime-dev:latest",
        "https://example.com/.well-known/openid-configuration", "cron(0 9,21 * * ? *)", "rate(5 minutes)",
        "Hello, world!", "a b c", "tab\there", "x{1}", "[brackets]", "back\\slash", "quote\"d", "~!@#$%^&*()_+",
        "AES256", "aws:kms", "python3.12", "index.handler", "0.90", "-1", "1e3", "SIMILARITY_THRESHOLD",
        String(repeating: "a", count: 48), String(repeating: "a", count: 49), String(repeating: "9", count: 12),
    ]

    /// Every distinct pattern of every registry schema compiles in one engine or another, but for
    /// a few the schemas get wrong (a quantifier on `$`, Java's `&&` class intersection, lone
    /// UTF-16 surrogates): those are skipped, never guessed, and never stop validation.
    @Test func everyBundledPatternCompiles() {
        #expect(PatternTests.allPatterns.count > 2000)
        let unusable = PatternTests.allPatterns.filter { !$0.isUsable }
        #expect(unusable.count * 100 < PatternTests.allPatterns.count, "\(unusable.map(\.source))")
        for pattern in unusable {
            #expect(!pattern.matches("anything") || pattern.matches("anything"))  // answers without trapping
        }
        // Nearly all have a POSIX form; the rest need Unicode classes (\p{L}) or look-around.
        let regexOnly = PatternTests.allPatterns.filter { !$0.usesPOSIX }
        #expect(regexOnly.count * 10 < PatternTests.allPatterns.count)
        #expect(regexOnly.contains { $0.source == #"^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$"# })
    }

    /// Whole-registry engine comparisons: `make pattern-engines` runs them
    /// (FORMATION_SLOW_TESTS=1); they left `make test` when they became too slow for every run.
    static let slowTestsEnabled = ProcessInfo.processInfo.environment["FORMATION_SLOW_TESTS"] != nil

    @Test(.enabled(if: slowTestsEnabled, "FORMATION_SLOW_TESTS=1 (make pattern-engines)"))
    func posixAndRegexAgreeOnEveryBundledPattern() {
        var disagreements: [String] = []
        for pattern in PatternTests.comparedPatterns {
            for sample in PatternTests.samples {
                guard let posix = pattern.posixMatches(sample), let regex = pattern.regexMatches(sample) else { continue }
                if posix != regex {
                    disagreements.append("\(pattern.source) on \(TemplateValue.string(sample)): POSIX \(posix), Regex \(regex)")
                }
            }
        }
        #expect(disagreements == [])
    }

    @Test(.enabled(if: slowTestsEnabled, "FORMATION_SLOW_TESTS=1 (make pattern-engines)"))
    func singlePassMatcherAgreesWithRegexOnEveryBundledPattern() {
        var disagreements: [String] = []
        var simple = 0
        for pattern in PatternTests.comparedPatterns where pattern.isSimple {
            simple += 1
            for sample in PatternTests.samples + ["Zürich café", "emoji 🙂", "١٢٣"] {
                guard let fast = pattern.simpleMatches(sample), let regex = pattern.regexMatches(sample) else { continue }
                // \d, \w and \s are ASCII here (as in AWS's validation), Unicode in Swift Regex.
                let unicodeClass = pattern.source.contains("\\d") || pattern.source.contains("\\w") || pattern.source.contains("\\s")
                if fast != regex && !(unicodeClass && !sample.unicodeScalars.allSatisfy(\.isASCII)) {
                    disagreements.append("\(pattern.source) on \(TemplateValue.string(sample)): single pass \(fast), Regex \(regex)")
                }
            }
        }
        #expect(simple > 30)
        // The hot ones in the seed stacks: AgentCore names, env var keys, log group names, ids.
        let sources = Set(PatternTests.allPatterns.filter(\.isSimple).map(\.source))
        for hot in ["[a-zA-Z][a-zA-Z0-9_]{0,47}", "^[a-zA-Z_][a-zA-Z0-9_]*$", #"^[.\-_/#A-Za-z0-9]{1,512}\Z"#, "^sg-[0-9a-zA-Z]{8,17}$"] {
            #expect(sources.contains(hot), "\(hot)")
        }
        #expect(disagreements == [])
    }

    @Test func singlePassShapes() {
        #expect(SimplePattern("[a-zA-Z][a-zA-Z0-9_]{0,47}", wholeValue: true) != nil)
        #expect(SimplePattern(#"^sg-[0-9a-zA-Z]{8,17}$"#, wholeValue: false) != nil)
        #expect(SimplePattern(#"^[.\-_/#A-Za-z0-9]{1,512}\Z"#, wholeValue: false) != nil)
        #expect(SimplePattern("[a-z]+[0-9]", wholeValue: true) == nil)     // would need backtracking
        #expect(SimplePattern("(ab)+", wholeValue: true) == nil)
        #expect(SimplePattern("^arn:.*", wholeValue: false) == nil)        // a prefix search, not a whole match
        let name = SimplePattern("[a-zA-Z][a-zA-Z0-9_]{0,47}", wholeValue: true)
        #expect(name?.matches("customerServiceAgent_dev") == true)
        #expect(name?.matches("customer-service-agent-dev") == false)
        #expect(name?.matches("") == false)
        #expect(name?.matches("a" + String(repeating: "b", count: 47)) == true)
        #expect(name?.matches("a" + String(repeating: "b", count: 48)) == false)
    }

    @Test func documentationShowsThePatternAsApplied() {
        for pattern in PatternTests.allPatterns {
            // Key patterns (patternProperties) are searched as written; documentation shows values'.
            if pattern.searched {
                #expect(pattern.applied == pattern.source && !pattern.wholeValue, "\(pattern.source)")
                continue
            }
            #expect(PatternAnchoring.anchored(pattern.source) == pattern.applied, "\(pattern.source)")
            // Only an unanchored pattern is rewritten, and then to match the whole value.
            #expect((pattern.applied != pattern.source) == pattern.wholeValue, "\(pattern.source)")
        }
        for (source, applied) in [("a|b", "^(?:a|b)$"), ("(a|b)c", "^(a|b)c$"), ("^a", "^a"), ("a$", "a$"),
                                  (#"\Aabc"#, #"\Aabc"#), (#"abc\z"#, #"abc\z"#), ("[$^]x", "^[$^]x$"),
                                  (#"a\|b"#, #"^a\|b$"#), (#"[\]|]"#, #"^[\]|]$"#), ("[]|]", "^[]|]$")] {
            #expect(PatternAnchoring.anchored(source) == applied, "\(source)")
        }
    }

    @Test func unanchoredPatternsMatchTheWholeValue() {
        let name = SchemaPattern("[a-zA-Z][a-zA-Z0-9_]{0,47}")
        #expect(name.applied == "^[a-zA-Z][a-zA-Z0-9_]{0,47}$")
        #expect(name.matches("customerServiceAgent_dev"))
        #expect(!name.matches("customer-service-agent-dev"))  // cfn-lint's search finds "customer" and passes it
        #expect(!name.matches(String(repeating: "a", count: 49)))
        let alternation = SchemaPattern("dev|prd")
        #expect(alternation.applied == "^(?:dev|prd)$")
        #expect(alternation.matches("prd") && !alternation.matches("prdx") && !alternation.matches("xdev"))
        let anchored = SchemaPattern("^arn:")
        #expect(anchored.applied == "^arn:")
        #expect(anchored.matches("arn:aws:s3:::bucket") && !anchored.matches("x-arn:"))
    }

    @Test func nonASCIIValues() {
        let printable = SchemaPattern(#"[\u0009\u000A\u000D\u0020-\u00FF]+"#)
        #expect(printable.usesPOSIX && printable.isSimple)
        #expect(printable.matches("Zürich café"))        // U+00FC and U+00E9 are in range
        #expect(!printable.matches("emoji 🙂"))           // U+1F642 is not
        #expect(printable.matches("line one\nline two"))  // line breaks go to Swift Regex too
        let letters = SchemaPattern(#"^([\p{L}\p{Z}\p{N}_.:/=+\-@]*)$"#)
        #expect(!letters.usesPOSIX)
        #expect(letters.matches("Équipe 7") && !letters.matches("semi;colon"))
    }

    @Test func posixTranslation() {
        #expect(PosixTranslation.translate(#"(?:a|b)\d{2,}"#) == "(a|b)[0-9]{2,}")
        #expect(PosixTranslation.translate(#"[\w.\-]+"#) == "[.0-9A-Z_a-z-]+")
        #expect(PosixTranslation.translate(#"[^\]\\]"#) == #"[^]\]"#)
        #expect(PosixTranslation.translate(#"a{,3}b+?"#) == "a{0,3}b+")
        #expect(PosixTranslation.translate(#"\x41\/x"#) == "A/x")
        #expect(PosixTranslation.translate(#"[\s]"#) == "[\t-\r ]")
        #expect(PosixTranslation.translate(#"[\u0020-\u00FF]"#) == "[] -,.-Z\\_-\u{7F}[^-]")
        #expect(PosixTranslation.translate(#"(?=a)b"#) == nil)
        #expect(PosixTranslation.translate(#"\bword"#) == nil)
        #expect(PosixTranslation.translate(#"\p{L}+"#) == nil)
        #expect(PosixTranslation.translate(#"a++"#) == nil)
        #expect(PosixTranslation.translate("é") == nil)
        #expect(PosixTranslation.translate(#"^[a-z]{1,512}\Z"#) == "^[a-z]{1,512}$")
    }

    @Test func lookaroundIsSplitIntoConditions() {
        let bucket = SchemaPattern(#"^[0-9A-Za-z\.\-_]*(?<!\.)$"#)
        #expect(bucket.usesPOSIX)
        #expect(bucket.matches("my-artifacts.bucket") && !bucket.matches("trailing.dot.") && !bucket.matches("bad/char"))
        let repository = SchemaPattern(#"^(?=.{2,256}$)([a-z0-9]+((\.|_|__|-+)[a-z0-9]+)*(\/[a-z0-9]+((\.|_|__|-+)[a-z0-9]+)*)*)$"#)
        #expect(repository.usesPOSIX)
        #expect(repository.matches("customerserviceagent/runtime-dev"))
        #expect(!repository.matches("a") && !repository.matches("Upper/case"))
        let notBlank = SchemaPattern(#"^(?!\s*$).+$"#)
        #expect(notBlank.matches("x") && !notBlank.matches("   ") && !notBlank.matches(""))
    }
}
