import Foundation
import Testing

/// `formation validate --template` with the whole registry: regions, declared types, schema
/// files, and a damaged registry bundle.
@Suite struct RegistryCLITests {
    static let memory = """
        Resources:
          Memory:
            Type: AWS::BedrockAgentCore::Memory
            Properties: {Name: mem_dev, EventExpiryDuration: 30}
        """

    @Test func regionsDecideWhichTypesExist() throws {
        let dir = try TemporaryDirectory()
        try dir.write("memory.yaml", Self.memory)
        let file = dir.path + "/memory.yaml"
        let east = try CLI.run(CLI.formation, ["validate", "--template", file])
        #expect(east.status == 0, "\(east)")
        let west = try CLI.run(CLI.formation, ["validate", "--template", file, "--region", "us-east-1", "--region", "us-west-1"])
        #expect(west.status == 1)
        #expect(west.stderr.contains("\(file):3:5: error FM3015 Memory: type AWS::BedrockAgentCore::Memory does not exist in us-west-1; it exists in "), "\(west)")
        let typo = try CLI.run(CLI.formation, ["validate", "--template", file, "--region", "us-wset-2"])
        #expect(typo.status == 2)
        #expect(typo.stderr.contains("error: --region us-wset-2 is not a region the registry knows; did you mean us-west-2?"), "\(typo)")
        let stacks = try CLI.run(CLI.formation, ["validate", "--region", "us-west-1"])
        #expect(stacks.status == 2)
        #expect(stacks.stderr.contains("--region, --declare-type and --type-schema apply to --template files"), "\(stacks)")
        let help = try CLI.run(CLI.formation, ["validate", "--help"])
        #expect(help.stdout.contains("With no region") && help.stdout.contains("us-east-1"), "\(help)")
    }

    @Test func thirdPartyTypesAreDeclaredOrDescribed() throws {
        let dir = try TemporaryDirectory()
        try dir.write("thing.yaml", "Resources:\n  Thing: {Type: 'MyOrg::Queue::Thing', Properties: {Name: Jobs}}\n")
        try dir.write("schema.json", #"{"typeName": "MyOrg::Queue::Thing", "additionalProperties": false, "properties": {"Name": {"type": "string", "pattern": "^[a-z]+$"}}}"#)
        let file = dir.path + "/thing.yaml"
        let undeclared = try CLI.run(CLI.formation, ["validate", "--template", file])
        #expect(undeclared.status == 1)
        #expect(undeclared.stderr.contains("\(file):2:11: error FM3000 Thing: type MyOrg::Queue::Thing is not in the CloudFormation registry"), "\(undeclared)")
        let declared = try CLI.run(CLI.formation, ["validate", "--template", file, "--declare-type", "MyOrg::Queue::Thing"])
        #expect(declared.status == 0, "\(declared)")
        let described = try CLI.run(CLI.formation, ["validate", "--template", file, "--type-schema", dir.path + "/schema.json"])
        #expect(described.status == 1)
        #expect(described.stderr.contains(#"\#(file):2:53: error FM3004 Thing: Name "Jobs" does not match ^[a-z]+$ (MyOrg::Queue::Thing)"#), "\(described)")
        let missing = try CLI.run(CLI.formation, ["validate", "--template", file, "--type-schema", dir.path + "/nope.json"])
        #expect(missing.status == 2)
        #expect(missing.stderr.contains("nope.json: cannot read"), "\(missing)")
    }

    @Test func aDamagedRegistryIsOneErrorNamingTheFile() throws {
        let dir = try TemporaryDirectory()
        try dir.write("registry.bin", "not a registry bundle at all, but long enough for a header")
        try dir.write("memory.yaml", Self.memory)
        for arguments in [["validate", "--template", dir.path + "/memory.yaml"], ["synth"], ["validate"]] {
            let result = try CLI.run(CLI.formation, arguments, environment: ["FORMATION_REGISTRY": dir.path + "/registry.bin"])
            #expect(result.status == 1)
            #expect(result.stderr == "error: cannot read the CloudFormation registry: \(dir.path)/registry.bin: the registry bundle is damaged: it does not start with the bundle signature FMREG002; rebuild it with `make schemas`\n", "\(result)")
            #expect(result.stdout.isEmpty)
        }
    }
}
