import Formation

/// An IAM policy document built from typed statements; it encodes to the JSON policy grammar.
///
/// ```swift
/// PolicyDocument([
///     .allow(["logs:CreateLogStream", "logs:PutLogEvents"], on: ["\(group.arn)"]),
/// ])
/// ```
public struct PolicyDocument: TemplateEncodable {
    /// The statements, in order.
    public var statements: [PolicyStatement]

    public init(_ statements: [PolicyStatement]) {
        self.statements = statements
    }

    public func encode(_ context: EncodingContext) -> TemplateValue {
        ["Version": "2012-10-17", "Statement": .list(statements.map { $0.encode(context) })]
    }

    /// The document as template data for free-form schema properties.
    public var json: TemplateValue { encode(EncodingContext()) }

    /// A trust policy letting `principal` assume a role.
    public static func trust(_ principal: Principal, action: String = "sts:AssumeRole", conditions: [PolicyCondition] = []) -> PolicyDocument {
        PolicyDocument([PolicyStatement(principals: [principal], actions: [action], conditions: conditions)])
    }
}

/// Allow or Deny.
public enum PolicyEffect: String, Sendable {
    case allow = "Allow"
    case deny = "Deny"
}

/// Who a statement applies to, in resource and trust policies.
public enum Principal: Sendable {
    /// An AWS service principal, e.g. `bedrock.amazonaws.com`.
    case service(Value<String>)
    /// An account, user or role ARN (or account id).
    case aws(Value<String>)
    /// A federated identity provider.
    case federated(Value<String>)

    var key: String {
        switch self {
        case .service: "Service"
        case .aws: "AWS"
        case .federated: "Federated"
        }
    }

    var value: Value<String> {
        switch self {
        case .service(let v), .aws(let v), .federated(let v): v
        }
    }
}

/// One condition of a statement: operator, key and values (`StringEquals`, `aws:SourceAccount`, …).
public struct PolicyCondition: Sendable {
    public var test: String
    public var key: String
    public var values: [Value<String>]

    public init(_ test: String, _ key: String, _ values: [Value<String>]) {
        self.test = test
        self.key = key
        self.values = values
    }
}

/// One policy statement.
public struct PolicyStatement: TemplateEncodable {
    public var sid: String?
    public var effect: PolicyEffect
    public var principals: [Principal]
    public var actions: [String]
    public var resources: [Value<String>]
    public var conditions: [PolicyCondition]

    public init(
        sid: String? = nil,
        effect: PolicyEffect = .allow,
        principals: [Principal] = [],
        actions: [String],
        resources: [Value<String>] = [],
        conditions: [PolicyCondition] = []
    ) {
        self.sid = sid
        self.effect = effect
        self.principals = principals
        self.actions = actions
        self.resources = resources
        self.conditions = conditions
    }

    /// An Allow statement for `actions` on `resources`.
    public static func allow(_ actions: [String], on resources: [Value<String>], sid: String? = nil,
                             conditions: [PolicyCondition] = []) -> PolicyStatement {
        PolicyStatement(sid: sid, actions: actions, resources: resources, conditions: conditions)
    }

    /// An Allow statement on `Resource: "*"`, for the actions AWS only authorizes that way
    /// (`ecr:GetAuthorizationToken`, `ec2:DescribeNetworkInterfaces`, …: actions that list no
    /// resource type). `reason` says why, in the code where the exception is made; the
    /// least-privilege check still rejects any action that accepts resource ARNs.
    public static func allowOnAnyResource(_ actions: [String], because reason: String, sid: String? = nil) -> PolicyStatement {
        _ = reason
        return PolicyStatement(sid: sid, actions: actions, resources: ["*"])
    }

    public func encode(_ context: EncodingContext) -> TemplateValue {
        var body = OrderedMap()
        body.set("Sid", sid.map(TemplateValue.string))
        body["Effect"] = .string(effect.rawValue)
        if !principals.isEmpty {
            var grouped = OrderedMap()
            for principal in principals {
                let value = principal.value.encode(context)
                switch grouped[principal.key] {
                case nil: grouped[principal.key] = value
                case .list(let existing)?: grouped[principal.key] = .list(existing + [value])
                case let single?: grouped[principal.key] = .list([single, value])
                }
            }
            body["Principal"] = .map(grouped)
        }
        body["Action"] = actions.count == 1 ? .string(actions[0]) : .list(actions.map(TemplateValue.string))
        if !resources.isEmpty {
            body["Resource"] = resources.count == 1 ? resources[0].encode(context) : .list(resources.map { $0.encode(context) })
        }
        if !conditions.isEmpty {
            var tests = OrderedMap()
            for condition in conditions {
                var keys = tests[condition.test]?.mapValue ?? [:]
                keys[condition.key] = condition.values.count == 1 ? condition.values[0].encode(context)
                    : .list(condition.values.map { $0.encode(context) })
                tests[condition.test] = .map(keys)
            }
            body["Condition"] = .map(tests)
        }
        return .map(body)
    }
}
