@testable import Formation
import FormationTemplate
import Testing

/// Templates written for `aws cloudformation package`: local paths validated as package leaves
/// them, with one line saying the template needs packaging.
@Suite struct PackagingTests {
    func messages(_ yaml: String) throws -> [String] {
        let template = try Template(document: try YAMLParser.parse(yaml))
        return TemplateValidator.validate(template, ValidationContext(stackPath: "t.yaml", schemas: .bundled)).map(\.description)
    }

    @Test func localPathsAreValidatedAsPackageLeavesThem() throws {
        #expect(try messages("""
            Resources:
              Role: {Type: AWS::IAM::Role, Properties: {AssumeRolePolicyDocument: {Version: "2012-10-17", Statement: []}}}
              Fn:
                Type: AWS::Lambda::Function
                Properties: {Code: ./src, Handler: index.handler, Runtime: python3.12, Role: !GetAtt Role.Arn}
              Child:
                Type: AWS::CloudFormation::Stack
                Properties: {TemplateURL: child/template.yaml}
              Job:
                Type: AWS::Glue::Job
                Properties: {Role: r, Command: {Name: glueetl, ScriptLocation: scripts/job.py}}
            """) == [
            "warning FM1118 t.yaml: the template needs packaging: 3 local paths (Code of Fn, TemplateURL of Child, Command.ScriptLocation of Job) stand where aws cloudformation package writes S3 locations; validated as package leaves them. Run aws cloudformation package (or sam package) before deploying",
        ])
    }

    @Test func s3LocationsAndIntrinsicsAreLeftAlone() throws {
        #expect(try messages("""
            Parameters: {Url: {Type: String}}
            Resources:
              Child: {Type: AWS::CloudFormation::Stack, Properties: {TemplateURL: "https://s3.amazonaws.com/b/child.yaml"}}
              Other: {Type: AWS::CloudFormation::Stack, Properties: {TemplateURL: !Ref Url}}
            """) == [])
        // A Lambda Code that is neither an object nor a local path is still wrong: a number.
        let wrong = try messages("""
            Resources:
              Fn: {Type: AWS::Lambda::Function, Properties: {Code: 42, Role: arn:aws:iam::123456789012:role/r}}
            """)
        #expect(wrong.contains { $0.hasPrefix("error FM3002 t.yaml/Fn: Code ") }, "\(wrong)")
        #expect(!wrong.contains { $0.contains("FM1118") })
    }

    @Test func whatPackageWritesFollowsAwscliTable() {
        let properties: OrderedMap = ["Code": "build/fn.zip", "Handler": "h"]
        let (packaged, paths) = Packaging.packaged(properties, type: "AWS::Lambda::Function")
        #expect(paths == ["Code"])
        #expect(packaged["Code"] == ["S3Bucket": "formation-package-bucket", "S3Key": "formation-package-key"])
        #expect(packaged["Handler"] == "h")
        let repository: OrderedMap = ["RepositoryName": "r", "Code": ["S3": "./repo"]]
        #expect(Packaging.packaged(repository, type: "AWS::CodeCommit::Repository").properties["Code"]?["S3"]
                == ["Bucket": "formation-package-bucket", "Key": "formation-package-key"])
        #expect(Packaging.packaged(["CodeUri": "s3://b/k"], type: "AWS::Serverless::Function").localPaths == [])
        #expect(Packaging.packaged(["CodeUri": "./src"], type: "AWS::Serverless::Function").properties["CodeUri"]
                == "s3://formation-package-bucket/formation-package-key")
        #expect(Packaging.packaged(["Code": "./src"], type: "AWS::SQS::Queue").localPaths == [])
    }
}
