import Foundation
import Formation
import Testing

/// `formation validate`, for stacks and for template files.
@Suite struct ValidateTests {
    @Test func stacksPassOrFailWithDiagnostics() throws {
        let good = try CLI.app("validate", "Good-test")
        #expect(good.status == 0, "\(good)")
        #expect(good.stdout.isEmpty)
        #expect(good.stderr == "validated 1 stack: 0 errors, 0 warnings\n")

        let broken = try CLI.app("validate", "Broken-test")
        #expect(broken.status == 1)
        #expect(broken.stdout.isEmpty)
        #expect(broken.stderr.contains("error FM1101 Broken-test/Logs: KmsKeyId: Ref to MissingKey"), "\(broken)")
        #expect(broken.stderr.contains("Broken-test failed validation: 1 error, 0 warnings"))

        let all = try CLI.app("validate")
        #expect(all.status == 1)
        #expect(all.stderr.contains("FM1101") && all.stderr.contains("FM3000") && all.stderr.contains("FM2004"))

        let warn = try CLI.app("validate", "Warn-test")
        #expect(warn.status == 0)
        let strict = try CLI.app("validate", "Warn-test", "--strict")
        #expect(strict.status == 1)
        #expect(strict.stderr.contains("(warnings fail with --strict)"))
    }

    @Test func templateFilesAreParsedAndValidated() throws {
        let dir = try TemporaryDirectory()
        for format in ["json", "yaml"] {
            let synth = try CLI.app("synth", "Good-test", "--format", format, "--out", dir.path)
            #expect(synth.status == 0)
            let file = dir.path + "/Good-test.template.\(format)"
            let result = try CLI.app("validate", "--template", file)
            #expect(result.status == 0, "\(result)")
            #expect(result.stdout.isEmpty)
            #expect(result.stderr == "validated 1 template: 0 errors, 0 warnings\n")
        }
        let both = try CLI.app("validate", "--template", dir.path + "/Good-test.template.json", dir.path + "/Good-test.template.yaml")
        #expect(both.status == 0)
        #expect(both.stderr.contains("validated 2 templates"))
    }

    /// From cfn-lint 1.58.0's test/fixtures/templates/integration/yaml-alias.yaml: CloudFormation
    /// refuses YAML aliases ("YAML aliases are not allowed in CloudFormation templates"), which
    /// Formation expanded without a word, then warned about: an error at the alias now.
    @Test func yamlAliasesAreAnError() throws {
        let dir = try TemporaryDirectory()
        try dir.write("alias.yaml", """
            Resources:
              First:
                Type: AWS::Logs::LogGroup
                Properties:
                  Tags: &tags
                    - {Key: team, Value: core}
              Second:
                Type: AWS::Logs::LogGroup
                Properties:
                  Tags: *tags
            """)
        let file = dir.path + "/alias.yaml"
        let result = try CLI.app("validate", "--template", file)
        #expect(result.status == 1, "\(result)")
        #expect(result.stderr.hasPrefix("\(file):10:13: error: YAML aliases are not allowed in CloudFormation templates (*tags); formation convert or aws cloudformation package expands them\n"), "\(result)")
    }

    @Test func templateErrorsNameTheFileAndTheResource() throws {
        let dir = try TemporaryDirectory()
        try dir.write("dangling.yaml", """
            Resources:
              Group:
                Type: AWS::Logs::LogGroup
                Properties:
                  KmsKeyId: !GetAtt NoSuchKey.Arn
            """)
        let file = dir.path + "/dangling.yaml"
        let result = try CLI.app("validate", "--template", file)
        #expect(result.status == 1)
        #expect(result.stdout.isEmpty)
        #expect(result.stderr.contains("\(file):5:7: error FM1102 Group: KmsKeyId: "), "\(result)")
        #expect(result.stderr.contains("NoSuchKey"))
    }

    @Test func templateFilesUseTheAppSchemas() throws {
        // The test app's registry knows a few types only (KMS, Logs, IAM, SSM, …): SNS is unknown
        // to it, an error; the documented unregistered type is a warning.
        let dir = try TemporaryDirectory()
        try dir.write("topic.json", #"{"Resources": {"Topic": {"Type": "AWS::SNS::Topic"}}}"#)
        let result = try CLI.app("validate", "--template", dir.path + "/topic.json")
        #expect(result.status == 1)
        #expect(result.stderr.contains("\(dir.path)/topic.json:1:26: error FM3000 Topic: type AWS::SNS::Topic is not a CloudFormation resource type"), "\(result)")
        try dir.write("logging.json", #"{"Resources": {"L": {"Type": "AWS::Bedrock::ModelInvocationLoggingConfiguration"}}}"#)
        let warning = try CLI.app("validate", "--template", dir.path + "/logging.json")
        #expect(warning.status == 0)
        #expect(warning.stderr.contains("\(dir.path)/logging.json:1:22: warning FM3000 L: "), "\(warning)")
        let strict = try CLI.app("validate", "--template", dir.path + "/logging.json", "--strict")
        #expect(strict.status == 1)
    }

    @Test func malformedTemplatesReportFileLineColumn() throws {
        let dir = try TemporaryDirectory()
        try dir.write("bad.yaml", "Resources:\n  A:\n    Type: [unclosed\n")
        try dir.write("bad.json", "{\n  \"Resources\": {\n    \"A\": {\"Type\": \"AWS::SNS::Topic\",}\n  }\n}\n")
        try dir.write("list.yaml", "- just\n- a list\n")
        for (name, location) in [("bad.yaml", #":\d+:\d+: error: invalid YAML"#), ("bad.json", #":3:\d+: error: invalid JSON"#)] {
            let result = try CLI.app("validate", "--template", dir.path + "/" + name)
            #expect(result.status == 1, "\(result)")
            #expect(result.stdout.isEmpty)
            let firstLine = String(result.stderr.split(separator: "\n").first ?? "")
            #expect(firstLine.range(of: "^" + NSRegularExpression.escapedPattern(for: dir.path + "/" + name) + location,
                                    options: .regularExpression) != nil, "\(firstLine)")
        }
        let list = try CLI.app("validate", "--template", dir.path + "/list.yaml")
        #expect(list.status == 1)
        #expect(list.stderr.contains("\(dir.path)/list.yaml:1:1: error: a template must be a map at the top level (AWSTemplateFormatVersion, Resources, …), found a list"), "\(list)")
    }

    @Test func missingTemplateFileIsAnError() throws {
        let result = try CLI.app("validate", "--template", "/nonexistent/template.yaml")
        #expect(result.status == 1)
        #expect(result.stdout.isEmpty)
        #expect(result.stderr.contains("cannot read '/nonexistent/template.yaml': No such file or directory"))
    }

    @Test func unreadableTemplateFileIsAnError() throws {
        let dir = try TemporaryDirectory()
        try dir.write("secret.yaml", "Resources: {}\n")
        try FileManager.default.setAttributes([.posixPermissions: 0o000], ofItemAtPath: dir.path + "/secret.yaml")
        let result = try CLI.runUnprivileged(CLI.testApp, ["validate", "--template", dir.path + "/secret.yaml"])
        #expect(result.status == 1)
        #expect(result.stderr.contains("error: cannot read '\(dir.path)/secret.yaml': Permission denied"), "\(result)")
    }

    @Test func unknownStackIsAUsageError() throws {
        let result = try CLI.app("validate", "Warn-tst")
        #expect(result.status == 2)
        #expect(result.stderr.contains("did you mean 'Warn-test'?"))
    }

    /// A nested template named by a local path (cfn-lint's E3043): a parameter the file does not
    /// declare, or one it requires that is not passed, is FM1123, in each Fn::If branch; a file
    /// that cannot be read is a warning; parameters that match pass.
    @Test func nestedTemplateParametersAreCheckedAgainstTheFile() throws {
        let dir = try TemporaryDirectory()
        try dir.write("child.yaml", """
            Parameters:
              Name: {Type: String}
              Size: {Type: Number, Default: 1}
            Resources:
              Handle: {Type: AWS::CloudFormation::WaitConditionHandle}
            """)
        try dir.write("parent.yaml", """
            Conditions:
              East: !Equals [!Ref "AWS::Region", us-east-1]
            Resources:
              Good:
                Type: AWS::CloudFormation::Stack
                Properties:
                  TemplateURL: child.yaml
                  Parameters: {Name: a}
              Typo:
                Type: AWS::CloudFormation::Stack
                Properties:
                  TemplateURL: ./child.yaml
                  Parameters: {Nmae: a, Size: 2}
              Branches:
                Type: AWS::CloudFormation::Stack
                Properties:
                  TemplateURL: child.yaml
                  Parameters: !If [East, {Name: a}, {Size: 3}]
              Remote:
                Type: AWS::CloudFormation::Stack
                Properties:
                  TemplateURL: https://example.com/child.yaml
                  Parameters: {Anything: x}
              Missing:
                Type: AWS::CloudFormation::Stack
                Properties:
                  TemplateURL: gone.yaml
            """)
        let file = dir.path + "/parent.yaml"
        let result = try CLI.run(CLI.formation, ["validate", "--template", file])
        #expect(result.status == 1, "\(result)")
        let lines = result.stderr.split(separator: "\n").map(String.init).filter { $0.contains("FM1123") }
        #expect(lines == [
            "\(file):13:20: error FM1123 Typo: Nmae is passed to the nested template ./child.yaml, which declares no such parameter (it declares Name, Size)",
            "\(file):13:7: error FM1123 Typo: the nested template ./child.yaml requires parameter Name (it has no Default), which is not passed",
            "\(file):18:7: error FM1123 Branches: the nested template child.yaml requires parameter Name (it has no Default), which is not passed",
            "\(file):27:7: warning FM1123 Missing: TemplateURL \"gone.yaml\": the nested template cannot be read (cannot read '\(dir.path)/gone.yaml': No such file or directory); its parameters were not checked",
        ], "\(result)")
        // From stdin there is no directory to read the child from: nothing is checked.
        let piped = try CLI.run(CLI.formation, ["validate", "--template", "-"], stdin: try String(contentsOfFile: file, encoding: .utf8))
        #expect(!piped.stderr.contains("FM1123"), "\(piped)")
    }
}
