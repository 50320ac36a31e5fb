import Formation

/// An ECR repository that already exists, referred to by name: it creates nothing (seed gotcha 2).
///
/// An AgentCore runtime needs an image at `:latest` when it is created, so the repository must be
/// created and an image pushed before the stack that uses it; creating it in the same stack would
/// leave it empty when the runtime is created.
public struct ImportedRepository: Sendable {
    /// The repository name.
    public let name: String

    public init(name: String) {
        self.name = name
    }

    /// `<account>.dkr.ecr.<region>.<suffix>/<name>`.
    public var uri: Value<String> {
        "\(AWS.accountId).dkr.ecr.\(AWS.region).\(AWS.urlSuffix)/\(name)"
    }

    /// The image URI at `tag`.
    public func imageURI(tag: String = "latest") -> Value<String> {
        "\(uri):\(tag)"
    }

    /// The repository ARN.
    public var arn: Value<String> {
        "arn:\(AWS.partition):ecr:\(AWS.region):\(AWS.accountId):repository/\(name)"
    }

    /// What a role needs to pull images: the layer and image reads on this repository, and the
    /// registry login (which AWS authorizes on `*` only).
    public var pullStatements: [PolicyStatement] {
        [
            .allow(["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer", "ecr:BatchCheckLayerAvailability"], on: [arn], sid: "PullImages"),
            .allowOnAnyResource(["ecr:GetAuthorizationToken"], because: "ECR registry login supports no resource-level permission",
                                sid: "RegistryLogin"),
        ]
    }
}
