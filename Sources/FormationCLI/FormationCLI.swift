import ArgumentParser
import Formation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The `formation` command line as a library: any app gets it with `FormationCLI.main(app)`.
public enum FormationCLI {
    /// Runs the command line for the app `make` builds, with the process arguments, and exits.
    public static func main(_ make: @escaping () -> App) -> Never {
        AppProvider.shared.install(make)
        FormationCommand.main()
        exit(0)
    }
}

/// Holds the app factory for the commands (argument-parser instantiates commands itself).
final class AppProvider: @unchecked Sendable {
    static let shared = AppProvider()
    private var make: (() -> App)?

    func install(_ make: @escaping () -> App) { self.make = make }

    func app() -> App { make?() ?? App() }
}

struct FormationCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "formation",
        abstract: "Synthesize deterministic, validated CloudFormation templates from Swift.",
        version: FormationVersion.current,
        subcommands: [ListCommand.self, SynthCommand.self, ConvertCommand.self]
    )
}

/// Formation's version.
public enum FormationVersion {
    public static let current = "0.1.0"
}
