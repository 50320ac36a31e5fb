import FormationCLI
import Foundation

// FORMATION_TESTAPP selects another app: cross-stack (stacks that import from each other) or
// stack-set (stacks deployed as StackSets).
switch ProcessInfo.processInfo.environment["FORMATION_TESTAPP"] {
case "cross-stack":
    FormationCLI.main(CLITestApp.makeCrossStack)
case "stack-set":
    FormationCLI.main(CLITestApp.makeStackSets)
default:
    FormationCLI.main(CLITestApp.make)
}
