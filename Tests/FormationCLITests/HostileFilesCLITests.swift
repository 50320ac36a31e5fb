import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// Files that are not plain files, and text that is not plain text, fed to every command that
/// reads a template: each ends in one diagnostic and an exit status, never a hang or a signal.
@Suite struct HostileFilesCLITests {
    static let template = "Resources:\n  L:\n    Type: AWS::Logs::LogGroup\n"
    static let silentFIFO = "nothing arrived for 1 second; it is a FIFO or socket that no process writes to (FORMATION_READ_TIMEOUT=SECONDS waits longer)"

    /// A FIFO no process writes to: validate, convert, import and diff waited forever.
    @Test func aFIFONobodyWritesToIsAnErrorAfterTheWait() throws {
        let dir = try TemporaryDirectory()
        #expect(mkfifo(dir.path + "/pipe.yaml", 0o600) == 0)
        let wait = ["FORMATION_READ_TIMEOUT": "1"]
        let validate = try CLI.run(CLI.testApp, ["validate", "--template", "pipe.yaml"], in: dir.path, environment: wait)
        #expect(validate.stderr == "error: cannot read 'pipe.yaml': \(Self.silentFIFO)\nerror: pipe.yaml failed validation: 1 error, 0 warnings\n", "\(validate)")
        #expect(validate.status == 1 && !validate.signaled)
        let convert = try CLI.run(CLI.testApp, ["convert", "pipe.yaml", "--to", "json"], in: dir.path, environment: wait)
        #expect(convert.stderr == "error: cannot read 'pipe.yaml': \(Self.silentFIFO)\n", "\(convert)")
        #expect(convert.status == 1 && !convert.signaled && convert.stdout.isEmpty)
        let diff = try CLI.run(CLI.testApp, ["diff", "Good-test", "--against", "pipe.yaml"], in: dir.path, environment: wait)
        #expect(diff.stderr.hasSuffix("error: cannot read 'pipe.yaml': \(Self.silentFIFO)\n"), "\(diff)")
        #expect(diff.status == 1 && !diff.signaled)
        let schema = try CLI.run(CLI.testApp, ["validate", "--template", "pipe.yaml", "--type-schema", "pipe.yaml"], in: dir.path, environment: wait)
        #expect(schema.stderr.hasPrefix("error: --type-schema pipe.yaml: cannot read: \(Self.silentFIFO)\n"), "\(schema)")
        #expect(schema.status == 2 && !schema.signaled)
    }

    /// A FIFO that is written once: import read it twice (to validate, then to import) and hung
    /// on the second read; init read it a third time to copy it into the project.
    @Test func aFIFOIsReadOnceByImportAndInit() throws {
        let dir = try TemporaryDirectory()
        try dir.write("source.yaml", Self.template)
        #expect(mkfifo(dir.path + "/pipe.yaml", 0o600) == 0)
        let wait = ["FORMATION_READ_TIMEOUT": "20"]
        let imported = try CLI.run("/bin/sh", ["-c", "cat source.yaml > pipe.yaml & exec \"$0\" import pipe.yaml --out gen", CLI.testApp],
                                   in: dir.path, environment: wait)
        #expect(imported.status == 0 && !imported.signaled, "\(imported)")
        let swift = try String(contentsOfFile: dir.path + "/gen/PipeStack.swift", encoding: .utf8)
        #expect(swift.contains("Logs.LogGroup("), "\(swift)")
        let initialized = try CLI.run("/bin/sh", ["-c", "cat source.yaml > pipe.yaml & exec \"$0\" init proj --from pipe.yaml --quiet", CLI.testApp],
                                      in: dir.path, environment: wait)
        #expect(initialized.status == 0 && !initialized.signaled, "\(initialized)")
        #expect(try String(contentsOfFile: dir.path + "/proj/imported/pipe.yaml", encoding: .utf8) == Self.template)
    }

    /// `--type-schema /dev/zero` died allocating 34 GB ("Fatal error: failed to allocate");
    /// `diff --against /dev/zero` read without end.
    @Test func endlessFilesStopAtALimit() throws {
        let dir = try TemporaryDirectory()
        try dir.write("t.yaml", Self.template)
        let schema = try CLI.app("validate", "--template", "t.yaml", "--type-schema", "/dev/zero", in: dir.path)
        #expect(schema.stderr.hasPrefix("error: --type-schema /dev/zero: the file is larger than 16777216 bytes\n"), "\(schema)")
        #expect(schema.status == 2 && !schema.signaled)
        let diff = try CLI.app("diff", "Good-test", "--against", "/dev/zero", in: dir.path)
        #expect(diff.stderr.hasSuffix("/dev/zero:1:1048577: error: the input is larger than 1048576 bytes, CloudFormation's limit on a template (in S3); --max-size BYTES raises this limit\n"), "\(diff)")
        #expect(diff.status == 1 && !diff.signaled)
    }

    /// A resource type holding escape sequences cleared the terminal and retitled its window:
    /// diagnostics now show every control character as an escape, and keep only their own colors.
    @Test func controlCharactersInDiagnosticsAreShownNotObeyed() throws {
        let dir = try TemporaryDirectory()
        try dir.write("esc.yaml", "Resources:\n  A:\n    Type: \"AWS::Logs::LogGroup\\e[2J\\e]0;pwned\\a\\r\\u009B\\u202E\"\n")
        let plain = try CLI.app("validate", "--template", "esc.yaml", in: dir.path)
        let shown = #"AWS::Logs::LogGroup\u{1B}[2J\u{1B}]0;pwned\u{7}\u{D}\u{9B}\u{202E}"#
        #expect(plain.stderr.hasPrefix("esc.yaml:3:5: error FM3000 A: type \(shown) is not a CloudFormation resource type"), "\(plain)")
        #expect(!plain.stderr.unicodeScalars.contains { $0 == "\u{1B}" || $0 == "\u{7}" || $0 == "\r" || $0 == "\u{9B}" || $0 == "\u{202E}" })
        #expect(plain.status == 1 && !plain.signaled)
        let colored = try CLI.runWithTerminalStderr(CLI.testApp, ["validate", "--template", dir.path + "/esc.yaml"])
        #expect(colored.terminal.contains("\u{1B}[1;31merror\u{1B}[0m FM3000 A: type \(shown) is not"), "\(colored.terminal)")
        #expect(!colored.terminal.contains("\u{1B}[2J") && !colored.terminal.contains("\u{1B}]0;"))
    }

    /// stdout on a full disk: the template was lost and the command said nothing, exit 0.
    @Test func aFullDiskOnStandardOutputFails() throws {
        let dir = try TemporaryDirectory()
        try dir.write("t.yaml", Self.template)
        let convert = try CLI.run("/bin/sh", ["-c", "exec \"$0\" convert t.yaml --to json --no-validate > /dev/full", CLI.testApp], in: dir.path)
        #expect(convert.stderr == "error: cannot write to standard output: No space left on device; what was written there is incomplete\n", "\(convert)")
        #expect(convert.status == 1 && !convert.signaled)
        let synth = try CLI.run("/bin/sh", ["-c", "exec \"$0\" synth Good-test > /dev/full", CLI.testApp], in: dir.path)
        #expect(synth.stderr.hasSuffix("error: cannot write to standard output: No space left on device; what was written there is incomplete\n"), "\(synth)")
        #expect(synth.status == 1 && !synth.signaled)
        // A reader that stops early (`| head`) is not a failure.
        let head = try CLI.run("/bin/sh", ["-c", "\"$0\" synth Good-test | head -c 1 >/dev/null; exit ${PIPESTATUS:-0}", CLI.testApp], in: dir.path)
        #expect(!head.stderr.contains("cannot write"), "\(head)")
    }

    /// A control character in YAML was reported at 1:1 whatever its line (libyaml's reader
    /// leaves its mark there), without naming the character.
    @Test func aControlCharacterInYAMLIsAtItsPosition() throws {
        let dir = try TemporaryDirectory()
        try dir.write("nul.yaml", "Resources:\n  A:\u{0}\n    Type: AWS::Logs::LogGroup\n")
        try HostileInputCLITests.expectRefused("nul.yaml", in: dir, "2:5: error: invalid YAML: the character U+0000: control characters are not allowed")
        try dir.write("bell.yaml", "Resources:\n  A:\n    Type: AWS::Logs::LogGroup\n    Properties:\n      LogGroupName: \"x\u{7}y\"\n")
        try HostileInputCLITests.expectRefused("bell.yaml", in: dir, "5:23: error: invalid YAML: the character U+0007: control characters are not allowed")
    }

    /// A null key (`~:`, `null:`) was read as the key "" with no word; cfn-lint refuses it
    /// ("Null key '~' not supported").
    @Test func aNullKeyIsAnError() throws {
        let dir = try TemporaryDirectory()
        try dir.write("null.yaml", "Mappings:\n  M:\n    ~: {V: a}\nResources:\n  L:\n    Type: AWS::Logs::LogGroup\n")
        try HostileInputCLITests.expectRefused("null.yaml", in: dir, "3:5: error: a mapping key is null (~, null or nothing); a template's keys are strings, and CloudFormation supports no null key")
        try dir.write("quoted.yaml", "Mappings:\n  M:\n    \"null\": {V: a}\n    \"\": {V: b}\nResources:\n  L:\n    Type: AWS::Logs::LogGroup\n")
        let quoted = try CLI.app("convert", "quoted.yaml", "--to", "json", "--no-validate", in: dir.path)
        #expect(quoted.status == 0 && quoted.stdout.contains("\"null\": {") && quoted.stdout.contains("\"\": {"), "\(quoted)")
    }
}
