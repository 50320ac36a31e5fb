import Formation
import Testing

/// An app's rule settings: a rule turned off, a severity changed, an unknown ID.
@Suite struct RuleSettingsTests {
    /// A rule that reports every resource of type `AWS::SNS::Topic` under FM9001 (warning by default).
    struct TopicRule: TemplateRule {
        var catalog: [RuleInfo] {
            [RuleInfo("FM9001", .warning, "a topic", rationale: "topics are counted", fix: "none")]
        }

        func check(_ template: Template, _ context: ValidationContext) -> [Diagnostic] {
            template.resources.entries.filter { $0.value["Type"] == "AWS::SNS::Topic" }.map {
                .warning("FM9001", path: context.path(ofResource: $0.key), "a topic")
            }
        }
    }

    /// A rule that declares no catalog: its diagnostics are not findings.
    struct PlainRule: TemplateRule {
        func check(_ template: Template, _ context: ValidationContext) -> [Diagnostic] {
            [.error("FM9002", path: context.stackPath, "plain")]
        }
    }

    func diagnostics(_ configure: (App) -> Void) -> [String] {
        let app = App(schemas: .empty, rules: [TopicRule(), PlainRule()])
        configure(app)
        let stack = app.stack("S")
        stack.add("Topic", RawResource(type: "AWS::SNS::Topic"))
        return stack.synthesize().diagnostics.map(\.description)
    }

    @Test func rulesReportAtTheirDefaultSeverity() {
        #expect(diagnostics { _ in } == ["warning FM9001 S/Topic: a topic", "error FM9002 S: plain"])
    }

    @Test func aRuleCanBeTurnedOff() {
        #expect(diagnostics { $0.configureRule("FM9001", .off) } == ["error FM9002 S: plain"])
    }

    @Test func aRuleCanChangeSeverity() {
        #expect(diagnostics { $0.configureRule("FM9001", .severity(.error)) } == ["error FM9001 S/Topic: a topic", "error FM9002 S: plain"])
        #expect(diagnostics { $0.configureRule("FM9001", .severity(.info)) } == ["info FM9001 S/Topic: a topic", "error FM9002 S: plain"])
    }

    @Test func anUnknownRuleIDIsAnErrorNamingTheClosest() {
        #expect(diagnostics { $0.configureRule("FM9010", .off) } == [
            "error FM1117 app: configureRule: \"FM9010\" is not a rule of this app; did you mean FM9001?",
            "warning FM9001 S/Topic: a topic", "error FM9002 S: plain",
        ])
        // A rule without a catalog cannot be configured: its diagnostics are not findings.
        #expect(diagnostics { $0.configureRule("FM9002", .off) }.first?.hasPrefix("error FM1117 app: configureRule: \"FM9002\" is not a rule of this app") == true)
    }

    @Test func findingsAreTheCatalogsCodes() {
        let app = App(schemas: .empty, rules: [TopicRule(), PlainRule()])
        #expect(app.isFinding(.warning("FM9001", path: "S", "x")))
        #expect(!app.isFinding(.error("FM9002", path: "S", "x")))
        #expect(!app.isFinding(.error("FM3004", path: "S", "x")))
    }

    @Test func severitiesAreOrdered() {
        #expect(FindingSeverity.info < .warning && FindingSeverity.warning < .error && !(FindingSeverity.error < .info))
        #expect([FindingSeverity.error, .info, .warning].sorted() == [.info, .warning, .error])
    }
}
