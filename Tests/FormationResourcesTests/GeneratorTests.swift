import Testing
import FormationTemplate
@testable import FormationCodegen

/// The code generator: deterministic, current, and careful with names.
@Suite struct GeneratorTests {
    let root = packageRoot()

    @Test func generatingTwiceGivesTheSameBytes() throws {
        let first = try Generator(root: root).generate()
        let second = try Generator(root: root).generate()
        #expect(first.map(\.fileName) == second.map(\.fileName))
        #expect(first.map(\.contents) == second.map(\.contents))
        #expect(first.map(\.fileName) == first.map(\.fileName).sorted())
        #expect(first.count == 28)
    }

    /// The committed code is what the generator writes now (`make codegen-check` checks the same
    /// from the command line, through a temporary directory).
    @Test func committedGeneratedCodeIsCurrent() throws {
        let directory = root + "/Sources/FormationResources/Generated"
        let files = try Generator(root: root).generate()
        var stale: [String] = []
        for file in files where (try? FileSystem.read(directory + "/" + file.fileName)) != file.contents {
            stale.append(file.fileName)
        }
        #expect(stale == [], "run `make codegen` and commit the result")
        let committed = try FileSystem.list(directory).filter { $0.hasSuffix(".swift") }
        #expect(committed == files.map(\.fileName))
    }

    @Test func generatedFilesHaveNoHostDetails() throws {
        for file in try Generator(root: root).generate() {
            #expect(!file.contents.contains(root), "\(file.fileName) mentions the checkout path")
            #expect(!file.contents.contains("\r"), "\(file.fileName) has CR line endings")
            #expect(file.contents.hasSuffix("}\n"), "\(file.fileName) must end with one newline")
        }
    }

    @Test func memberNames() {
        let cases: [(String, String)] = [
            ("AgentRuntimeName", "agentRuntimeName"), ("KmsKeyId", "kmsKeyId"), ("VpcEndpointType", "vpcEndpointType"),
            ("SSEEnabled", "sseEnabled"), ("VPCId", "vpcId"), ("ARN", "arn"), ("S3Bucket", "s3Bucket"),
            ("KMSMasterKeyID", "kmsMasterKeyID"), ("CustomJWTAuthorizer", "customJwtAuthorizer"),
            ("CidrIpv6", "cidrIpv6"), ("Protocol", "`protocol`"), ("Default", "`default`"), ("Type", "type"),
        ]
        for (schema, swift) in cases {
            #expect(Naming.memberName(schema) == swift, "\(schema)")
        }
    }

    @Test func enumCaseNames() {
        let cases: [(String, String)] = [
            ("HTTP", "http"), ("GreaterThanThreshold", "greaterThanThreshold"), ("notBreaching", "notBreaching"),
            ("PYTHON_3_12", "python3_12"), ("PROMPT_ATTACK", "promptAttack"), ("aws:kms", "awsKms"),
            ("t3.micro", "t3Micro"), ("A2A", "a2a"), ("PUBLIC", "`public`"), ("3653", "_3653"), ("", "empty"),
        ]
        for (raw, swift) in cases {
            #expect(Naming.caseName(raw) == swift, "\(raw)")
        }
    }

    @Test func malformedTypeListIsAnError() throws {
        let scratch = "/tmp/formation-codegen-test-\(UInt32.random(in: 0...UInt32.max))"
        try FileSystem.makeDirectory(scratch + "/data/schemas/resources")
        try FileSystem.write("AWS::KMS::Key\n", to: scratch + "/data/schemas/types.txt")
        #expect(throws: GeneratorError.self) { try Generator(root: scratch).generate() }
        try FileSystem.write("AWS::KMS::Key 0000000000000000\n", to: scratch + "/data/schemas/types.txt")
        #expect(throws: GeneratorError.self) { try Generator(root: scratch).generate() }
        try FileSystem.write("{\"typeName\": \"AWS::KMS::Key\", \"properties\": {\"A\": {\"$ref\": \"#/definitions/Missing\"}}}",
                             to: scratch + "/data/schemas/resources/0000000000000000.json")
        #expect(throws: GeneratorError.self) { try Generator(root: scratch).generate() }
        try FileSystem.write("{\"typeName\": \"AWS::KMS::Key\", \"properties\": {\"A\": {\"type\": \"string\"}}}",
                             to: scratch + "/data/schemas/resources/0000000000000000.json")
        #expect(try Generator(root: scratch).generate().count == 3)
        for name in ["data/schemas/resources/0000000000000000.json", "data/schemas/types.txt"] {
            try FileSystem.remove(scratch + "/" + name)
        }
        for directory in ["data/schemas/resources", "data/schemas", "data", ""] {
            try FileSystem.removeDirectory(scratch + "/" + directory)
        }
    }

    /// The validation table keeps rules and drops annotations; `$ref`s become node indices.
    @Test func tableCompilation() throws {
        let text = #"""
        {"typeName": "AWS::Test::Thing", "description": "dropped",
         "definitions": {"Name": {"type": "string", "pattern": "[a-z]+", "description": "dropped"}},
         "properties": {"Name": {"$ref": "#/definitions/Name"},
                        "Key": {"type": "string", "anyOf": [{"format": "AWS::KMS::Key.Arn"}, {"format": "AWS::KMS::Key.Id"}]},
                        "Other": {"$ref": "#/definitions/Name", "maxLength": 3}},
         "required": ["Name"], "additionalProperties": false, "readOnlyProperties": ["/properties/Key"]}
        """#
        let document = try SchemaDocument(typeName: "AWS::Test::Thing", fileName: "thing.json", text: text)
        var compiler = TableCompiler(document: document)
        let table = try JSONEmitter.emitCompact(try compiler.compile())
        #expect(table == #"{"readOnly":["/properties/Key"],"nodes":[{"properties":[["Name",1],["Key",2],["Other",3]],"required":["Name"],"additionalProperties":false},{"type":["string"],"pattern":"[a-z]+"},{"type":["string"]},{"maxLength":3,"allOf":[1]}]}"#)
    }
}
