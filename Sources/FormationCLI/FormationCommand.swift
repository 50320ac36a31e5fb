import ArgumentParser
import Formation

/// `formation`: the root command; each job is a subcommand.
struct FormationCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "formation",
        abstract: "Synthesize deterministic, validated CloudFormation templates from Swift.",
        discussion: """
            Templates go to stdout, diagnostics to stderr (in color only when stderr is a terminal \
            and NO_COLOR is unset).

            EXAMPLES:
              formation list
              formation synth MyStack-dev --format yaml > MyStack-dev.yaml
              formation synth --out out --format both     # all stacks, atomically
              formation validate                           # all stacks, no files
              formation validate --template out/MyStack-dev.template.yaml
              formation convert template.yaml --to json
              formation deploy-args MyStack-dev --format yaml
              formation diff MyStack-dev                   # fresh synth vs snapshots/
              formation snapshot                           # check snapshots/
              formation snapshot --update                  # rewrite snapshots/
              formation list --order                       # stacks in deploy order
              formation rules                              # the rule pack
              formation init my-app                        # a new Formation app
              formation import template.yaml               # an existing template as Swift
              formation synth MyStack-dev --format yaml |
                aws cloudformation create-stack --stack-name MyStack-dev \\
                  --template-body file:///dev/stdin

            EXIT STATUS:
              0  success
              1  errors found (or warnings, with --strict), a file I/O failure, or
                 differences found (diff, snapshot --check)
              2  usage error: unknown command, option, value or stack name
            """,
        version: FormationVersion.current,
        subcommands: [
            ListCommand.self,
            SynthCommand.self,
            ValidateCommand.self,
            ConvertCommand.self,
            DeployArgsCommand.self,
            DiffCommand.self,
            SnapshotCommand.self,
            RulesCommand.self,
            InitCommand.self,
            ImportCommand.self,
        ]
    )
}

/// `--format json|yaml`: any other value is a usage error (exit 2) listing the two.
extension TemplateFormat: ExpressibleByArgument {}

/// `--format json|yaml|both`, for the commands that write files.
enum FormatChoice: String, ExpressibleByArgument, CaseIterable {
    case json
    case yaml
    case both

    /// The template formats, JSON first.
    var formats: [TemplateFormat] {
        switch self {
        case .json: [.json]
        case .yaml: [.yaml]
        case .both: [.json, .yaml]
        }
    }
}
