import Testing
import Formation
import FormationCodegen
import FormationResources

/// Whole templates read from disk, validated with the bundled schemas: a template cfn-lint
/// passes has no schema errors here (no false positives), and breaking it is caught.
@Suite struct TemplateFileTests {
    func fixture() throws -> Template {
        let path = packageRoot() + "/Tests/FormationResourcesTests/Fixtures/all-types.yaml"
        return try Template(document: YAMLParser.parse(try TextFile.read(path), file: "all-types.yaml"))
    }

    func diagnostics(_ template: Template) -> [String] {
        TemplateValidator.validate(template, ValidationContext(stackPath: "all-types.yaml", schemas: .bundled))
            .map(\.description)
    }

    @Test func everyBundledTypeValidatesCleanly() throws {
        let template = try fixture()
        let types = Set(template.resourceViews.compactMap { $0.body["Type"]?.stringValue })
        #expect(types.isSuperset(of: BuiltInTypes.names))
        #expect(diagnostics(template) == [
            "warning FM3000 all-types.yaml/InvocationLogging: type AWS::Bedrock::ModelInvocationLoggingConfiguration: CloudFormation deploys it, but it is not in the CloudFormation registry schemas Formation bundles; its properties are not validated",
        ])
    }

    @Test func breakingTheTemplateIsCaught() throws {
        var template = try fixture()
        var resources = template.resources
        var runtime = resources["Runtime"]?.mapValue ?? [:]
        var properties = runtime["Properties"]?.mapValue ?? [:]
        properties["AgentRuntimeName"] = "customer-service-agent-dev"
        runtime["Properties"] = .map(properties)
        resources["Runtime"] = .map(runtime)
        template.root["Resources"] = .map(resources)
        #expect(diagnostics(template).contains(
            "error FM3004 all-types.yaml/Runtime: AgentRuntimeName \"customer-service-agent-dev\" does not match ^[a-zA-Z][a-zA-Z0-9_]{0,47}$ (AWS::BedrockAgentCore::Runtime)"))
    }
}
