/// Swift names for schema names: members in lowerCamelCase with acronyms folded
/// (`SSEEnabled` → `sseEnabled`, `VPCId` → `vpcId`), types in UpperCamelCase, enum cases from
/// raw values (`GreaterThanThreshold` → `greaterThanThreshold`, `PYTHON_3_12` → `python3_12`).
public enum Naming {
    /// Swift keywords that need backticks as identifiers.
    static let keywords: Set<String> = [
        "associatedtype", "class", "deinit", "enum", "extension", "fileprivate", "func", "import", "init",
        "inout", "internal", "let", "open", "operator", "private", "precedencegroup", "protocol", "public",
        "rethrows", "static", "struct", "subscript", "typealias", "var", "break", "case", "catch", "continue",
        "default", "defer", "do", "else", "fallthrough", "for", "guard", "if", "in", "repeat", "return",
        "throw", "switch", "where", "while", "Any", "as", "await", "false", "is", "nil", "self", "Self",
        "super", "throws", "true", "try", "_",
    ]

    /// The words of a schema name: split at case changes (an acronym ends before the capital that
    /// starts the next word), digits stay with the word before them, anything else separates
    /// (`SSEEnabled` → `SSE`, `Enabled`; `S3Bucket` → `S3`, `Bucket`; `PYTHON_3_12` → `PYTHON`, `3`, `12`).
    public static func words(_ name: String) -> [String] {
        let scalars = Array(name.unicodeScalars)
        var words: [String] = []
        var current = ""
        func flush() {
            if !current.isEmpty { words.append(current) }
            current = ""
        }
        for (index, scalar) in scalars.enumerated() {
            guard isAlphanumeric(scalar) else {
                flush()
                continue
            }
            if let last = current.unicodeScalars.last {
                let next = index + 1 < scalars.count ? scalars[index + 1] : nil
                if isUpper(scalar) {
                    // aB → a|B; ABc → A|Bc; 3B → 3|B only when a lowercase word is starting.
                    if isLower(last) { flush() }
                    else if isUpper(last), let next, isLower(next) { flush() }
                    else if isDigit(last), let next, isLower(next) { flush() }
                }
            }
            current.unicodeScalars.append(scalar)
        }
        flush()
        return words
    }

    /// lowerCamelCase of a property name, acronyms folded: `KmsKeyId` → `kmsKeyId`,
    /// `SSEEnabled` → `sseEnabled`, `VPCId` → `vpcId`, `ARN` → `arn`, `S3Bucket` → `s3Bucket`,
    /// `3Way` → `_3Way`.
    public static func memberName(_ name: String) -> String {
        let parts = words(name)
        guard let first = parts.first else { return "value" }
        var result = first.lowercased()
        for part in parts.dropFirst() {
            result += capitalizedWord(part)
        }
        // An identifier cannot start with a digit (`3Way` → `_3Way`).
        if let first = result.unicodeScalars.first, isDigit(first) { result = "_" + result }
        return identifier(result)
    }

    /// UpperCamelCase of a schema name, for nested type names: `KmsKeyId` → `KmsKeyId`,
    /// `log-group` → `LogGroup`.
    public static func typeName(_ name: String) -> String {
        let parts = words(name)
        guard !parts.isEmpty else { return "Value" }
        var result = ""
        for part in parts {
            // Keep the schema's own casing for words that are already mixed case (`Arn`, `VPC`).
            if let first = part.unicodeScalars.first, isLower(first) {
                result += part.prefix(1).uppercased() + part.dropFirst()
            } else {
                result += part
            }
        }
        if let first = result.unicodeScalars.first, isDigit(first) { result = "T" + result }
        return result
    }

    /// An enum case name for a raw value: words joined in lowerCamelCase, all-caps words
    /// lowered (`GreaterThanThreshold` → `greaterThanThreshold`, `HTTP` → `http`,
    /// `aws:kms` → `awsKms`, `PYTHON_3_12` → `python3_12`, `t3.micro` → `t3Micro`).
    public static func caseName(_ raw: String) -> String {
        let parts = words(raw)
        guard !parts.isEmpty else { return raw.isEmpty ? "empty" : "value" }
        var result = ""
        for (offset, part) in parts.enumerated() {
            let isAllUpper = part.unicodeScalars.allSatisfy { !isLower($0) }
            let word = isAllUpper ? part.lowercased() : part
            if offset == 0 {
                result = word.prefix(1).lowercased() + word.dropFirst()
            } else if let first = word.unicodeScalars.first, isDigit(first),
                      let last = result.unicodeScalars.last, isDigit(last) {
                result += "_" + word  // PYTHON_3_12 → python3_12, not python312
            } else {
                result += capitalizedWord(word)
            }
        }
        if let first = result.unicodeScalars.first, isDigit(first) { result = "_" + result }
        return identifier(result)
    }

    /// Backticks for keywords.
    public static func identifier(_ name: String) -> String {
        keywords.contains(name) ? "`\(name)`" : name
    }

    /// The name without backticks (for building derived names).
    public static func bare(_ name: String) -> String {
        name.hasPrefix("`") ? String(name.dropFirst().dropLast()) : name
    }

    private static func capitalizedWord(_ word: String) -> String {
        let isAllUpper = word.unicodeScalars.allSatisfy { !isLower($0) }
        if isAllUpper {
            // Acronyms inside a name: `KMSMasterKeyID` → kms + MasterKeyID stays readable as `ID`.
            return word.count <= 2 ? word : word.prefix(1) + word.dropFirst().lowercased()
        }
        return word.prefix(1).uppercased() + word.dropFirst()
    }

    static func isUpper(_ s: Unicode.Scalar) -> Bool { ("A"..."Z").contains(s) }
    static func isLower(_ s: Unicode.Scalar) -> Bool { ("a"..."z").contains(s) }
    static func isDigit(_ s: Unicode.Scalar) -> Bool { ("0"..."9").contains(s) }
    static func isAlphanumeric(_ s: Unicode.Scalar) -> Bool { isUpper(s) || isLower(s) || isDigit(s) }
}
