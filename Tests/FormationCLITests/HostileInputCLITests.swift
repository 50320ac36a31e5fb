import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// `validate --template` and `convert` on input nobody vetted (issue 17): each case ends with
/// exactly one diagnostic naming the file, line, column and rule, exit status 1, no signal, and
/// nothing on stdout.
@Suite struct HostileInputCLITests {
    static let depth = "nesting deeper than 1000 levels (the limit on lists and maps inside one another)"
    static let shortForms = "!Ref, !GetAtt, !Sub, !Join, !Select, !Split, !If, !Equals, !And, !Or, !Not, !FindInMap, !Base64, !Cidr, !GetAZs, !ImportValue, !Condition, !Transform, !GetStackOutput, !Contains, !EachMemberEquals, !EachMemberIn, !RefAll, !ValueOf, !ValueOfAll, !Length, !ToJsonString (!Contains to !ValueOfAll in Rules, the last two with the AWS::LanguageExtensions transform)"

    /// `validate --template NAME` and `convert NAME --to json` in `dir`, both refusing the file
    /// with `diagnostic` (which follows `NAME:`).
    static func expectRefused(_ name: String, in dir: TemporaryDirectory, _ diagnostic: String, options: [String] = [],
                              sourceLocation: SourceLocation = #_sourceLocation) throws {
        let validate = try CLI.run(CLI.testApp, ["validate", "--template", name] + options, in: dir.path)
        #expect(validate.stderr == "\(name):\(diagnostic)\nerror: \(name) failed validation: 1 error, 0 warnings\n", "\(validate)", sourceLocation: sourceLocation)
        #expect(validate.status == 1 && !validate.signaled && validate.stdout.isEmpty, "\(validate)", sourceLocation: sourceLocation)
        let convert = try CLI.run(CLI.testApp, ["convert", name, "--to", "json"] + options, in: dir.path)
        #expect(convert.stderr == "\(name):\(diagnostic)\n", "\(convert)", sourceLocation: sourceLocation)
        #expect(convert.status == 1 && !convert.signaled && convert.stdout.isEmpty, "\(convert)", sourceLocation: sourceLocation)
    }

    /// 20,000 and 1,000,000 levels crashed the process with signal 11 (stack overflow).
    @Test func deepInputIsOneDiagnostic() throws {
        let dir = try TemporaryDirectory()
        try dir.write("lists.json", String(repeating: "[", count: 20_000))
        try dir.write("objects.json", String(repeating: "{\"a\":", count: 20_000))
        try dir.write("lists.yaml", "Resources:\n  A: " + String(repeating: "[", count: 1_000_000))
        try dir.write("million.json", String(repeating: "{\"a\":", count: 1_000_000))
        try Self.expectRefused("lists.json", in: dir, "1:1001: error: \(Self.depth)")
        try Self.expectRefused("objects.json", in: dir, "1:5001: error: \(Self.depth)")
        try Self.expectRefused("lists.yaml", in: dir, "2:1004: error: \(Self.depth)")
        // 5 MB: over the size limit unless raised.
        try Self.expectRefused("million.json", in: dir, "1:5001: error: \(Self.depth)", options: ["--max-size", "5000000"])
    }

    /// Nine levels of nine aliases: 28 s of CPU before; now the alias is refused by validate and
    /// the expansion stops at the node budget in convert, at once.
    @Test func theBillionLaughsAnswerAtOnce() throws {
        let dir = try TemporaryDirectory()
        var lines = [#"a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]"#]
        let names = ["a", "b", "c", "d", "e", "f", "g", "h", "i"]
        for level in 1..<names.count {
            lines.append("\(names[level]): &\(names[level]) [" + Array(repeating: "*" + names[level - 1], count: 9).joined(separator: ",") + "]")
        }
        try dir.write("bomb.yaml", lines.joined(separator: "\n") + "\n")
        let clock = ContinuousClock()
        let start = clock.now
        let validate = try CLI.app("validate", "--template", "bomb.yaml", in: dir.path)
        #expect(validate.stderr == "bomb.yaml:2:8: error: YAML aliases are not allowed in CloudFormation templates (*a); formation convert or aws cloudformation package expands them\nerror: bomb.yaml failed validation: 1 error, 0 warnings\n", "\(validate)")
        #expect(validate.status == 1 && !validate.signaled && validate.stdout.isEmpty)
        func budget(_ nodes: Int) -> String {
            "makes the document larger than \(nodes) nodes (the limit on expanded aliases: one node per byte of the size limit, which --max-size raises)"
        }
        let convert = try CLI.app("convert", "bomb.yaml", "--to", "yaml", in: dir.path)
        #expect(convert.stderr == "bomb.yaml:7:8: error: expanding the YAML alias *f " + budget(1_048_576) + "\n", "\(convert)")
        #expect(convert.status == 1 && !convert.signaled && convert.stdout.isEmpty)
        // A larger --max-size raises the budget: g's third *f is the first past two million.
        let raised = try CLI.app("convert", "bomb.yaml", "--to", "yaml", "--max-size", "2000000", in: dir.path)
        #expect(raised.stderr == "bomb.yaml:7:14: error: expanding the YAML alias *f " + budget(2_000_000) + "\n", "\(raised)")
        #expect(raised.status == 1 && !raised.signaled && raised.stdout.isEmpty)
        #expect(clock.now - start < .seconds(20))
    }

    @Test func convertExpandsAliasesThatValidateRefuses() throws {
        let dir = try TemporaryDirectory()
        try dir.write("alias.yaml", "Resources:\n  A: &log\n    Type: AWS::Logs::LogGroup\n  B: *log\n")
        try Self.expectRefusedByValidateOnly("alias.yaml", in: dir, "4:6: error: YAML aliases are not allowed in CloudFormation templates (*log); formation convert or aws cloudformation package expands them")
        let convert = try CLI.app("convert", "alias.yaml", "--to", "yaml", in: dir.path)
        #expect(convert.stdout == "Resources:\n  A:\n    Type: AWS::Logs::LogGroup\n  B:\n    Type: AWS::Logs::LogGroup\n", "\(convert)")
        #expect(convert.status == 0 && convert.stderr.isEmpty)
    }

    static func expectRefusedByValidateOnly(_ name: String, in dir: TemporaryDirectory, _ diagnostic: String,
                                            sourceLocation: SourceLocation = #_sourceLocation) throws {
        let validate = try CLI.app("validate", "--template", name, in: dir.path)
        #expect(validate.stderr == "\(name):\(diagnostic)\nerror: \(name) failed validation: 1 error, 0 warnings\n", "\(validate)", sourceLocation: sourceLocation)
        #expect(validate.status == 1 && !validate.signaled && validate.stdout.isEmpty, "\(validate)", sourceLocation: sourceLocation)
    }

    /// `convert` turned 99999999999999999999999 into 9223372036854775807 with exit 0.
    @Test func longNumbersConvertExactly() throws {
        let dir = try TemporaryDirectory()
        try dir.write("big.json", #"{"A": 99999999999999999999999, "B": -3.14159265358979323846, "C": 1e400}"#)
        // Not a template (no Resources): converted without validation.
        let yaml = try CLI.app("convert", "big.json", "--to", "yaml", "--no-validate", in: dir.path)
        #expect(yaml.stdout == "A: 99999999999999999999999\nB: -3.14159265358979323846\nC: 1.0e+400\n", "\(yaml)")
        #expect(yaml.status == 0 && yaml.stderr.isEmpty)
        try dir.write("big.yaml", yaml.stdout)
        let json = try CLI.app("convert", "big.yaml", "--to", "json", "--no-validate", in: dir.path)
        #expect(json.stdout == "{\n  \"A\": 99999999999999999999999,\n  \"B\": -3.14159265358979323846,\n  \"C\": 1.0e+400\n}\n", "\(json)")
        #expect(json.status == 0 && json.stderr.isEmpty)
        // Python reads the output as the same numbers as the input (exact for the integer).
        try dir.write("out.json", json.stdout)
        let check = try CLI.run("/usr/bin/env", ["python3", "-c", """
            import json, sys
            a = json.load(open("big.json")); b = json.load(open("out.json"))
            sys.exit(0 if a == b and a["A"] == 99999999999999999999999 else 1)
            """], in: dir.path)
        #expect(check.status == 0, "\(check)")
    }

    @Test func duplicateJSONKeysAreAnError() throws {
        let dir = try TemporaryDirectory()
        try dir.write("dup.json", #"{"Resources": {"T": {"Type": "AWS::Logs::LogGroup"}, "T": {"Type": "AWS::Logs::LogGroup"}}}"#)
        try Self.expectRefused("dup.json", in: dir, #"1:54: error: duplicate key "T" in an object"#)
    }

    @Test func aLoneSurrogateIsAnError() throws {
        let dir = try TemporaryDirectory()
        try dir.write("surrogate.json", #"{"Resources": {"T": {"Type": "AWS::Logs::LogGroup", "Properties": {"LogGroupName": "a\ud800"}}}}"#)
        try Self.expectRefused("surrogate.json", in: dir, #"1:86: error: invalid Unicode: \ud800 is half of a UTF-16 surrogate pair with no low half after it"#)
    }

    /// An unknown tag was reported as "the resource has no Type string".
    @Test func anUnknownTagIsNamed() throws {
        let dir = try TemporaryDirectory()
        try dir.write("tag.yaml", "Resources:\n  T:\n    Type: !Foo bar\n")
        try Self.expectRefused("tag.yaml", in: dir, "3:11: error: unknown YAML tag !Foo; CloudFormation reads only its short forms \(Self.shortForms)")
    }

    @Test func emptyFilesRandomBytesScalarsAndListsAreNotTemplates() throws {
        let dir = try TemporaryDirectory()
        try dir.write("empty.json", "")
        try Self.expectRefused("empty.json", in: dir, "1:1: error: the input is empty; a template is a JSON or YAML map (AWSTemplateFormatVersion, Resources, …)")
        // The first bytes of a gzip file.
        try Data([0x1F, 0x8B, 0x08, 0x00, 0x5C, 0xF3, 0x2A, 0x65, 0x00, 0x03, 0xED, 0x9D]).write(to: URL(fileURLWithPath: dir.path + "/random.bin"))
        try Self.expectRefused("random.bin", in: dir, "1:2: error: invalid UTF-8: the byte 0x8B is not a character; a template is UTF-8 text")
        try dir.write("scalar.yaml", "# a template?\nhello\n")
        try Self.expectRefused("scalar.yaml", in: dir, "2:1: error: a template must be a map at the top level (AWSTemplateFormatVersion, Resources, …), found a string")
        try dir.write("list.json", "[{\"Resources\": {}}]\n")
        try Self.expectRefused("list.json", in: dir, "1:1: error: a template must be a map at the top level (AWSTemplateFormatVersion, Resources, …), found a list")
    }

    /// A file name that is not UTF-8 reached the program with U+FFFD in it and named no file.
    /// The shell passes the name's own bytes (Foundation cannot put them into an argument).
    @Test func aFileNameThatIsNotUTF8IsReadAndShownEscaped() throws {
        let dir = try TemporaryDirectory()
        func create(_ name: [UInt8], _ text: String) {
            let path = Array(dir.path.utf8) + [UInt8(ascii: "/")] + name
            let file = fopen(path.map { CChar(bitPattern: $0) } + [0], "wb")
            fputs(text, file)
            fclose(file)
        }
        create(Array("bad".utf8) + [0xFF] + Array(".yaml".utf8), "Resources:\n  T:\n    Type: !Foo bar\n")
        create(Array("good".utf8) + [0xFE] + Array(".yaml".utf8), "Resources:\n  T:\n    Type: AWS::Logs::LogGroup\n")
        func run(_ arguments: String) throws -> CLIResult {
            try CLI.run("/bin/sh", ["-c", "exec \"$0\" " + arguments, CLI.testApp], in: dir.path)
        }
        let bad = try run(#"validate --template "$(printf 'bad\377.yaml')""#)
        #expect(bad.stderr == #"bad\xFF.yaml:3:11: error: unknown YAML tag !Foo; CloudFormation reads only its short forms "# + Self.shortForms + "\n" + #"error: bad\xFF.yaml failed validation: 1 error, 0 warnings"# + "\n", "\(bad)")
        #expect(bad.status == 1 && !bad.signaled && bad.stdout.isEmpty)
        let good = try run(#"validate --template "$(printf 'good\376.yaml')""#)
        #expect(good.status == 0 && !good.signaled, "\(good)")
        let converted = try run(#"convert "$(printf 'good\376.yaml')" --to json"#)
        #expect(converted.stdout == "{\n  \"Resources\": {\n    \"T\": {\n      \"Type\": \"AWS::Logs::LogGroup\"\n    }\n  }\n}\n", "\(converted)")
        let missing = try run(#"validate --template "$(printf 'none\377.yaml')""#)
        #expect(missing.stderr == #"error: cannot read 'none\xFF.yaml': No such file or directory"# + "\n" + #"error: none\xFF.yaml failed validation: 1 error, 0 warnings"# + "\n", "\(missing)")
        #expect(missing.status == 1 && !missing.signaled)
    }

    /// Input over CloudFormation's 1 MB is refused where it passes the limit, before it is read
    /// in full (a file of 64 MB is answered as fast as one of 1 MB); --max-size raises the limit.
    @Test func inputOverOneMegabyteIsRefused() throws {
        let dir = try TemporaryDirectory()
        let head = "Resources:\n  L:\n    Type: AWS::Logs::LogGroup\n"
        let comment = "# " + String(repeating: "x", count: 1_048_576 - head.utf8.count - 2)
        try dir.write("limit.yaml", head + comment)
        let atLimit = try CLI.app("convert", "limit.yaml", "--to", "json", in: dir.path)
        #expect(atLimit.status == 0, "\(atLimit)")
        try dir.write("over.yaml", head + comment + "x\n")
        let column = 1_048_576 - head.utf8.count + 1
        try Self.expectRefused("over.yaml", in: dir, "4:\(column): error: the input is larger than 1048576 bytes, CloudFormation's limit on a template (in S3); --max-size BYTES raises this limit")
        let raised = try CLI.app("convert", "over.yaml", "--to", "json", "--max-size", "1048578", in: dir.path)
        #expect(raised.status == 0 && raised.stdout == "{\n  \"Resources\": {\n    \"L\": {\n      \"Type\": \"AWS::Logs::LogGroup\"\n    }\n  }\n}\n", "\(raised)")
        let lowered = try CLI.app("convert", "over.yaml", "--to", "json", "--max-size", "20", in: dir.path)
        #expect(lowered.stderr == "over.yaml:3:5: error: the input is larger than the --max-size limit of 20 bytes\n", "\(lowered)")
        #expect(lowered.status == 1 && lowered.stdout.isEmpty)
        // Standard input too.
        let piped = try CLI.app("convert", "-", "--to", "json", "--max-size", "20", stdin: head)
        #expect(piped.stderr == "<stdin>:3:5: error: the input is larger than the --max-size limit of 20 bytes\n", "\(piped)")
        #expect(piped.status == 1)
        let usage = try CLI.app("validate", "--template", "over.yaml", "--max-size", "0", in: dir.path)
        #expect(usage.status == 2 && usage.stderr.hasPrefix("error: --max-size must be a positive number of bytes\n"), "\(usage)")
    }
}
