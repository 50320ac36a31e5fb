import ArgumentParser
import Formation

/// `formation deploy-args`: the `aws cloudformation deploy` command for one stack.
struct DeployArgsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "deploy-args",
        abstract: "Print the 'aws cloudformation deploy' command for a stack, quoted for a POSIX shell.",
        discussion: """
            The command names the template file 'formation synth STACK --out DIR' writes, the \
            stack, the capabilities the template needs (CAPABILITY_NAMED_IAM when an IAM resource \
            has an explicit name such as RoleName, CAPABILITY_IAM when IAM resources have none), \
            and --parameter-overrides from the stack's deploy values. NoEcho parameters are never \
            printed: they appear as Name=<fill in: NoEcho>. Parameters with a Default and no \
            deploy value are left out. A template over 51200 bytes adds --s3-bucket to fill in. \
            A stack with code assets (the .zip files synth --out writes beside the template) gets \
            AssetBucket=<fill in: …> unless it has a deploy value, and a note with the \
            'aws s3 cp' commands that upload the assets first. Notes about placeholders, assets \
            and stale files go to stderr.

            A stack deployed as a StackSet (App.stackSet) gets 'aws cloudformation \
            create-stack-set' and 'create-stack-instances' (its accounts or organizational \
            units, regions and operation preferences), then 'update-stack-set' for later deploys.

            A stack declared for regions (App.stack(_:regions:)) gets --region, one command \
            per region; one declared for an account gets a comment naming the account whose \
            credentials must run it.

            With several stacks (or --all) the commands come in deploy order: each stack after \
            the stacks whose exports it imports, each command under a comment naming the stack \
            and what it waits for.

            EXAMPLES:
              formation synth MyStack-dev --format yaml --out out
              formation deploy-args MyStack-dev --format yaml
              # run it as printed, once no placeholder is left to fill in:
              eval "$(formation deploy-args MyStack-dev --format yaml)"
              formation deploy-args MyStack-dev --template-file build/stack.json
              formation deploy-args --all           # every stack, producers first
            """
    )

    @Argument(help: "The stacks to deploy (one or more; or --all).")
    var stacks: [String] = []

    @Flag(help: "Every stack of the app, in deploy order.")
    var all = false

    @Option(help: "The template format synth wrote: json or yaml (names the file and sizes the body).")
    var format: TemplateFormat = .json

    @Option(help: ArgumentHelp("The directory synth --out wrote the template to.", valueName: "dir"))
    var out: String = "out"

    @Option(help: ArgumentHelp("The template file to deploy (instead of <out>/<stack>.template.<format>).", valueName: "file"))
    var templateFile: String?

    @OptionGroup var checks: CheckOptions

    func validate() throws {
        if out.isEmpty { throw ValidationError("--out needs a directory path") }
        if templateFile?.isEmpty == true { throw ValidationError("--template-file needs a file path") }
        if stacks.isEmpty && !all { throw ValidationError("name a stack to deploy, or give --all") }
        if all && !stacks.isEmpty { throw ValidationError("--all deploys every stack: name no stack with it") }
        if templateFile != nil && (all || stacks.count > 1) { throw ValidationError("--template-file names one stack's template: give one stack") }
    }

    func run() throws {
        let app = try AppProvider.shared.app()
        let selected = all ? app.stacks : try StackSelection.resolve(stacks, in: app)
        guard !selected.isEmpty else { throw CLIError.usage("the app has no stack to deploy") }
        let reporter = Reporter(checks)
        let plan = app.crossStackPlan()
        let ordered = plan.deployOrder(selected)
        let result = StackRenderer.render(ordered, format: format, reporter: reporter)
        if !result.failed.isEmpty {
            let noun = result.failed.count == 1 ? "it" : "them"
            reporter.error("\(StackRenderer.list(result.failed)) failed validation; fix \(noun) before deploying")
            throw ExitCode(ExitStatus.failure)
        }
        for (index, output) in result.passed.enumerated() {
            if ordered.count > 1 {
                let after = plan.dependencies(of: output.stack.name)
                Console.out("# \(index + 1)/\(ordered.count) \(output.stack.name)" + (after.isEmpty ? "" : " (after \(after.joined(separator: ", ")))") + "\n")
            }
            command(for: output, reporter: reporter)
        }
    }

    /// Prints one stack's command, and its notes on stderr.
    func command(for output: StackRenderer.Output, reporter: Reporter) {
        let selected = output.stack
        let file = templateFile ?? SynthCommand.path(out: out, stack: selected.name, format: format)
        let plan = DeployPlan(stack: selected, template: output.synthesis.template, templateBytes: output.rendered.byteCount,
                              assets: output.synthesis.assets)
        if let deployment = selected.stackSetDeployment {
            Console.out(plan.stackSetCommands(templateFile: file, stackSetName: selected.name, deployment: deployment))
        } else {
            if let account = selected.account {
                Console.out("# account \(account): run with credentials for this account\n")
            }
            // A stack declared for regions deploys to each of them, whatever the shell's default.
            if selected.regions.count > 1 {
                for region in selected.regions {
                    Console.out("# region \(region)\n" + plan.command(templateFile: file, stackName: selected.name, region: region))
                }
            } else {
                Console.out(plan.command(templateFile: file, stackName: selected.name, region: selected.regions.first))
            }
        }

        for override in plan.overrides {
            switch override.placeholder {
            case .noEcho?:
                reporter.note("\(override.name) is NoEcho: replace <fill in: NoEcho> with its value (formation never prints NoEcho values)")
            case .required?:
                reporter.note("\(override.name) has no Default and no deploy value: replace <fill in> with its value")
            case .assetBucket?:
                reporter.note("\(override.name) names the S3 bucket holding this stack's code assets: replace <fill in: S3 bucket holding the code assets> with it")
            case nil:
                break
            }
        }
        if !plan.assets.isEmpty {
            let commands = plan.uploadCommands(out: templateFile.map(Files.directory(of:)) ?? out)
            let noun = plan.assets.allSatisfy { $0.fileName.hasSuffix(".zip") } ? "code asset" : "asset"
            reporter.note("upload \(plural(plan.assets.count, noun)) to the asset bucket before deploying (synth --out writes \(plan.assets.count == 1 ? "it" : "them") beside the template):\n"
                          + commands.map { "  " + $0 }.joined(separator: "\n"))
        }
        if plan.needsS3Bucket {
            reporter.note("the \(format.rawValue.uppercased()) template is \(plan.templateBytes) bytes, over CloudFormation's 51200-byte inline limit: name an S3 bucket for aws to upload it to")
        }
        if templateFile == nil {
            if !Files.exists(file) {
                reporter.note("\(file) does not exist yet: run 'formation synth \(selected.name) --format \(format.rawValue) --out \(out)' first")
            } else if let existing = try? Files.readBytes(file), existing != Array(output.rendered.text.utf8) {
                reporter.note("\(file) differs from a fresh synth: run 'formation synth \(selected.name) --format \(format.rawValue) --out \(out)' to update it")
            }
        }
    }
}
