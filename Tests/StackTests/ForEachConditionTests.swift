import Foundation
import FormationConstructs
import Testing

/// The DSL's `forEachCondition`: one `Fn::ForEach` entry in Conditions, the transform declared,
/// handles to the conditions it writes for resources and outputs, its copies validated at
/// synthesis, and a template cfn-lint accepts.
@Suite(.serialized) struct ForEachConditionTests {
    /// One condition per stage from a loop; a loop of topics, each under its stage's condition;
    /// a topic and an output under the handle of one of the loop's conditions.
    static func app(identifier: String = "Name", items: [String] = ["Prod", "Test"], handleItem: String = "Prod",
                    extra: (Stack, Parameter<String>) -> Void = { _, _ in }) -> App {
        let app = App(schemas: .bundled)
        let stack = app.stack("Stages-dev")
        let stage = stack.parameter("Stage", type: .string, allowedValues: ["Prod", "Test"])
        let stages = stack.forEachCondition("Stages", identifier, in: .items(items)) { loop in
            [("Is\(loop.key)", Fn.equals(stage.ref, loop.item))]
        }
        stack.forEach("Topics", "Name", in: .items(["Prod", "Test"])) { loop in
            [("Topic\(loop.key)", ForEachResource(SNS.Topic(topicName: "shop-\(loop.item)"), condition: "Is\(loop.key)"))]
        }
        stack.forEachOutput("TopicArns", "Name", in: .items(["Prod", "Test"])) { loop in
            [("Topic\(loop.key)Arn", ForEachOutput(Value<String>(.getAtt("Topic" + loop.key, "TopicArn")), condition: "Is\(loop.key)"))]
        }
        let isProd = stages.condition("Is\(stages.key)", for: handleItem)
        let alarms = stack.add("Alarms", SNS.Topic()).condition(isProd)
        stack.output("AlarmsArn", alarms.ref, condition: isProd)
        extra(stack, stage)
        return app
    }

    static func synthesis(_ app: App) throws -> Synthesis {
        try #require(app.synthesize().first)
    }

    /// Written by hand from the DSL above: the canonical section order (Conditions before
    /// Transform), declared resources before the loops, a resource's keys in the order Type,
    /// Properties, Condition, an output's Condition before its Value; a condition or a resource
    /// named with the item written with `Fn::Sub` (`Condition: !Sub Is${Name}`,
    /// `!GetAtt [!Sub Topic${Name}, TopicArn]`, as AWS's examples do: the transform resolves it,
    /// and cfn-lint reads no identifier in a plain string); json-c's two-space layout.
    static let expectedJSON = """
        {
          "AWSTemplateFormatVersion": "2010-09-09",
          "Parameters": {
            "Stage": {
              "Type": "String",
              "AllowedValues": [
                "Prod",
                "Test"
              ]
            }
          },
          "Conditions": {
            "Fn::ForEach::Stages": [
              "Name",
              [
                "Prod",
                "Test"
              ],
              {
                "Is${Name}": {
                  "Fn::Equals": [
                    {
                      "Ref": "Stage"
                    },
                    {
                      "Ref": "Name"
                    }
                  ]
                }
              }
            ]
          },
          "Transform": "AWS::LanguageExtensions",
          "Resources": {
            "Alarms": {
              "Type": "AWS::SNS::Topic",
              "Condition": "IsProd"
            },
            "Fn::ForEach::Topics": [
              "Name",
              [
                "Prod",
                "Test"
              ],
              {
                "Topic${Name}": {
                  "Type": "AWS::SNS::Topic",
                  "Properties": {
                    "TopicName": {
                      "Fn::Sub": "shop-${Name}"
                    }
                  },
                  "Condition": {
                    "Fn::Sub": "Is${Name}"
                  }
                }
              }
            ]
          },
          "Outputs": {
            "AlarmsArn": {
              "Condition": "IsProd",
              "Value": {
                "Ref": "Alarms"
              }
            },
            "Fn::ForEach::TopicArns": [
              "Name",
              [
                "Prod",
                "Test"
              ],
              {
                "Topic${Name}Arn": {
                  "Condition": {
                    "Fn::Sub": "Is${Name}"
                  },
                  "Value": {
                    "Fn::GetAtt": [
                      {
                        "Fn::Sub": "Topic${Name}"
                      },
                      "TopicArn"
                    ]
                  }
                }
              }
            ]
          }
        }

        """

    /// The same by hand in libyaml's block style: a sequence under a key is not indented, short
    /// forms for the functions, `'2010-09-09'` quoted (a YAML 1.1 reader would take it for a date).
    static let expectedYAML = """
        AWSTemplateFormatVersion: '2010-09-09'
        Parameters:
          Stage:
            Type: String
            AllowedValues:
            - Prod
            - Test
        Conditions:
          Fn::ForEach::Stages:
          - Name
          - - Prod
            - Test
          - Is${Name}: !Equals
            - !Ref Stage
            - !Ref Name
        Transform: AWS::LanguageExtensions
        Resources:
          Alarms:
            Type: AWS::SNS::Topic
            Condition: IsProd
          Fn::ForEach::Topics:
          - Name
          - - Prod
            - Test
          - Topic${Name}:
              Type: AWS::SNS::Topic
              Properties:
                TopicName: !Sub shop-${Name}
              Condition: !Sub Is${Name}
        Outputs:
          AlarmsArn:
            Condition: IsProd
            Value: !Ref Alarms
          Fn::ForEach::TopicArns:
          - Name
          - - Prod
            - Test
          - Topic${Name}Arn:
              Condition: !Sub Is${Name}
              Value:
                Fn::GetAtt:
                - !Sub Topic${Name}
                - TopicArn

        """

    @Test func emitsTheLoopInJSONAndYAMLAsWrittenByHand() throws {
        let synthesis = try Self.synthesis(Self.app())
        #expect(synthesis.diagnostics.errors.isEmpty, "\(synthesis.diagnostics)")
        #expect(try synthesis.render(.json).text == Self.expectedJSON)
        #expect(try synthesis.render(.yaml).text == Self.expectedYAML)
        // Identical bytes on a second run; the YAML reads back as the same template.
        let again = try Self.synthesis(Self.app())
        #expect(try again.render(.json).text == synthesis.render(.json).text)
        #expect(try again.render(.yaml).text == synthesis.render(.yaml).text)
        #expect(try Template(document: YAMLParser.parse(Self.expectedYAML)) == synthesis.template)
    }

    @Test func theHandleNamesTheCopyForAnItem() {
        let stack = App(schemas: .bundled).stack("Cidrs-dev")
        let loop = stack.forEachCondition("Cidrs", "Cidr", in: .items(["10.0.0.0/16"])) { loop in
            [("Allow\(loop.compactKey)", Fn.equals(AWS.region, loop.item))]
        }
        #expect(loop.condition("Is\(loop.key)", for: "Prod") == ConditionHandle(name: "IsProd"))
        #expect(loop.expandedKey("Allow\(loop.compactKey)", for: "10.0.0.0/16") == "Allow1000016")
        #expect(loop.expandedKey("Allow\(loop.key)", for: "10.0.0.0/16") == "Allow10.0.0.0/16")
    }

    /// The judge: cfn-lint 1.58.0 expands the transform and finds nothing, in JSON and YAML.
    @Test func cfnLintAcceptsTheTemplate() throws {
        try CfnLintTests().requirePinnedCfnLint()
        let synthesis = try Self.synthesis(Self.app())
        let scratch = try ScratchDirectory()
        var files: [String] = []
        for format in [TemplateFormat.json, .yaml] {
            let path = scratch.path + "/Stages-dev.\(format.fileExtension)"
            try synthesis.render(format).text.write(toFile: path, atomically: true, encoding: .utf8)
            files.append(path)
        }
        let result = try run("cfn-lint", ["--format", "parseable", "--"] + files)
        #expect(result.status == 0, "cfn-lint found problems:\n\(result.output)")
        // The judge reads the loop: a condition the loop does not write is its error too.
        let broken = scratch.path + "/broken.yaml"
        try Self.expectedYAML.replacing("Condition: IsProd\n  Fn::ForEach", with: "Condition: IsStaging\n  Fn::ForEach")
            .write(toFile: broken, atomically: true, encoding: .utf8)
        let refused = try run("cfn-lint", ["--format", "parseable", "--", broken])
        #expect(refused.status != 0 && refused.output.contains("IsStaging"), "\(refused.output)")
    }

    /// A loop's condition may use another loop's copy for the same item: `{Condition: Is${Name}}`
    /// inside it is written with an Fn::Sub name, which Formation and cfn-lint both resolve.
    @Test func aLoopConditionUsesAnotherLoopsCopy() throws {
        let app = App(schemas: .bundled)
        let stack = app.stack("Both-dev")
        let stage = stack.parameter("Stage", type: .string, allowedValues: ["Prod", "Test"])
        stack.forEachCondition("Stages", "Name", in: .items(["Prod", "Test"])) { loop in
            [("Is\(loop.key)", Fn.equals(stage.ref, loop.item))]
        }
        stack.forEachCondition("Regional", "Name", in: .items(["Prod", "Test"])) { loop in
            [("Regional\(loop.key)", Fn.and(ConditionHandle(name: "Is\(loop.key)").expression,
                                           Fn.not(Fn.equals(AWS.region, Value<String>("cn-north-1")))))]
        }
        stack.forEach("Topics", "Name", in: .items(["Prod", "Test"])) { loop in
            [("Topic\(loop.key)", ForEachResource(SNS.Topic(), condition: "Regional\(loop.key)"))]
        }
        let synthesis = try Self.synthesis(app)
        #expect(synthesis.diagnostics.errors.isEmpty, "\(synthesis.diagnostics)")
        let body = synthesis.template.root["Conditions"]?["Fn::ForEach::Regional"]?[2]?["Regional${Name}"]
        guard case .fn(.and(let operands))? = body else {
            Issue.record("Regional${Name} is not an Fn::And: \(String(describing: body))")
            return
        }
        #expect(operands.first == .map(["Condition": .fn(.sub("Is${Name}", nil))]), "\(operands)")

        try CfnLintTests().requirePinnedCfnLint()
        let scratch = try ScratchDirectory()
        let path = scratch.path + "/Both-dev.yaml"
        try synthesis.render(.yaml).text.write(toFile: path, atomically: true, encoding: .utf8)
        let result = try run("cfn-lint", ["--format", "parseable", "--", path])
        #expect(result.status == 0, "cfn-lint found problems:\n\(result.output)")
    }

    /// Each mistake is an error naming the loop (or the handle's user), never a silent template.
    @Test func badLoopsAreDiagnosed() throws {
        func errors(_ app: App) throws -> [String] {
            try Self.synthesis(app).diagnostics.errors.map { "\($0.code) \($0.path): \($0.message)" }
        }
        let loop = "Stages-dev/Conditions/Fn::ForEach::Stages"
        // An identifier that is not a name.
        let badIdentifier = try errors(Self.app(identifier: "my-id"))
        #expect(badIdentifier.contains(
            "FM1130 \(loop): the identifier must be a name of ASCII letters and digits, found \"my-id\""), "\(badIdentifier)")
        // An item that makes a condition name no template may hold.
        #expect(try errors(Self.app(items: ["Prod", "Test", "a-b"])) == [
            "FM1003 \(loop): condition name \"Isa-b\" (Is${Name} for \"a-b\") is invalid: it must be ASCII letters and digits; &{Name} keeps only the item's letters and digits",
        ])
        // A copy that collides with a declared condition.
        #expect(try errors(Self.app { stack, stage in
            stack.condition("IsTest", Fn.equals(stage.ref, Value<String>("Test")))
        }) == ["FM1130 \(loop): the loop produces IsTest, which the section already has; each expansion needs its own name"])
        // Two loops of one name in Conditions, and a body that writes one key twice.
        let twice = try errors(Self.app { stack, stage in
            stack.forEachCondition("Stages", "Other", in: .items(["X"])) { loop in [("Not\(loop.key)", Fn.equals(stage.ref, loop.item))] }
            stack.forEachCondition("Pairs", "Pair", in: .items(["X"])) { loop in
                [("Is\(loop.key)Pair", Fn.equals(stage.ref, loop.item)), ("Is\(loop.key)Pair", Fn.equals(stage.ref, Value<String>("Y")))]
            }
        })
        #expect(twice == [
            "FM1130 \(loop): a second loop named Stages in Conditions; each loop needs its own name",
            "FM1130 Stages-dev/Conditions/Fn::ForEach::Pairs: the loop's body writes the key \"Is${Pair}Pair\" twice; each entry of the body needs its own key",
        ], "\(twice)")
        // A key without the identifier would write one condition for every item.
        #expect(try errors(Self.app { stack, stage in
            stack.forEachCondition("Fixed", "Item", in: .items(["A", "B"])) { _ in [("IsFixed", Fn.equals(stage.ref, Value<String>("A")))] }
        }) == ["FM1130 Stages-dev/Conditions/Fn::ForEach::Fixed: the output key \"IsFixed\" has no ${Item} or &{Item}, so every item would write the same key"])
        // A handle for an item the collection does not have names a condition that is not there.
        let missing = try errors(Self.app(handleItem: "Staging"))
        #expect(missing.count == 2 && missing.allSatisfy { $0.hasPrefix("FM1107 ") && $0.contains("IsStaging") }, "\(missing)")
    }
}
