import Formation

/// What `aws cloudformation deploy` needs to deploy one stack: the capabilities its template
/// requires, the parameter overrides from the stack's deploy values, and whether the template
/// is too large to send inline.
struct DeployPlan {
    /// One `Name=value` for `--parameter-overrides`.
    struct Override: Equatable {
        /// Why a value had to be left for the user to fill in.
        enum Placeholder: Equatable {
            /// The parameter is NoEcho: its value is never printed, even when the stack has one.
            case noEcho
            /// The parameter has no Default and the stack gives it no deploy value.
            case required
            /// The stack's asset bucket (``StackAsset/bucketParameter``), which has no deploy value:
            /// the bucket the code assets are uploaded to.
            case assetBucket
        }

        let name: String
        /// The value, or nil when it is a placeholder.
        let value: String?
        let placeholder: Placeholder?

        /// `Name=value`, or `Name=<fill in: …>`.
        var argument: String {
            switch placeholder {
            case .noEcho?: "\(name)=<fill in: NoEcho>"
            case .required?: "\(name)=<fill in>"
            case .assetBucket?: "\(name)=<fill in: S3 bucket holding the code assets>"
            case nil: "\(name)=\(value ?? "")"
            }
        }
    }

    /// `CAPABILITY_IAM`, `CAPABILITY_NAMED_IAM`, `CAPABILITY_AUTO_EXPAND`, in that order, as needed.
    let capabilities: [String]
    /// The overrides, in parameter declaration order.
    let overrides: [Override]
    /// The template's size in bytes, in the format that will be deployed.
    let templateBytes: Int
    /// The files to upload to the asset bucket before deploying.
    let assets: [StackAsset]
    /// The asset bucket's deploy value, when the stack gives one.
    let assetBucket: String?

    /// Whether the body exceeds CloudFormation's inline limit, so `--s3-bucket` is needed.
    var needsS3Bucket: Bool { templateBytes > TemplateLimits.maximumInlineBodyBytes }

    /// The plan for `stack`, whose synthesized template is `template`, rendered to `templateBytes`,
    /// with `assets` to upload.
    init(stack: Stack, template: Template, templateBytes: Int, assets: [StackAsset] = []) {
        capabilities = Self.capabilities(for: template)
        overrides = Self.overrides(for: stack)
        self.templateBytes = templateBytes
        self.assets = assets
        assetBucket = stack.deploymentValues[StackAsset.bucketParameter]
    }

    /// `aws s3 cp` for each asset, from `out` (where `synth --out` writes them) to the bucket
    /// (its deploy value, or `<AssetBucket>`), under the key the template names: the file name.
    func uploadCommands(out: String) -> [String] {
        let bucket = assetBucket ?? "<\(StackAsset.bucketParameter)>"
        return assets.map { asset in
            "aws s3 cp " + ShellQuoting.quote(SynthCommand.assetPath(out: out, asset: asset)) + " "
                + ShellQuoting.quote("s3://\(bucket)/\(asset.fileName)")
        }
    }

    /// IAM resource types that need an IAM capability, each with the property that gives the
    /// resource an explicit name (which needs `CAPABILITY_NAMED_IAM`). `AWS::IAM::Policy`'s
    /// `PolicyName` names an inline policy, not an IAM entity, so it never needs the named one.
    static let iamTypes: [String: String?] = [
        "AWS::IAM::Role": "RoleName",
        "AWS::IAM::User": "UserName",
        "AWS::IAM::Group": "GroupName",
        "AWS::IAM::ManagedPolicy": "ManagedPolicyName",
        "AWS::IAM::InstanceProfile": "InstanceProfileName",
        "AWS::IAM::Policy": nil,
        "AWS::IAM::AccessKey": nil,
        "AWS::IAM::UserToGroupAddition": nil,
    ]

    /// The capabilities `template` needs: `CAPABILITY_NAMED_IAM` when an IAM resource has an
    /// explicit name, `CAPABILITY_IAM` when IAM resources have none, and `CAPABILITY_AUTO_EXPAND`
    /// when the template has a Transform.
    static func capabilities(for template: Template) -> [String] {
        var iam = false
        var named = false
        for resource in template.resourceViews {
            guard let type = resource.type, let nameProperty = iamTypes[type] else { continue }
            iam = true
            if let nameProperty, resource.properties[nameProperty] != nil { named = true }
        }
        var result: [String] = []
        if named {
            result.append("CAPABILITY_NAMED_IAM")
        } else if iam {
            result.append("CAPABILITY_IAM")
        }
        if template.root["Transform"] != nil { result.append("CAPABILITY_AUTO_EXPAND") }
        return result
    }

    /// The overrides for `stack`: its deploy values; NoEcho parameters and required parameters
    /// without a value as placeholders; parameters with a Default and no deploy value omitted.
    static func overrides(for stack: Stack) -> [Override] {
        var result: [Override] = []
        for (name, definition) in stack.parameterDefinitions {
            let value = stack.deploymentValues[name]
            let hasDefault = definition.defaultValue != nil
            if definition.noEcho {
                if value != nil || !hasDefault {
                    result.append(Override(name: name, value: nil, placeholder: .noEcho))
                }
            } else if let value {
                result.append(Override(name: name, value: value, placeholder: nil))
            } else if !hasDefault {
                result.append(Override(name: name, value: nil,
                                       placeholder: name == StackAsset.bucketParameter ? .assetBucket : .required))
            }
        }
        return result
    }

    /// The `aws cloudformation deploy` command, one option per line, quoted for a POSIX shell.
    func command(templateFile: String, stackName: String, region: String? = nil) -> String {
        var lines = [
            "aws cloudformation deploy",
            "--template-file \(ShellQuoting.quote(templateFile))",
            "--stack-name \(ShellQuoting.quote(stackName))",
        ]
        if let region { lines.append("--region \(ShellQuoting.quote(region))") }
        if !capabilities.isEmpty {
            lines.append("--capabilities " + capabilities.map(ShellQuoting.quote).joined(separator: " "))
        }
        if !overrides.isEmpty {
            lines.append("--parameter-overrides " + overrides.map { ShellQuoting.quote($0.argument) }.joined(separator: " "))
        }
        if needsS3Bucket {
            lines.append("--s3-bucket " + ShellQuoting.quote("<fill in: S3 bucket for templates over 51200 bytes>"))
        }
        lines.append("--no-fail-on-empty-changeset")
        return lines.joined(separator: " \\\n  ") + "\n"
    }

    /// The StackSet commands for `deployment`: create the set (or update it, the second form),
    /// then create its instances. Parameters go as `ParameterKey=…,ParameterValue=…`.
    func stackSetCommands(templateFile: String, stackSetName: String, deployment: StackSetDeployment) -> String {
        let body = needsS3Bucket
            ? "--template-url " + ShellQuoting.quote("<fill in: https URL of the template uploaded to S3 (over 51200 bytes)>")
            : "--template-body " + ShellQuoting.quote("file://" + templateFile)
        var common = [
            "--stack-set-name \(ShellQuoting.quote(stackSetName))",
            body,
        ]
        if !capabilities.isEmpty {
            common.append("--capabilities " + capabilities.map(ShellQuoting.quote).joined(separator: " "))
        }
        if !overrides.isEmpty {
            common.append("--parameters " + overrides.map {
                ShellQuoting.quote("ParameterKey=\($0.name),ParameterValue=\($0.argument.dropFirst($0.name.count + 1))")
            }.joined(separator: " "))
        }
        common.append("--permission-model \(deployment.permissionModel.name)")
        switch deployment.permissionModel {
        case .selfManaged(let role, let execution):
            if let role { common.append("--administration-role-arn " + ShellQuoting.quote(role)) }
            if let execution { common.append("--execution-role-name " + ShellQuoting.quote(execution)) }
        case .serviceManaged(let auto, let retain):
            common.append("--auto-deployment " + ShellQuoting.quote("Enabled=\(auto),RetainStacksOnAccountRemoval=\(retain)"))
        }
        var instances = ["--stack-set-name \(ShellQuoting.quote(stackSetName))"]
        switch deployment.targets {
        case .accounts(let accounts):
            instances.append("--accounts " + accounts.map(ShellQuoting.quote).joined(separator: " "))
        case .organizationalUnits(let units):
            instances.append("--deployment-targets " + ShellQuoting.quote("OrganizationalUnitIds=" + units.joined(separator: ",")))
        }
        instances.append("--regions " + deployment.regions.map(ShellQuoting.quote).joined(separator: " "))
        var preferences = ["RegionConcurrencyType=\(deployment.regionConcurrency.rawValue)"]
        if let count = deployment.failureToleranceCount { preferences.append("FailureToleranceCount=\(count)") }
        if let percent = deployment.failureTolerancePercentage { preferences.append("FailureTolerancePercentage=\(percent)") }
        if let count = deployment.maxConcurrentCount { preferences.append("MaxConcurrentCount=\(count)") }
        if let percent = deployment.maxConcurrentPercentage { preferences.append("MaxConcurrentPercentage=\(percent)") }
        instances.append("--operation-preferences " + ShellQuoting.quote(preferences.joined(separator: ",")))
        func command(_ name: String, _ options: [String]) -> String {
            (["aws cloudformation \(name)"] + options).joined(separator: " \\\n  ") + "\n"
        }
        return "# first deploy: create the stack set, then its instances\n"
            + command("create-stack-set", common)
            + command("create-stack-instances", instances)
            + "# later deploys: update the stack set (and its instances)\n"
            + command("update-stack-set", common + instances.dropFirst())
    }
}
