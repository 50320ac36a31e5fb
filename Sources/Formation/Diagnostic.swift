/// A finding of synthesis or validation: what is wrong, where, and by which rule.
///
/// Printed as `error FM1101 Stack/Path: message`. The message names the property path, the
/// offending value and the rule; `code` is stable so tests and tools can match on it.
public struct Diagnostic: Sendable, Hashable, CustomStringConvertible {
    /// How bad a finding is: errors stop every write, warnings are printed.
    public typealias Severity = FindingSeverity

    public let severity: Severity
    /// Stable code, e.g. `FM1101`.
    public let code: String
    /// The construct path (`Stack/Construct/Resource`) or, for template files, `file:LogicalID`.
    public let path: String
    /// The property path inside the resource or section, when the finding is about one.
    public let property: String?
    /// The human-readable message, naming the value and the rule.
    public let message: String

    public init(_ severity: Severity, _ code: String, path: String, property: String? = nil, message: String) {
        self.severity = severity
        self.code = code
        self.path = path
        self.property = property
        self.message = message
    }

    /// An error diagnostic.
    public static func error(_ code: String, path: String, property: String? = nil, _ message: String) -> Diagnostic {
        Diagnostic(.error, code, path: path, property: property, message: message)
    }

    /// A warning diagnostic.
    public static func warning(_ code: String, path: String, property: String? = nil, _ message: String) -> Diagnostic {
        Diagnostic(.warning, code, path: path, property: property, message: message)
    }

    public var isError: Bool { severity == .error }

    /// The same finding with another severity (an app's rule setting).
    public func with(severity: Severity) -> Diagnostic {
        Diagnostic(severity, code, path: path, property: property, message: message)
    }

    public var description: String {
        "\(severity.rawValue) \(code) \(path): \(message)"
    }
}

extension Array where Element == Diagnostic {
    /// Whether any diagnostic is an error.
    public var hasErrors: Bool { contains { $0.isError } }
    /// Only the errors.
    public var errors: [Diagnostic] { filter(\.isError) }
    /// Only the warnings.
    public var warnings: [Diagnostic] { filter { $0.severity == .warning } }
}

/// The stable diagnostic codes Formation emits, one per rule.
public enum DiagnosticCode {
    // Construct tree and naming.
    public static let invalidConstructID = "FM1001"
    public static let duplicateConstructID = "FM1002"
    public static let invalidLogicalID = "FM1003"
    public static let logicalIDCollision = "FM1004"
    public static let invalidStackName = "FM1005"
    public static let duplicateStackName = "FM1006"
    public static let propertiesNotAMap = "FM1007"
    public static let unencodableValue = "FM1008"
    public static let conflictingAsset = "FM1009"
    // References.
    public static let danglingRef = "FM1101"
    public static let danglingGetAtt = "FM1102"
    public static let unknownAttribute = "FM1103"
    public static let danglingSubVariable = "FM1104"
    public static let danglingDependsOn = "FM1105"
    public static let dependencyCycle = "FM1106"
    public static let undefinedCondition = "FM1107"
    public static let crossStackReference = "FM1108"
    public static let malformedIntrinsic = "FM1109"
    public static let undefinedMapping = "FM1110"
    public static let malformedTemplate = "FM1111"
    public static let missingExport = "FM1112"
    public static let stringifiedToken = "FM1113"
    public static let invalidResourceAttribute = "FM1114"
    public static let invalidParameter = "FM1115"
    // FM1116 (a YAML alias, a warning) is retired: an alias is now an error where the template
    // is read (`ParseLimits.cloudFormation`), with its line and column.
    /// A rule ID in the app's rule configuration that no rule of the app declares.
    public static let unknownRule = "FM1117"
    /// A template written for `aws cloudformation package` (local paths where S3 locations go).
    public static let needsPackaging = "FM1118"
    /// A StackSet deployment CloudFormation would refuse (targets, permission model, regions,
    /// operation preferences).
    public static let invalidStackSet = "FM1119"
    /// A suppression (`Metadata: formation: suppress`) that matches no finding of its resource.
    public static let unusedSuppression = "FM1120"
    /// A suppression without a reason, or not of the form `{id, reason}`.
    public static let malformedSuppression = "FM1121"
    /// A stack's account (`App.stack(_:account:)`) that is not a 12-digit AWS account ID.
    public static let invalidAccount = "FM1122"
    /// Parameters passed to a nested template named by a local path that it does not declare, or
    /// a parameter it requires that is not passed (`validate --template`; cfn-lint's E3043).
    public static let nestedStackParameters = "FM1123"
    /// A malformed `Fn::ForEach` (arity, identifier, output key, collection), or one whose
    /// expansion writes a key twice.
    public static let malformedForEach = "FM1130"
    /// What a macro (a transform CloudFormation does not run itself, or `Fn::Transform`) may
    /// rewrite, so validation skipped it (one line per macro).
    public static let macroSkipped = "FM1131"
    /// SAM's Globals section, or a resource's IgnoreGlobals, as SAM's translator would refuse it.
    public static let invalidServerlessGlobals = "FM1132"
    /// A Rain preprocessor directive (`Rain::Module`, `Rain::Embed`, …): the file is a Rain
    /// source, not a template (`validate --template` checks nothing else in it).
    public static let rainDirective = "FM1145"
    // CloudFormation limits.
    public static let tooManyResources = "FM2001"
    public static let tooManyParameters = "FM2002"
    public static let tooManyOutputs = "FM2003"
    public static let bodyNeedsS3 = "FM2004"
    public static let bodyTooLarge = "FM2005"
    public static let tooManyMappings = "FM2006"
}
