import Foundation
import FormationConstructs
import FormationTesting
import Stacks
import Testing

/// The stacks this target covers, every environment, by name.
let coveredStackNames: [String] = Environment.all.flatMap { [BedrockCacheStack.stackName($0.name), EksAmiUpdateStack.stackName($0.name)] }

/// Adds the covered stack `name` to `app`.
func addCovered(_ name: String, to app: App) -> Stack {
    for env in Environment.all {
        if name == BedrockCacheStack.stackName(env.name) { return BedrockCacheStack.add(to: app, env) }
        if name == EksAmiUpdateStack.stackName(env.name) { return EksAmiUpdateStack.add(to: app, env) }
    }
    return app.stack(name)  // not covered: an empty stack, which no test expects
}

/// The covered stack `name`, synthesized.
func synthesizeCovered(_ name: String) -> Synthesis {
    synthesize { addCovered(name, to: $0) }
}

@Suite struct SnapshotTests {
    /// `snapshots/<stack>.json` and `.yaml` for every covered stack: a missing snapshot is
    /// recorded (failed under `CI=true`), a different one fails with the resource-level diff,
    /// `FORMATION_UPDATE_SNAPSHOTS=1 swift test` rewrites them.
    @Test(arguments: coveredStackNames)
    func snapshot(_ name: String) {
        let synthesis = synthesizeCovered(name)
        Snapshots().assertMatches(synthesis, format: .json)
        Snapshots().assertMatches(synthesis, format: .yaml)
    }

    @Test(arguments: coveredStackNames)
    func twoSynthesesAreIdentical(_ name: String) throws {
        let first = synthesizeCovered(name), second = synthesizeCovered(name)
        #expect(try first.render(.json).text == second.render(.json).text)
        #expect(try first.render(.yaml).text == second.render(.yaml).text)
        #expect(first.assets == second.assets)
    }

    @Test(arguments: coveredStackNames)
    func templatesStayUnderTheInlineBodyLimit(_ name: String) throws {
        let synthesis = synthesizeCovered(name)
        for format in [TemplateFormat.json, .yaml] {
            let rendered = try synthesis.render(format)
            #expect(rendered.byteCount <= 51_200, "\(name) \(format.rawValue) is \(rendered.byteCount) bytes")
            #expect(rendered.diagnostics.isEmpty)
        }
    }

    @Test func theAppRegistersBothStacksForEveryEnvironment() {
        let names = FormationApp.make().stacks.map(\.name)
        for name in coveredStackNames {
            #expect(names.contains(name), "\(name) is not in the app")
        }
    }
}

/// cfn-lint (pinned 1.58.0, installed by `make pydeps`) as an external judge.
@Suite(.serialized) struct CfnLintTests {
    static let pinnedVersion = "1.58.0"

    func requirePinnedCfnLint() throws {
        let version = try run("cfn-lint", ["--version"])
        try #require(version.status == 0, "cfn-lint is not installed (make pydeps installs cfn-lint==\(Self.pinnedVersion)): \(version.output)")
        try #require(version.output.contains(Self.pinnedVersion), "cfn-lint \(Self.pinnedVersion) is pinned; found \(version.output)")
    }

    @Test func everyEnvironmentPassesInJSONAndYAML() throws {
        try requirePinnedCfnLint()
        let scratch = try ScratchDirectory()
        var files: [String] = []
        for name in coveredStackNames {
            let synthesis = synthesizeCovered(name)
            for format in [TemplateFormat.json, .yaml] {
                let path = scratch.path + "/\(name).\(format.fileExtension)"
                try synthesis.render(format).text.write(toFile: path, atomically: true, encoding: .utf8)
                files.append(path)
            }
        }
        let result = try run("cfn-lint", ["--format", "parseable", "--"] + files)
        #expect(result.status == 0, "cfn-lint found problems:\n\(result.output)")
    }

    /// cfn-lint cannot look inside an `Fn::Sub` string, so the state machine definitions are
    /// linted as deployed: placeholders replaced by plausible values, in a `DefinitionString`
    /// cfn-lint validates against the States Language schema (E3601).
    @Test func theStateMachineDefinitionsAreValidStatesLanguage() throws {
        try requirePinnedCfnLint()
        let scratch = try ScratchDirectory()
        var files: [String] = []
        for name in coveredStackNames where name.hasPrefix("EksAmiUpdateStack") {
            let template = synthesizeCovered(name).template
            let machine = try #require(template.resourceViews.first { $0.type == "AWS::StepFunctions::StateMachine" })
            guard case .fn(.sub(let text, _))? = machine.properties["DefinitionString"] else {
                Issue.record("\(name): DefinitionString is not an Fn::Sub")
                continue
            }
            let resolved: TemplateValue = ["Resources": ["Workflow": [
                "Type": "AWS::StepFunctions::StateMachine",
                "Properties": ["RoleArn": "arn:aws:iam::123456789012:role/workflow", "DefinitionString": .string(resolveSubstitutions(text))],
            ]]]
            let path = scratch.path + "/\(name)-definition.json"
            try JSONEmitter.emit(resolved).write(toFile: path, atomically: true, encoding: .utf8)
            files.append(path)
        }
        #expect(files.count == 3)
        let result = try run("cfn-lint", ["--format", "parseable", "--"] + files)
        #expect(result.status == 0, "cfn-lint found problems:\n\(result.output)")
    }

    /// The judge works: a definition with a misspelled transition fails.
    @Test func aBrokenDefinitionFailsTheSameCheck() throws {
        try requirePinnedCfnLint()
        let scratch = try ScratchDirectory()
        let broken = #"{"StartAt":"A","States":{"A":{"Type":"Task","Resource":"arn:aws:lambda:us-east-1:123456789012:function:a","Nxt":"B"},"B":{"Type":"Succeed"}}}"#
        let template: TemplateValue = ["Resources": ["Workflow": [
            "Type": "AWS::StepFunctions::StateMachine",
            "Properties": ["RoleArn": "arn:aws:iam::123456789012:role/workflow", "DefinitionString": .string(broken)],
        ]]]
        let path = scratch.path + "/broken.json"
        try JSONEmitter.emit(template).write(toFile: path, atomically: true, encoding: .utf8)
        let result = try run("cfn-lint", ["--format", "parseable", "--", path])
        #expect(result.status != 0)
        #expect(result.output.contains("E3601"), "\(result.output)")
    }
}
