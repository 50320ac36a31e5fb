import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Formation
import Testing
@testable import FormationCLI

/// A finding in a copy an `Fn::ForEach` loop produced points at the node of the loop's body it
/// came from (nested loops, keys written with `${Id}` included), and names the copy.
@Suite struct LoopLocationTests {
    /// Loops in Conditions, Resources (two nested) and Outputs, each with a finding in its body.
    static let yaml = """
        AWSTemplateFormatVersion: "2010-09-09"
        Transform: AWS::LanguageExtensions
        Conditions:
          Fn::ForEach::Stages:
            - Stage
            - [Dev, Prod]
            - Is${Stage}: !Equals [!Ref Missing, "${Stage}"]
        Resources:
          Fn::ForEach::Envs:
            - Env
            - [Dev, Prod]
            - Fn::ForEach::Apps:
                - App
                - [Web, Api]
                - Queue${Env}${App}:
                    Type: AWS::SQS::Queue
                    Properties:
                      VisibilityTimeout: -5
                      Bogus${App}: 1
              Topic${Env}:
                Type: AWS::SNS::Topic
                DependsOn: Missing${Env}
        Outputs:
          Fn::ForEach::Out:
            - Env
            - [Dev]
            - Out${Env}:
                Value: !GetAtt [Nope, Arn]
        """

    /// The same kinds of findings in JSON, the inner loop's body on one line (columns matter).
    static let json = """
        {
          "Transform": "AWS::LanguageExtensions",
          "Resources": {
            "Fn::ForEach::Envs": ["Env", ["Dev", "Prod"], {
              "Fn::ForEach::Apps": ["App", ["Web"], {
                "Queue${Env}${App}": {
                  "Type": "AWS::SQS::Queue",
                  "Properties": {"VisibilityTimeout": -5, "Tags": [{"Key": "k", "Valu": "v"}]}
                }
              }]
            }]
          },
          "Outputs": {
            "Fn::ForEach::Out": ["Env", ["Dev"], {"Out${Env}": {"Value": {"Fn::GetAtt": ["Nope", "Arn"]}}}]
          }
        }
        """

    func validate(_ name: String, _ text: String, _ extra: [String] = []) throws -> (CLIResult, String, TemporaryDirectory) {
        let dir = try TemporaryDirectory()
        try dir.write(name, text)
        let file = dir.path + "/" + name
        return (try CLI.run(CLI.formation, ["validate", "--template", file] + extra), file, dir)
    }

    /// Positions counted by hand in the text above: line 7 column 7 is `Is${Stage}`, 18:15
    /// `VisibilityTimeout`, 19:15 `Bogus${App}` (the copies' `BogusWeb`, `BogusApi`), 22:9 the
    /// topic's `DependsOn`, 20:7 `Topic${Env}`, 28:9 the output's `Value`.
    @Test func yamlCopiesPointIntoTheLoopBody() throws {
        let (result, file, dir) = try validate("loops.yaml", Self.yaml)
        _ = dir
        #expect(result.status == 1)
        let lines = result.stderr.split(separator: "\n").map { line in
            line.firstRange(of: " (known:").map { String(line[..<$0.lowerBound]) } ?? String(line)
        }
        #expect(lines == [
            "\(file):22:9: error FM1105 Fn::ForEach::Envs/TopicDev: DependsOn: MissingDev is not a resource of this template",
            "\(file):22:9: error FM1105 Fn::ForEach::Envs/TopicProd: DependsOn: MissingProd is not a resource of this template",
            "\(file):28:9: error FM1102 Outputs/Fn::ForEach::Out/OutDev: Value: Fn::GetAtt Nope.Arn: Nope is not a resource of this template",
            "\(file):7:7: error FM1101 Conditions/Fn::ForEach::Stages/IsDev: Ref to Missing, which is not a resource, parameter or pseudo parameter of this template",
            "\(file):7:7: error FM1101 Conditions/Fn::ForEach::Stages/IsProd: Ref to Missing, which is not a resource, parameter or pseudo parameter of this template",
            "\(file):18:15: error FM3006 Fn::ForEach::Envs/QueueDevWeb: VisibilityTimeout -5 is less than minimum 0 (AWS::SQS::Queue)",
            "\(file):19:15: error FM3009 Fn::ForEach::Envs/QueueDevWeb: BogusWeb is not a known property",
            "\(file):18:15: error FM3006 Fn::ForEach::Envs/QueueDevApi: VisibilityTimeout -5 is less than minimum 0 (AWS::SQS::Queue)",
            "\(file):19:15: error FM3009 Fn::ForEach::Envs/QueueDevApi: BogusApi is not a known property",
            "\(file):18:15: error FM3006 Fn::ForEach::Envs/QueueProdWeb: VisibilityTimeout -5 is less than minimum 0 (AWS::SQS::Queue)",
            "\(file):19:15: error FM3009 Fn::ForEach::Envs/QueueProdWeb: BogusWeb is not a known property",
            "\(file):18:15: error FM3006 Fn::ForEach::Envs/QueueProdApi: VisibilityTimeout -5 is less than minimum 0 (AWS::SQS::Queue)",
            "\(file):19:15: error FM3009 Fn::ForEach::Envs/QueueProdApi: BogusApi is not a known property",
            "\(file):20:7: warning FM4205 Fn::ForEach::Envs/TopicDev: KmsMasterKeyId: absent — the topic's messages are not encrypted with a KMS key",
            "\(file):20:7: warning FM4205 Fn::ForEach::Envs/TopicProd: KmsMasterKeyId: absent — the topic's messages are not encrypted with a KMS key",
            "\(file):15:11: warning FM4260 Fn::ForEach::Envs/QueueDevWeb: DeletionPolicy absent (Delete), UpdateReplacePolicy absent (Delete) — deleting or replacing this AWS::SQS::Queue destroys its data",
            "\(file):15:11: warning FM4260 Fn::ForEach::Envs/QueueDevApi: DeletionPolicy absent (Delete), UpdateReplacePolicy absent (Delete) — deleting or replacing this AWS::SQS::Queue destroys its data",
            "\(file):15:11: warning FM4260 Fn::ForEach::Envs/QueueProdWeb: DeletionPolicy absent (Delete), UpdateReplacePolicy absent (Delete) — deleting or replacing this AWS::SQS::Queue destroys its data",
            "\(file):15:11: warning FM4260 Fn::ForEach::Envs/QueueProdApi: DeletionPolicy absent (Delete), UpdateReplacePolicy absent (Delete) — deleting or replacing this AWS::SQS::Queue destroys its data",
            "error: \(file) failed validation: 13 errors, 6 warnings",
        ], "\(result)")
    }

    /// Positions counted by hand: 8:26 `"VisibilityTimeout"`, 8:60 the `{` of `Tags[0]` (the
    /// missing `Value` is its), 8:73 `"Valu"`, 6:9 `"Queue${Env}${App}"`, 14:57 the output's
    /// `"Value"`.
    @Test func jsonCopiesPointIntoTheLoopBody() throws {
        let (result, file, dir) = try validate("loops.json", Self.json)
        _ = dir
        #expect(result.status == 1)
        #expect(result.stderr.split(separator: "\n").map(String.init) == [
            "\(file):14:57: error FM1102 Outputs/Fn::ForEach::Out/OutDev: Value: Fn::GetAtt Nope.Arn: Nope is not a resource of this template",
            "\(file):8:26: error FM3006 Fn::ForEach::Envs/QueueDevWeb: VisibilityTimeout -5 is less than minimum 0 (AWS::SQS::Queue)",
            "\(file):8:60: error FM3001 Fn::ForEach::Envs/QueueDevWeb: Tags[0].Value is required (AWS::SQS::Queue)",
            "\(file):8:73: error FM3009 Fn::ForEach::Envs/QueueDevWeb: Tags[0].Valu is not a known property; did you mean Tags[0].Value? (AWS::SQS::Queue)",
            "\(file):8:26: error FM3006 Fn::ForEach::Envs/QueueProdWeb: VisibilityTimeout -5 is less than minimum 0 (AWS::SQS::Queue)",
            "\(file):8:60: error FM3001 Fn::ForEach::Envs/QueueProdWeb: Tags[0].Value is required (AWS::SQS::Queue)",
            "\(file):8:73: error FM3009 Fn::ForEach::Envs/QueueProdWeb: Tags[0].Valu is not a known property; did you mean Tags[0].Value? (AWS::SQS::Queue)",
            "\(file):6:9: warning FM4260 Fn::ForEach::Envs/QueueDevWeb: DeletionPolicy absent (Delete), UpdateReplacePolicy absent (Delete) — deleting or replacing this AWS::SQS::Queue destroys its data",
            "\(file):6:9: warning FM4260 Fn::ForEach::Envs/QueueProdWeb: DeletionPolicy absent (Delete), UpdateReplacePolicy absent (Delete) — deleting or replacing this AWS::SQS::Queue destroys its data",
            "error: \(file) failed validation: 7 errors, 2 warnings",
        ], "\(result)")
    }

    /// SARIF: the body's line and column, the copy's logical ID as the logical location's name
    /// and the loop in its fully qualified name.
    @Test func sarifLocatesCopiesInTheBody() throws {
        let (result, file, dir) = try validate("loops.json", Self.json, ["--output-format", "sarif"])
        _ = dir
        let results = try #require(JSONParser.parse(result.stdout)["runs"]?[0]?["results"]?.listValue)
        let timeouts = results.filter { $0["ruleId"] == "FM3006" }
        #expect(timeouts.count == 2)
        for (entry, copy) in zip(timeouts, ["QueueDevWeb", "QueueProdWeb"]) {
            let location = try #require(entry["locations"]?[0])
            #expect(location["physicalLocation"]?["region"] == .map(OrderedMap([("startLine", 8), ("startColumn", 26)])))
            #expect(location["logicalLocations"]?[0]?["name"] == .string(copy))
            #expect(location["logicalLocations"]?[0]?["fullyQualifiedName"] == .string("\(file)/Fn::ForEach::Envs/\(copy)"))
            #expect(location["logicalLocations"]?[0]?["kind"] == "resource")
            #expect(entry["message"]?["text"] == .string("Fn::ForEach::Envs/\(copy): VisibilityTimeout -5 is less than minimum 0 (AWS::SQS::Queue)"))
        }
        let output = try #require(results.first { $0["ruleId"] == "FM1102" }?["locations"]?[0])
        #expect(output["physicalLocation"]?["region"] == .map(OrderedMap([("startLine", 14), ("startColumn", 57)])))
        #expect(output["logicalLocations"]?[0]?["name"] == "OutDev")
        #expect(output["logicalLocations"]?[0]?["kind"] == "member")
    }

    /// JSON output: the copy's logical ID, the body's line and column; JUnit: the copy's findings
    /// under its loop's testcase (the template's entry), not lost.
    @Test func jsonAndJUnitNameTheCopy() throws {
        let (result, file, dir) = try validate("loops.yaml", Self.yaml, ["--output-format", "json"])
        _ = dir
        let diagnostics = try #require(JSONParser.parse(result.stdout)["units"]?[0]?["diagnostics"]?.listValue)
        let bogus = try #require(diagnostics.first { $0["code"] == "FM3009" })
        #expect(bogus["logicalId"] == "QueueDevWeb" && bogus["path"] == .string("\(file)/Fn::ForEach::Envs/QueueDevWeb"))
        #expect(bogus["line"] == 19 && bogus["column"] == 15 && bogus["property"] == "BogusWeb")
        let condition = try #require(diagnostics.first { $0["code"] == "FM1101" })
        #expect(condition["line"] == 7 && condition["column"] == 7 && condition["logicalId"] == nil)

        let (junit, _, junitDir) = try validate("loops.yaml", Self.yaml, ["--output-format", "junit"])
        _ = junitDir
        let parsed = try JUnitReader(junit.stdout)
        #expect(parsed.cases == ["Fn::ForEach::Envs", "Template"])
        #expect(parsed.failures == ["Fn::ForEach::Envs": "FM1105", "Template": "FM1102"])
        #expect(parsed.text.contains("loops.yaml:19:15: error FM3009 Fn::ForEach::Envs/QueueProdApi: BogusApi is not a known property"))
    }

    /// A collection known only at deploy time is checked once with the identifier's name as the
    /// item; that copy's findings point into the body too (line 11 column 11 `Bogus${Name}`, the
    /// copy's `BogusName`).
    @Test func aPlaceholderCopyPointsIntoTheBody() throws {
        let (result, file, dir) = try validate("names.yaml", """
            Transform: AWS::LanguageExtensions
            Parameters:
              Names: {Type: CommaDelimitedList}
            Resources:
              Fn::ForEach::Queues:
                - Name
                - !Ref Names
                - Queue${Name}:
                    Type: AWS::SQS::Queue
                    Properties:
                      Bogus${Name}: 1
            """, ["--quiet"])
        _ = dir
        let lines = result.stderr.split(separator: "\n").map { line in
            line.firstRange(of: " (known:").map { String(line[..<$0.lowerBound]) } ?? String(line)
        }
        #expect(lines.first?.hasPrefix("\(file):11:11: error FM3009 Fn::ForEach::Queues/QueueName: BogusName is not a known property;") == true, "\(result)")
    }

    /// `formation validate` of an app's stacks: a finding in a copy of a DSL loop points into the
    /// loop's body in the template as `synth` writes it (the line found in the rendered text).
    @Test func stackCopiesPointIntoTheRenderedBody() throws {
        let app = App(schemas: .bundled)
        let stack = app.stack("Loops-dev")
        stack.forEach("Queues", "Name", in: .items(["Orders", "Refunds"])) { loop in
            [("Queue\(loop.key)", ForEachResource(RawResource(type: "AWS::SQS::Queue", properties: ["VisibilityTimeout": -5])))]
        }
        for format in [TemplateFormat.json, .yaml] {
            let reporter = Reporter(quiet: true)
            reporter.printsDiagnostics = false
            let report = ValidateCommand.stackReport([stack], format: format, reporter: reporter)
            let text = try #require(app.synthesize().first).render(format).text
            let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
            let key = format == .json ? "\"VisibilityTimeout\"" : "VisibilityTimeout:"
            let line = try #require(lines.firstIndex { $0.contains(key) })
            let column = try #require(lines[line].firstRange(of: key)).lowerBound.utf16Offset(in: lines[line]) + 1
            let found = report.units[0].results.filter { $0.diagnostic.code == "FM3006" }
            #expect(found.map(\.diagnostic.path) == ["Loops-dev/Fn::ForEach::Queues/QueueOrders", "Loops-dev/Fn::ForEach::Queues/QueueRefunds"])
            for result in found {
                #expect(result.location?.position == SourcePositions.Position(line: line + 1, column: column), "\(format): \(text)")
                #expect(result.location?.entryName == result.diagnostic.path.replacing("Loops-dev/", with: ""))
            }
        }
    }

    /// The locator on its own: a copy without a property is its body's key; a property the body
    /// lacks is the nearest node the body has; a path no loop produced is unchanged.
    @Test func theLocatorFollowsTheBody() throws {
        let (template, positions) = try TemplateDocument.parseTemplateWithPositions(Self.yaml, file: "t.yaml")
        let origins = LoopOrigins(template, ValidationContext(stackPath: "t.yaml"))
        let locator = DiagnosticLocator(file: "t.yaml", positions: positions, origins: origins)
        func at(_ path: String, _ property: String?) -> String? {
            locator.locate(.error("FM0000", path: path, property: property, "m")).map {
                "\($0.position.map(String.init(describing:)) ?? "-") \($0.entryName) \($0.logicalID ?? "-")"
            }
        }
        #expect(at("t.yaml/Fn::ForEach::Envs/QueueProdApi", nil) == "15:11 Fn::ForEach::Envs/QueueProdApi QueueProdApi")
        #expect(at("t.yaml/Fn::ForEach::Envs/QueueProdApi", "Type") == "16:13 Fn::ForEach::Envs/QueueProdApi QueueProdApi")
        #expect(at("t.yaml/Fn::ForEach::Envs/QueueProdApi", "BogusApi") == "19:15 Fn::ForEach::Envs/QueueProdApi QueueProdApi")
        #expect(at("t.yaml/Fn::ForEach::Envs/QueueProdApi", "QueueName") == "17:13 Fn::ForEach::Envs/QueueProdApi QueueProdApi")
        #expect(at("t.yaml/Outputs/Fn::ForEach::Out/OutDev", "Export.Name") == "27:7 Outputs/Fn::ForEach::Out/OutDev -")
        // A copy no loop of the template produced (a malformed loop's) is found at its loop.
        #expect(at("t.yaml/Fn::ForEach::Envs/Nothing", "X") == "9:3 Fn::ForEach::Envs/Nothing Fn::ForEach::Envs/Nothing")
    }
}
