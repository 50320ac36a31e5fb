import Formation
@testable import FormationRegistry
import FormationResources

/// Synthesizes one raw resource of `type` in a stack named like the seed's and returns the
/// diagnostics as printed (`error FM3004 Stack/Id: message (TYPE)`).
func rawDiagnostics(_ type: String, _ properties: OrderedMap, id: String = "Subject") -> [String] {
    let app = App(schemas: .bundled)
    let stack = app.stack("CustomerServiceAgentStack-dev")
    stack.add(id, RawResource(type: type, properties: properties))
    return stack.synthesize().diagnostics.map(\.description)
}

/// The schema messages (without the ` (TYPE)` suffix) for raw properties of a bundled type.
func violations(_ type: String, _ properties: OrderedMap) -> [String] {
    guard let schema = SchemaRegistry.bundled.schema(for: type) else { return ["no schema for \(type)"] }
    return schema.validate(properties).map { "\($0.code) \($0.message)" }
}

/// The messages for a value checked against a hand-written table (node 0 is the properties).
func violations(table: String, _ properties: OrderedMap) -> [String] {
    SchemaRules(typeName: "Test::Rule::Table", table: table).validate(properties).map { "\($0.code) \($0.message)" }
}

/// The package root, from this file's path (Tests/FormationResourcesTests/Support.swift).
func packageRoot(_ file: String = #filePath) -> String {
    var parts = file.split(separator: "/", omittingEmptySubsequences: false)
    parts.removeLast(3)
    return parts.joined(separator: "/")
}

/// A valid AgentCore runtime, as raw properties, to break one rule at a time.
func validRuntime() -> OrderedMap {
    [
        "AgentRuntimeName": "customerServiceAgent_dev",
        "AgentRuntimeArtifact": ["ContainerConfiguration": [
            "ContainerUri": "123456789012.dkr.ecr.us-east-1.amazonaws.com/customerserviceagent/runtime-dev:latest",
        ]],
        "RoleArn": "arn:aws:iam::123456789012:role/customerServiceAgentExecutionRole-dev",
        "NetworkConfiguration": [
            "NetworkMode": "VPC",
            "NetworkModeConfig": ["SecurityGroups": ["sg-0123456789abcdef0"], "Subnets": ["subnet-0123456789abcdef0"]],
        ],
        "ProtocolConfiguration": "HTTP",
        "LifecycleConfiguration": ["IdleRuntimeSessionTimeout": 900, "MaxLifetime": 28800],
        "EnvironmentVariables": ["AWS_REGION_NAME": "us-east-1", "ENVIRONMENT": "dev"],
    ]
}

extension OrderedMap {
    /// A copy with `key` set (or removed with nil).
    func with(_ key: String, _ value: TemplateValue?) -> OrderedMap {
        var copy = self
        copy[key] = value
        return copy
    }
}

/// Every schema of the registry bundle, compiled once per test process (each distinct schema of
/// every region and SAM's).
let allRegistrySchemas: [RegistrySchema] = {
    guard let schemas = try? BundledSchemas.embedded.get() else { return [] }
    return (0..<schemas.bundle.schemaCount).compactMap { try? schemas.schema($0).get() }
}()
