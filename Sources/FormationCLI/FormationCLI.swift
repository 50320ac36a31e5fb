import ArgumentParser
import Formation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The `formation` command line as a library: any app gets it with one line,
/// `FormationCLI.main(MyApp.make)`, in its executable's `main.swift`.
public enum FormationCLI {
    /// Runs the command line for the app `make` builds, with the process arguments, and exits:
    /// 0 on success, 1 when diagnostics have errors or a check fails, 2 on a usage error.
    public static func main(_ make: @escaping () -> App) -> Never {
        exit(run(make, arguments: Array(CommandLine.arguments.dropFirst())))
    }

    /// Runs one command line for the app `make` builds and returns its exit status. Templates go
    /// to stdout; diagnostics, progress and errors to stderr.
    public static func run(_ make: @escaping () -> App, arguments: [String]) -> Int32 {
        AppProvider.shared.install(make)
        _ = Console.takeOutputFailure()
        let status = runCommand(arguments)
        // A template that did not reach stdout in full (a full disk) is a failure, never exit 0.
        if let failure = Console.takeOutputFailure() {
            Console.err("\(Style.red("error")): cannot write to standard output: \(failure); what was written there is incomplete")
            return status == ExitStatus.success ? ExitStatus.failure : status
        }
        return status
    }

    /// Parses and runs one command line; its exit status.
    private static func runCommand(_ arguments: [String]) -> Int32 {
        do {
            var command = try FormationCommand.parseAsRoot(arguments)
            try command.run()
            return ExitStatus.success
        } catch let error as CLIError {
            for message in error.messages { Console.err("\(Style.red("error")): \(message)") }
            if case .usage = error {
                Console.err("(run 'formation help' or add --help to a command for usage)")
            }
            return error.exitStatus
        } catch {
            return report(argumentParserError: error)
        }
    }

    /// Prints what argument-parser has to say about `error` (help, version, a usage problem) and
    /// returns the exit status: help and version on stdout with 0; usage problems on stderr with 2.
    private static func report(argumentParserError error: Error) -> Int32 {
        let code = FormationCommand.exitCode(for: error)
        let message = FormationCommand.fullMessage(for: error)
        if code == .success {
            if !message.isEmpty { Console.out(message.hasSuffix("\n") ? message : message + "\n") }
            return ExitStatus.success
        }
        if message.hasPrefix("Error: ") {
            // Same spelling as every other error line of formation.
            Console.err("\(Style.red("error")): " + message.dropFirst("Error: ".count))
        } else if !message.isEmpty {
            Console.err(message)
        }
        if code == .validationFailure { return ExitStatus.usage }
        // `ExitCode(1)` thrown by a command after printing its diagnostics.
        return code.rawValue == 0 ? ExitStatus.failure : code.rawValue
    }
}

/// Holds the app factory for the commands (argument-parser instantiates commands itself).
final class AppProvider: @unchecked Sendable {
    static let shared = AppProvider()
    private var make: (() -> App)?

    func install(_ make: @escaping () -> App) { self.make = make }

    /// A freshly built app (an empty one when no factory was installed). An app whose registry
    /// cannot be read (a damaged bundle) is one error naming the file, before any work.
    func app() throws(CLIError) -> App {
        let app = make?() ?? App()
        if let error = app.schemas.loadError {
            throw CLIError.failure(["cannot read the CloudFormation registry: \(error)"])
        }
        return app
    }
}

/// Formation's version, printed by `formation --version`.
public enum FormationVersion {
    /// The version string.
    public static let current = "0.1.0"
    /// Where the package is published: what `formation init` writes into a new app's
    /// Package.swift (`--formation-path` depends on a local checkout instead).
    public static let repositoryURL = "https://github.com/formation-swift/formation"
}
