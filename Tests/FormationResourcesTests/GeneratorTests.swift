import Testing
import FormationTemplate
import Formation
@testable import FormationRegistry
@testable import FormationCodegen

/// The code generator: deterministic, current, and careful with names.
@Suite struct GeneratorTests {
    let root = packageRoot()

    @Test func generatingTwiceGivesTheSameBytes() throws {
        let first = try Generator().builtIn()
        let second = try Generator().builtIn()
        #expect(first.map(\.fileName) == second.map(\.fileName))
        #expect(first.map(\.contents) == second.map(\.contents))
        #expect(first.map(\.fileName) == first.map(\.fileName).sorted())
        #expect(first.count == 28)
    }

    /// The committed code is what the generator writes now (`make codegen-check` checks the same
    /// from the command line, through a temporary directory).
    @Test func committedGeneratedCodeIsCurrent() throws {
        let directory = root + "/Sources/FormationResources/Generated"
        let files = try Generator().builtIn()
        var stale: [String] = []
        for file in files where (try? TextFile.read(directory + "/" + file.fileName)) != file.contents {
            stale.append(file.fileName)
        }
        #expect(stale == [], "run `make codegen` and commit the result")
        let committed = try FileSystem.list(directory).filter { $0.hasSuffix(".swift") }
        #expect(committed == files.map(\.fileName))
    }

    @Test func generatedFilesHaveNoHostDetails() throws {
        for file in try Generator().builtIn() {
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

    /// A user's list: unknown names are errors with the closest real type, a service wildcard
    /// expands to its types, built-in types are left to FormationResources, one file per line.
    @Test func userTypeLists() throws {
        let generator = try Generator()
        #expect(throws: GeneratorError.self) { try generator.types(["AWS::S3::Buckett"]) }
        do {
            _ = try generator.types(["AWS::SQS::Queu"])
            Issue.record("an unknown type must be an error")
        } catch {
            #expect(error.message == "AWS::SQS::Queu is not a CloudFormation registry type; did you mean AWS::SQS::Queue?")
        }
        #expect(throws: GeneratorError.self) { try generator.types(["AWS::NoSuchService::*"]) }
        #expect(throws: GeneratorError.self) { try generator.types(["AWS::SQS::Queue", "AWS::SQS::Queue"]) }
        let files = try generator.types(["AWS::SQS::Queue", "AWS::KMS::Key", "AWS::SES::*"])
        #expect(files.map(\.fileName) == ["SQS_Queue.swift", "KMS_Key.swift", "SES.swift"])
        #expect(files[0].contents.contains("extension SQS {\n    /// The properties of an `AWS::SQS::Queue` resource."))
        #expect(files[0].contents.contains("import FormationResources"))
        #expect(files[1].contents.contains("// AWS::KMS::Key is not generated here: FormationResources has it."))
        #expect(!files[1].contents.contains("struct Key"))
        let sesTypes = SchemaRegistry.bundled.typeNames.filter { $0.hasPrefix("AWS::SES::") }
        #expect(sesTypes.count > 5)
        for type in sesTypes {
            let name = String(type.split(separator: ":").last ?? "")
            #expect(files[2].contents.contains("    public struct \(name): ResourceProperties {"), "\(type)")
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
