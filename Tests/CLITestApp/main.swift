import FormationCLI
import Foundation

// FORMATION_TESTAPP=cross-stack selects the app of stacks that import from each other.
if ProcessInfo.processInfo.environment["FORMATION_TESTAPP"] == "cross-stack" {
    FormationCLI.main(CLITestApp.makeCrossStack)
} else {
    FormationCLI.main(CLITestApp.make)
}
