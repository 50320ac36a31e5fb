import FormationCLI
import Foundation

// FORMATION_TESTAPP selects another app: cross-stack (stacks that import from each other) or
// stack-set (stacks deployed as StackSets) or nested (a nested stack; a stack with an account
// and two regions).
switch ProcessInfo.processInfo.environment["FORMATION_TESTAPP"] {
case "cross-stack":
    FormationCLI.main(CLITestApp.makeCrossStack)
case "stack-set":
    FormationCLI.main(CLITestApp.makeStackSets)
case "nested":
    FormationCLI.main(CLITestApp.makeNested)
default:
    FormationCLI.main(CLITestApp.make)
}
