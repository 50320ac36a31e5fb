/// How a stack deploys as a CloudFormation StackSet: the same template into accounts (or
/// organizational units) × regions, by CloudFormation itself.
///
/// ```swift
/// let baseline = app.stackSet("Baseline-prd", deployment: StackSetDeployment(
///     targets: .organizationalUnits(["ou-abcd-11112222"]), regions: ["us-east-1", "eu-west-1"],
///     permissionModel: .serviceManaged(autoDeployment: true),
///     failureToleranceCount: 1, maxConcurrentCount: 2))
/// ```
///
/// The stack's regions are the deployment's regions, so every resource type is checked to exist
/// in each target region. `formation deploy-args` prints the `aws cloudformation
/// create-stack-set` / `update-stack-set` and `create-stack-instances` commands.
public struct StackSetDeployment: Sendable, Hashable {
    /// Where the instances go.
    public enum Targets: Sendable, Hashable {
        /// AWS account IDs (12 digits); needs the self-managed permission model.
        case accounts([String])
        /// Organizational unit IDs (`ou-…`) or the organization root (`r-…`); needs the
        /// service-managed permission model.
        case organizationalUnits([String])
    }

    /// Who creates the instances' roles.
    public enum PermissionModel: Sendable, Hashable {
        /// You created the administration role and the execution role in each target account.
        case selfManaged(administrationRoleARN: String? = nil, executionRoleName: String? = nil)
        /// AWS Organizations: StackSets creates the roles; with `autoDeployment`, accounts added
        /// to a target OU get an instance automatically.
        case serviceManaged(autoDeployment: Bool, retainStacksOnAccountRemoval: Bool = false)

        /// The CLI's name for it.
        public var name: String {
            switch self {
            case .selfManaged: "SELF_MANAGED"
            case .serviceManaged: "SERVICE_MANAGED"
            }
        }
    }

    /// How the regions are worked through.
    public enum RegionConcurrency: String, Sendable, Hashable {
        case sequential = "SEQUENTIAL"
        case parallel = "PARALLEL"
    }

    public var targets: Targets
    public var regions: [String]
    public var permissionModel: PermissionModel
    /// How many accounts per region may fail before the operation stops (or a percentage).
    public var failureToleranceCount: Int?
    public var failureTolerancePercentage: Int?
    /// How many accounts per region at once (or a percentage).
    public var maxConcurrentCount: Int?
    public var maxConcurrentPercentage: Int?
    public var regionConcurrency: RegionConcurrency

    public init(targets: Targets, regions: [String], permissionModel: PermissionModel,
                failureToleranceCount: Int? = nil, failureTolerancePercentage: Int? = nil,
                maxConcurrentCount: Int? = nil, maxConcurrentPercentage: Int? = nil,
                regionConcurrency: RegionConcurrency = .sequential) {
        self.targets = targets
        self.regions = regions
        self.permissionModel = permissionModel
        self.failureToleranceCount = failureToleranceCount
        self.failureTolerancePercentage = failureTolerancePercentage
        self.maxConcurrentCount = maxConcurrentCount
        self.maxConcurrentPercentage = maxConcurrentPercentage
        self.regionConcurrency = regionConcurrency
    }

    /// Whether `text` is an AWS account ID: 12 ASCII digits.
    static func isAccountID(_ text: String) -> Bool {
        text.utf8.count == 12 && text.utf8.allSatisfy { $0 >= 48 && $0 <= 57 }
    }

    /// What is wrong with the deployment (each a message; empty when nothing is).
    public var problems: [String] {
        var found: [String] = []
        switch targets {
        case .accounts(let accounts):
            if accounts.isEmpty { found.append("targets: no account given") }
            for account in accounts where !Self.isAccountID(account) {
                found.append("targets: account \(quotedForMessage(account)) is not a 12-digit AWS account ID")
            }
            if case .serviceManaged = permissionModel {
                found.append("targets: the service-managed permission model deploys to organizational units, not accounts; use .organizationalUnits or .selfManaged")
            }
        case .organizationalUnits(let units):
            if units.isEmpty { found.append("targets: no organizational unit given") }
            for unit in units where !Self.isOrganizationalUnit(unit) {
                found.append("targets: \(quotedForMessage(unit)) is not an organizational unit ID (ou-xxxx-yyyyyyyy) or a root ID (r-xxxx)")
            }
            if case .selfManaged = permissionModel {
                found.append("targets: organizational units need the service-managed permission model (AWS Organizations); use .serviceManaged or list accounts")
            }
        }
        if regions.isEmpty { found.append("regions: no region given") }
        if Set(regions).count != regions.count { found.append("regions: a region is listed twice") }
        if failureToleranceCount != nil && failureTolerancePercentage != nil {
            found.append("failure tolerance: give a count or a percentage, not both")
        }
        if maxConcurrentCount != nil && maxConcurrentPercentage != nil {
            found.append("max concurrency: give a count or a percentage, not both")
        }
        if let count = failureToleranceCount, count < 0 { found.append("failure tolerance: \(count) is negative") }
        if let count = maxConcurrentCount, count < 1 { found.append("max concurrency: \(count) is below 1") }
        for (name, value) in [("failure tolerance", failureTolerancePercentage), ("max concurrency", maxConcurrentPercentage)] {
            if let value, !(0...100).contains(value) { found.append("\(name): \(value) % is not between 0 and 100") }
        }
        if let tolerance = failureToleranceCount, let concurrent = maxConcurrentCount, concurrent > tolerance + 1 {
            found.append("max concurrency \(concurrent) exceeds failure tolerance \(tolerance) + 1, which CloudFormation refuses")
        }
        if case .selfManaged(let role, let execution) = permissionModel {
            if let role, !(role.hasPrefix("arn:") && role.contains(":iam::") && role.contains(":role/")) {
                found.append("administration role \(quotedForMessage(role)) is not an IAM role ARN")
            }
            if let execution, execution.isEmpty || execution.contains("/") {
                found.append("execution role name \(quotedForMessage(execution)) is not a role name")
            }
        }
        return found
    }

    static func isOrganizationalUnit(_ id: String) -> Bool {
        let lowerAlphanumeric = { (text: Substring) in
            text.utf8.allSatisfy { ($0 >= 97 && $0 <= 122) || ($0 >= 48 && $0 <= 57) }
        }
        let parts = id.split(separator: "-", omittingEmptySubsequences: false)
        if parts.count == 3, parts[0] == "ou" {
            return (4...32).contains(parts[1].count) && (8...32).contains(parts[2].count) && lowerAlphanumeric(parts[1]) && lowerAlphanumeric(parts[2])
        }
        if parts.count == 2, parts[0] == "r" {
            return (4...32).contains(parts[1].count) && lowerAlphanumeric(parts[1])
        }
        return false
    }
}

extension App {
    /// A stack deployed as a StackSet (its regions are the deployment's regions). A deployment
    /// with problems is an error at synthesis naming each.
    @discardableResult
    public func stackSet(_ name: String, description: String? = nil, environment: String? = nil,
                         deployment: StackSetDeployment) -> Stack {
        let stack = stack(name, description: description, environment: environment, regions: deployment.regions)
        stack.stackSetDeployment = deployment
        for problem in deployment.problems {
            stack.report(.error(DiagnosticCode.invalidStackSet, path: name, "stack set \(name): \(problem)"))
        }
        return stack
    }
}
