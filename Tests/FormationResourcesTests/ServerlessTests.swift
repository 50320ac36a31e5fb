@testable import Formation
@testable import FormationRegistry
import Foundation
import FormationResources
import TestSupport
import Testing

/// SAM under `Transform: AWS::Serverless-2016-10-31`: its resources against aws-sam-translator's
/// specification, Globals checked and merged as the translator merges them, and references to
/// what SAM generates.
@Suite struct ServerlessTests {
    static let transform = "Transform: AWS::Serverless-2016-10-31\n"

    func validate(_ yaml: String) throws -> [String] {
        let template = try Template(document: YAMLParser.parse(yaml, file: "t.yaml"))
        let context = ValidationContext(stackPath: "t.yaml", schemas: .bundled)
        // The rule pack is not part of TemplateValidator: these are validity findings only.
        return TemplateValidator.validate(template, context).map(\.description)
    }

    /// Realistic SAM templates (hello world, an HTTP API over DynamoDB and SQS, an alias with
    /// CodeDeploy, a layer, a state machine, a connector) that the pinned translator accepts
    /// (`make sam-fixtures-check` translates them): no finding.
    @Test func realisticTemplatesTheTranslatorAcceptsAreClean() throws {
        let directory = packageRoot() + "/Tests/FormationResourcesTests/Fixtures/sam"
        let names = try FileManager.default.contentsOfDirectory(atPath: directory).filter { $0.hasSuffix(".yaml") }.sorted()
        #expect(names == ["alias-layer-state-machine.yaml", "hello-world.yaml", "http-api-crud.yaml"])
        for name in names {
            let text = try String(contentsOfFile: directory + "/" + name, encoding: .utf8)
            #expect(try validate(text) == [], "\(name)")
        }
    }

    /// A SAM template (Globals, IgnoreGlobals, Connectors, references to generated names) reads
    /// and writes back the same in JSON and YAML: YAML → model → JSON → model → YAML is the identity.
    @Test func samTemplatesRoundTripThroughJSONAndYAML() throws {
        let directory = packageRoot() + "/Tests/FormationResourcesTests/Fixtures/sam"
        let resource = """
              Ignoring:
                Type: AWS::Serverless::Function
                IgnoreGlobals: [Environment]
                Connectors:
                  ToQueue: {Properties: {Destination: {Id: Queue}, Permissions: [Write]}}
                Properties: {Events: {}}

            """
        let text = try String(contentsOfFile: directory + "/http-api-crud.yaml", encoding: .utf8)
            .replacingOccurrences(of: "\nOutputs:", with: "\n" + resource + "Outputs:")
        #expect(text.contains("IgnoreGlobals: [Environment]\n"))
        let template = try TemplateDocument.parseTemplate(text, file: "sam.yaml")
        #expect(template.root["Globals"]?.mapValue?.keys == ["Function", "HttpApi"])
        let json = try JSONEmitter.emit(template)
        let fromJSON = try TemplateDocument.parseTemplate(json, file: "sam.json")
        #expect(fromJSON.root == template.root)
        let yaml = try YAMLEmitter.emit(fromJSON)
        #expect(try TemplateDocument.parseTemplate(yaml, file: "again.yaml").root == template.root)
        #expect(try YAMLEmitter.emit(TemplateDocument.parseTemplate(yaml, file: "again.yaml")) == yaml)
        #expect(try validate(yaml) == [])
    }

    @Test func theSAMTypesComeFromThePinnedTranslator() throws {
        #expect(ServerlessSpec.translator == "aws-sam-translator 1.115.0")
        let registry = SchemaRegistry.bundled
        for type in ["AWS::Serverless::Function", "AWS::Serverless::Api", "AWS::Serverless::HttpApi", "AWS::Serverless::SimpleTable",
                     "AWS::Serverless::StateMachine", "AWS::Serverless::LayerVersion", "AWS::Serverless::Application",
                     "AWS::Serverless::Connector", "AWS::Serverless::CapacityProvider"] {
            #expect(registry.lookup(type).isServerless, "\(type)")
        }
        // The Globals sections SAM's translator accepts, Function's first.
        #expect(ServerlessSpec.globals.map(\.name).prefix(3) == ["Function", "Api", "HttpApi"])
        #expect(ServerlessGlobals.sectionsByName["Function"]?.properties.contains("Runtime") == true)
        // Role, Policies, FunctionName and Events are per function only.
        #expect(ServerlessGlobals.sectionsByName["Function"]?.properties.contains("FunctionName") == false)
    }

    @Test func aValidSAMTemplateHasNoFinding() throws {
        #expect(try validate(Self.transform + """
            Globals:
              Function: {Runtime: python3.13, Handler: app.handler, Timeout: 30, Environment: {Variables: {STAGE: prod}}}
              Api: {Cors: "'*'"}
            Resources:
              Fn:
                Type: AWS::Serverless::Function
                Properties:
                  CodeUri: s3://bucket/code.zip
                  Environment: {Variables: {TABLE: !Ref Table}}
                  Policies: [AWSLambdaBasicExecutionRole, {DynamoDBCrudPolicy: {TableName: !Ref Table}}]
                  Events:
                    Get: {Type: Api, Properties: {Path: /items, Method: get, RestApiId: !Ref Api}}
              Api:
                Type: AWS::Serverless::Api
                Properties: {StageName: prod, EndpointConfiguration: REGIONAL}
              Table:
                Type: AWS::Serverless::SimpleTable
                Properties: {PrimaryKey: {Name: id, Type: String}}
            """) == [])
    }

    @Test func invalidSAMPropertiesAreFound() throws {
        #expect(try validate(Self.transform + """
            Resources:
              Fn:
                Type: AWS::Serverless::Function
                Properties: {CodeUri: s3://b/k, Handler: app.handler, Runtime: python3.13, MemorySise: 256, Timeout: soon, Tracing: Sometimes}
              Api:
                Type: AWS::Serverless::Api
                Properties: {Cors: "'*'"}
              Layer:
                Type: AWS::Serverless::LayerVersion
                Properties: {LayerName: shared}
            """) == [
            "error FM3002 t.yaml/Fn: Timeout \"soon\" is not an integer (AWS::Serverless::Function)",
            "error FM3010 t.yaml/Fn: Tracing matches none of the 2 allowed forms; closest form: Tracing \"Sometimes\" is not one of Active, PassThrough, Disabled (AWS::Serverless::Function)",
            "error FM3009 t.yaml/Fn: MemorySise is not a known property; did you mean MemorySize? (AWS::Serverless::Function)",
            "error FM3001 t.yaml/Api: StageName is required (AWS::Serverless::Api)",
            "error FM3001 t.yaml/Layer: ContentUri is required (AWS::Serverless::LayerVersion)",
        ])
    }

    /// CapacityProvider requires VpcConfig, and Globals.CapacityProvider may give it.
    static let provider = """
          Provider:
            Type: AWS::Serverless::CapacityProvider
            Properties: {CapacityProviderName: p1}
        """

    @Test func aRequiredPropertyFromGlobalsIsNotMissing() throws {
        #expect(try validate(Self.transform + "Resources:\n" + Self.provider) == [
            "error FM3001 t.yaml/Provider: VpcConfig is required (AWS::Serverless::CapacityProvider)",
        ])
        let globals = "Globals:\n  CapacityProvider: {VpcConfig: {SubnetIds: [subnet-1]}}\n"
        #expect(try validate(Self.transform + globals + "Resources:\n" + Self.provider) == [])
        // IgnoreGlobals "*" (or naming the property) takes it away again.
        #expect(try validate(Self.transform + globals + "Resources:\n" + Self.provider + "\n    IgnoreGlobals: '*'") == [
            "error FM3001 t.yaml/Provider: VpcConfig is required (AWS::Serverless::CapacityProvider)",
        ])
        #expect(try validate(Self.transform + globals + "Resources:\n" + Self.provider + "\n    IgnoreGlobals: [VpcConfig]") == [
            "error FM3001 t.yaml/Provider: VpcConfig is required (AWS::Serverless::CapacityProvider)",
        ])
        // A global map merges into the resource's: SubnetIds (required in VpcConfig) comes from Globals.
        #expect(try validate(Self.transform + globals + """
            Resources:
              Provider:
                Type: AWS::Serverless::CapacityProvider
                Properties: {VpcConfig: {SecurityGroupIds: [sg-1]}}
            """) == [])
    }

    @Test func invalidGlobalsAreReportedAtGlobalsOnce() throws {
        #expect(try validate(Self.transform + """
            Globals:
              Funtion: {Runtime: python3.13}
              Function: {Timeout: soon, FunctionName: shared, Runtime: python3.13, Handlr: app.handler}
              Api: [Cors]
            Resources:
              Fn:
                Type: AWS::Serverless::Function
                Properties: {CodeUri: s3://b/k, Handler: app.handler}
              Other:
                Type: AWS::Serverless::Function
                Properties: {CodeUri: s3://b/k, Handler: app.handler}
            """) == [
            "error FM1132 t.yaml/Globals/: Globals: \"Funtion\" is not a section SAM accepts (Api, CapacityProvider, Function, HttpApi, LayerVersion, MicrovmImage, NetworkConnector, SimpleTable, StateMachine, WebSocketApi); did you mean Function?",
            "error FM1132 t.yaml/Globals/Function: Globals.Function: \"FunctionName\" is not a property SAM accepts in Globals for AWS::Serverless::Function (it accepts \(ServerlessGlobals.sectionsByName["Function"]!.properties.joined(separator: ", "))); set it on each resource",
            "error FM1132 t.yaml/Globals/Function: Globals.Function: \"Handlr\" is not a property SAM accepts in Globals for AWS::Serverless::Function (it accepts \(ServerlessGlobals.sectionsByName["Function"]!.properties.joined(separator: ", "))); did you mean Handler?",
            "error FM3002 t.yaml/Globals/Function: Globals.Function: Timeout \"soon\" is not an integer (AWS::Serverless::Function)",
            "error FM1132 t.yaml/Globals/: Globals: section Api must be a map of properties, found list",
        ])
        #expect(try validate(Self.transform + "Globals: [Function]\nResources: {T: {Type: AWS::Serverless::SimpleTable}}") == [
            "error FM1132 t.yaml/Globals/: Globals must be a map of sections (Api, CapacityProvider, Function, HttpApi, LayerVersion, MicrovmImage, NetworkConnector, SimpleTable, StateMachine, WebSocketApi), found list",
        ])
        // Globals without the transform is not a section CloudFormation knows.
        #expect(try validate("Globals: {Function: {Timeout: 3}}\nResources: {Q: {Type: AWS::SQS::Queue}}").contains { $0.contains("Globals") })
    }

    @Test func ignoreGlobalsNamesGlobalProperties() throws {
        #expect(try validate(Self.transform + """
            Globals:
              Function: {Timeout: 30, Runtime: python3.13}
            Resources:
              A:
                Type: AWS::Serverless::Function
                IgnoreGlobals: [Timeot, Runtime]
                Properties: {CodeUri: s3://b/k, Handler: app.handler, Runtime: python3.12}
              B:
                Type: AWS::Serverless::Function
                IgnoreGlobals: {Timeout: true}
                Properties: {CodeUri: s3://b/k, Handler: app.handler}
              C:
                Type: AWS::Serverless::SimpleTable
                IgnoreGlobals: [Anything]
            """) == [
            "error FM1132 t.yaml/A: IgnoreGlobals: \"Timeot\" is not a property of Globals.Function; did you mean Timeout?",
            "error FM1132 t.yaml/B: IgnoreGlobals must be \"*\" or a list of property names of Globals, found map",
        ])
    }

    @Test func globalsMergeAsSAMMergesThem() {
        let globals: OrderedMap = [
            "Timeout": 30, "Layers": .list(["arn:one"]), "Architectures": .list(["x86_64"]),
            "Environment": .map(["Variables": .map(["A": "global", "B": "global"])]),
            "Runtime": "python3.12", "Tracing": "Active",
        ]
        let local: OrderedMap = [
            "Timeout": 60, "Layers": .list(["arn:two"]), "Architectures": .list(["arm64"]),
            "Environment": .map(["Variables": .map(["B": "local", "C": "local"])]),
            "Runtime": .fn(.ref("RuntimeParameter")),
        ]
        let rules = ServerlessGlobals.sectionsByName["Function"]!.rules
        #expect(rules["Architectures"] == .replace)
        let merged = ServerlessGlobals.merge(globals, into: local, rules: rules)
        #expect(merged["Timeout"] == 60)                                    // the resource's scalar wins
        #expect(merged["Layers"] == .list(["arn:one", "arn:two"]))          // lists concatenate, Globals first
        #expect(merged["Architectures"] == .list(["arm64"]))                // SAM's rule: replace
        #expect(merged["Environment"] == .map(["Variables": .map(["A": "global", "B": "local", "C": "local"])]))
        #expect(merged["Runtime"] == .fn(.ref("RuntimeParameter")))         // an intrinsic is a scalar
        #expect(merged["Tracing"] == "Active")                              // only in Globals: added
    }

    @Test func referencesToWhatSAMGeneratesResolve() throws {
        #expect(try validate(Self.transform + """
            Resources:
              Fn:
                Type: AWS::Serverless::Function
                Properties:
                  CodeUri: s3://b/k
                  Handler: app.handler
                  Runtime: python3.13
                  AutoPublishAlias: live
                  Events: {Get: {Type: Api, Properties: {Path: /, Method: get}}}
              Api:
                Type: AWS::Serverless::Api
                Properties: {StageName: prod}
              Topic:
                Type: AWS::SNS::Topic
                DependsOn: [FnRole, ServerlessRestApi]
                Properties:
                  Subscription: [{Protocol: lambda, Endpoint: !GetAtt Fn.Arn}]
                  DisplayName: !GetAtt FnRole.Arn
                  TopicName: !GetAtt Fn.Version.Version
            Outputs:
              Url: {Value: !Sub "https://${ServerlessRestApi}.execute-api.${AWS::Region}.amazonaws.com/Prod/"}
              Root: {Value: !GetAtt Api.RootResourceId}
              Stage: {Value: !Ref Api.Stage}
              Alias: {Value: !Ref Fn.Alias}
              Role: {Value: !Sub "${FnRole.Arn}"}
            """) == [])
    }

    @Test func aResourceNamedLikeTheRoleSAMGeneratesCollides() throws {
        let template = Self.transform + """
            Resources:
              Fn:
                Type: AWS::Serverless::Function
                Properties: {CodeUri: s3://b/k, Handler: app.handler, Runtime: python3.13}
              FnRole:
                Type: AWS::SNS::Topic
            """
        #expect(try validate(template) == [
            "error FM1004 t.yaml/FnRole: FnRole (AWS::SNS::Topic) has the logical ID of the AWS::IAM::Role SAM generates for Fn (AWS::Serverless::Function without Role); SAM's transform refuses the template: rename FnRole, or give Fn a Role",
        ])
        // With a Role of its own, SAM generates none.
        #expect(try validate(template.replacingOccurrences(of: "python3.13}", with: "python3.13, Role: !GetAtt FnRole.TopicArn}")) == [])
    }

    @Test func aFunctionFollowsTheTranslatorsPackageTypeRules() throws {
        #expect(try validate(Self.transform + """
            Globals:
              Function: {Runtime: python3.13}
            Resources:
              Zip:
                Type: AWS::Serverless::Function
                Properties: {CodeUri: s3://b/k}
              ZipWithImage:
                Type: AWS::Serverless::Function
                Properties: {PackageType: Zip, CodeUri: s3://b/k, Handler: app.handler, ImageUri: repo/image:1}
              ZipFromGlobals:
                Type: AWS::Serverless::Function
                Properties: {CodeUri: s3://b/k, Handler: app.handler}
              Image:
                Type: AWS::Serverless::Function
                IgnoreGlobals: '*'
                Properties: {PackageType: Image, Handler: app.handler}
              Built:
                Type: AWS::Serverless::Function
                IgnoreGlobals: [Runtime]
                Properties: {PackageType: Image}
                Metadata: {DockerContext: ./app, Dockerfile: Dockerfile}
              ByImageUri:
                Type: AWS::Serverless::Function
                IgnoreGlobals: '*'
                Properties: {ImageUri: repo/image:1}
            """) == [
            "error FM3001 t.yaml/Zip: Handler is required for a function whose PackageType is Zip (the default); SAM's translator refuses it without (AWS::Serverless::Function)",
            "error FM3011 t.yaml/ZipWithImage: ImageUri cannot be set when PackageType is Zip; SAM's translator refuses it (AWS::Serverless::Function)",
            "error FM3011 t.yaml/Image: Handler cannot be set when PackageType is Image; SAM's translator refuses it (AWS::Serverless::Function)",
            "error FM3001 t.yaml/Image: ImageUri is required when PackageType is Image (or Metadata.DockerContext, for sam build to fill it in); SAM's translator refuses it without (AWS::Serverless::Function)",
        ])
    }

    @Test func anAliasNameIsKnownWhenSAMTranslates() throws {
        #expect(try validate(Self.transform + """
            Parameters:
              Stage: {Type: String}
            Globals:
              Function: {CodeUri: s3://b/k, Handler: app.handler, Runtime: python3.13}
            Resources:
              Literal: {Type: AWS::Serverless::Function, Properties: {AutoPublishAlias: live}}
              FromParameter: {Type: AWS::Serverless::Function, Properties: {AutoPublishAlias: !Ref Stage}}
              FromResource: {Type: AWS::Serverless::Function, Properties: {AutoPublishAlias: !GetAtt Literal.Arn}}
              NotAName: {Type: AWS::Serverless::Function, Properties: {AutoPublishAlias: {Ref: Stage, Extra: Bad}}}
            """) == [
            "error FM3002 t.yaml/FromResource: AutoPublishAlias: Fn::GetAtt is known only at deploy time; SAM names the alias when it translates, from a string or a Ref to a template parameter (AWS::Serverless::Function)",
            "error FM3002 t.yaml/NotAName: AutoPublishAlias is an object, not a string (AWS::Serverless::Function)",
        ])
    }

    @Test func referencesSAMDoesNotGenerateAreStillErrors() throws {
        #expect(try validate(Self.transform + """
            Resources:
              Fn:
                Type: AWS::Serverless::Function
                Properties: {CodeUri: s3://b/k, Handler: app.handler, Runtime: python3.13}
            Outputs:
              A: {Value: !Ref Missing}
              B: {Value: !GetAtt Fn.Nope}
              C: {Value: !Ref Fn.Nope}
            """) == [
            "error FM1101 t.yaml/Outputs/A: Value: Ref to Missing, which is not a resource, parameter or pseudo parameter of this template",
            "error FM1103 t.yaml/Outputs/B: Value: Fn::GetAtt Fn.Nope: AWS::Serverless::Function has no attribute Nope (it has Arn, SnapStartResponse, SnapStartResponse.ApplyOn, SnapStartResponse.OptimizationStatus)",
            "error FM1101 t.yaml/Outputs/C: Value: Ref to Fn.Nope, which is not a resource, parameter or pseudo parameter of this template",
        ])
        // Without the transform SAM generates nothing.
        #expect(try validate("Resources: {Q: {Type: AWS::SQS::Queue}}\nOutputs: {A: {Value: !Ref ServerlessRestApi}}") == [
            "error FM1101 t.yaml/Outputs/A: Value: Ref to ServerlessRestApi, which is not a resource, parameter or pseudo parameter of this template",
        ])
    }
}
