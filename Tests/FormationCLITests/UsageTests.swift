import Foundation
import Testing
@testable import FormationCLI

/// Help, version, exit statuses of usage errors, and colors.
@Suite struct UsageTests {
    static let commands = ["list", "synth", "validate", "convert", "deploy-args", "diff", "snapshot", "rules", "init"]

    @Test func rootHelpListsEveryCommandWithExamples() throws {
        let result = try CLI.run(CLI.formation, ["--help"])
        #expect(result.status == 0, "\(result)")
        #expect(result.stderr.isEmpty)
        #expect(result.stdout.contains("EXAMPLES:"))
        #expect(result.stdout.contains("EXIT STATUS:"))
        for command in Self.commands {
            #expect(result.stdout.contains("  \(command) "), "root help lacks \(command)")
            #expect(result.stdout.contains("formation \(command)"), "root help has no example for \(command)")
        }
    }

    @Test(arguments: commands)
    func everyCommandHelpHasExamples(command: String) throws {
        for arguments in [[command, "--help"], ["help", command]] {
            let result = try CLI.run(CLI.formation, arguments)
            #expect(result.status == 0, "\(result)")
            #expect(result.stderr.isEmpty)
            let examples = try #require(result.stdout.range(of: "EXAMPLES:"), "no EXAMPLES in \(arguments)")
            #expect(result.stdout[examples.upperBound...].contains("formation \(command)"))
        }
    }

    @Test func versionGoesToStdout() throws {
        let result = try CLI.run(CLI.formation, ["--version"])
        #expect(result.status == 0)
        #expect(result.stdout == FormationVersion.current + "\n")
        #expect(result.stderr.isEmpty)
    }

    @Test(arguments: [
        ["synth", "--format", "xml"],
        ["convert", "x.yaml", "--to", "xml"],
        ["convert", "x.yaml"],
        ["frobnicate"],
        ["synth", "--no-such-option"],
        ["deploy-args"],
        ["validate", "Good-test", "--template", "x.yaml"],
    ])
    func usageErrorsExitTwoOnStderr(arguments: [String]) throws {
        let result = try CLI.run(CLI.testApp, arguments)
        #expect(result.status == 2, "\(arguments): \(result)")
        #expect(result.stdout.isEmpty)
        #expect(!result.stderr.isEmpty)
    }

    @Test func badFormatValueNamesTheChoices() throws {
        let result = try CLI.app("synth", "Good-test", "--format", "xml")
        #expect(result.status == 2)
        #expect(result.stderr.hasPrefix("error: The value 'xml' is invalid for '--format <format>'"), "\(result)")
        #expect(result.stderr.contains("json") && result.stderr.contains("yaml"))
    }

    @Test func noColorsWhenStderrIsNotATerminal() throws {
        let result = try CLI.app("validate")
        #expect(result.status == 1)
        #expect(result.stderr.contains("error FM1101"))
        #expect(result.stderr.contains("warning FM3000"))
        #expect(!result.stderr.contains("\u{1B}["))
    }

    @Test func colorsWhenStderrIsATerminal() throws {
        let colored = try CLI.runWithTerminalStderr(CLI.testApp, ["validate"])
        #expect(colored.status == 1)
        #expect(colored.terminal.contains("\u{1B}[1;31merror\u{1B}[0m FM1101"), "\(colored.terminal)")
        #expect(colored.terminal.contains("\u{1B}[1;33mwarning\u{1B}[0m FM3000"))

        let plain = try CLI.runWithTerminalStderr(CLI.testApp, ["validate"], environment: ["NO_COLOR": "1"])
        #expect(plain.status == 1)
        #expect(plain.terminal.contains("error FM1101"))
        #expect(!plain.terminal.contains("\u{1B}["))
    }
}
