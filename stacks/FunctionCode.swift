import FormationAssets
import FormationConstructs

/// One Lambda function's code in `stacks/functions/`: the paths it is packaged from (relative to
/// the repository root) and its entry point as written in the source.
///
/// ```swift
/// let code = try FunctionCode.notifier.package()
/// code.handler       // "index.lambda_handler" (inline) or "updater.lambda_handler" (zip)
/// code.asset.code    // .inline(source) for Code.ZipFile, or .zip(bytes, <sha256>.zip) for S3Key
/// ```
public struct FunctionCode: Sendable, Hashable {
    /// Paths relative to the repository root whose files make the package, merged at its root.
    public let paths: [String]
    /// `module.function` as named in the source tree.
    public let entryPoint: String

    /// Code packaged from `paths` (relative to the repository root), entered at `entryPoint`.
    public init(paths: [String], entryPoint: String) {
        self.paths = paths
        self.entryPoint = entryPoint
    }

    /// The three-layer caching pipeline (hash → semantic → compression → Bedrock → write-back).
    public static let semanticCache = FunctionCode(paths: ["stacks/functions/semantic-cache"],
                                                   entryPoint: "handler.lambda_handler")
    /// Compares the public EKS AMI parameter with the node class in GitHub; starts the workflow.
    public static let amiDetector = FunctionCode(paths: ["stacks/functions/ami-detector", "stacks/functions/shared"],
                                                 entryPoint: "detector.lambda_handler")
    /// Bedrock risk analysis of the AMI's release notes, through the guardrail.
    public static let bedrockAnalyzer = FunctionCode(paths: ["stacks/functions/bedrock-analyzer"],
                                                     entryPoint: "analyzer.lambda_handler")
    /// Opens the one-line pull request with the analysis.
    public static let gitopsUpdater = FunctionCode(paths: ["stacks/functions/gitops-updater", "stacks/functions/shared"],
                                                   entryPoint: "updater.lambda_handler")
    /// Publishes the pull request link and summary to SNS.
    public static let notifier = FunctionCode(paths: ["stacks/functions/notifier"],
                                              entryPoint: "notifier.lambda_handler")

    /// Every function of this repository, by name.
    public static let all: [(name: String, code: FunctionCode)] = [
        ("semantic-cache", semanticCache), ("ami-detector", amiDetector), ("bedrock-analyzer", bedrockAnalyzer),
        ("gitops-updater", gitopsUpdater), ("notifier", notifier),
    ]

    /// The repository root, found from this file's path, so synthesis works from any working
    /// directory. The absolute path is used only to read files.
    public static func repositoryRoot() throws(AssetError) -> RepositoryRoot {
        try RepositoryRoot(containing: #filePath)
    }

    /// Packages the code (inline when it is one small Python file, else a content-addressed ZIP)
    /// and resolves the `Handler` value against it.
    public func package(inlineLimit: Int = Asset.cloudFormationInlineLimit) throws(AssetError) -> PackagedFunction {
        let asset = try Asset.package(paths, root: try Self.repositoryRoot(), inlineLimit: inlineLimit)
        return PackagedFunction(asset: asset, handler: try asset.handler(entryPoint))
    }
}

extension FunctionCode {
    /// The packaged code, or nil after reporting why it cannot be packaged (a missing file, a
    /// handler the code does not define) as one error of the function at `path`, property `Code`.
    func package(reportingTo stack: Stack, at path: String, inlineLimit: Int = Asset.cloudFormationInlineLimit) -> PackagedFunction? {
        do {
            return try package(inlineLimit: inlineLimit)
        } catch {
            stack.report(error.diagnostic(path: path, property: "Code"))
            return nil
        }
    }
}

/// A function's packaged code and the `Handler` value that goes with it.
public struct PackagedFunction: Sendable, Hashable {
    /// The inline source or the ZIP.
    public let asset: Asset
    /// The `Handler` property (`index.lambda_handler` for inline code).
    public let handler: String
}
