import Formation

/// Reading policy documents (IAM, trust, bucket and key policies) as templates write them: one
/// statement or a list, one string or a list of strings, principals as `"*"` or a map.
enum PolicyText {
    /// The statements of a policy document.
    static func statements(_ document: TemplateValue?) -> [TemplateValue] {
        switch document?["Statement"] {
        case .list(let items)?: items
        case let single?: [single]
        case nil: []
        }
    }

    /// The literal strings of a value written as one string or a list (intrinsics skipped).
    static func strings(_ value: TemplateValue?) -> [String] {
        switch value {
        case .string(let one)?: [one]
        case .list(let many)?: many.compactMap(\.stringValue)
        default: []
        }
    }

    /// Whether a statement allows (an absent Effect is not a valid statement; only `Allow` counts).
    static func allows(_ statement: TemplateValue) -> Bool {
        statement["Effect"] == "Allow"
    }

    /// Whether a statement's `Principal` is everyone: `"*"`, or `"*"` among its `AWS` principals.
    static func principalIsEveryone(_ statement: TemplateValue) -> Bool {
        guard let principal = statement["Principal"] else { return false }
        if principal == "*" { return true }
        return strings(principal["AWS"]).contains("*")
    }
}

extension PolicyText {
    /// A condition value written as one value or a list.
    static func values(_ value: TemplateValue) -> [TemplateValue] {
        if case .list(let many) = value { return many }
        return [value]
    }
}
