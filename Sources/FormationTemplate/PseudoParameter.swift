/// CloudFormation's pseudo parameters: names `Ref` and `Fn::Sub` accept in every template.
public enum PseudoParameter: String, Sendable, CaseIterable {
    case accountId = "AWS::AccountId"
    case notificationARNs = "AWS::NotificationARNs"
    case noValue = "AWS::NoValue"
    case partition = "AWS::Partition"
    case region = "AWS::Region"
    case stackId = "AWS::StackId"
    case stackName = "AWS::StackName"
    case urlSuffix = "AWS::URLSuffix"

    /// Every pseudo parameter name.
    public static let names: Set<String> = Set(allCases.map(\.rawValue))
}

extension Intrinsic {
    /// The variables a `Fn::Sub` string refers to: the text inside each `${…}`, skipping the
    /// `${!…}` escapes, in order of appearance.
    /// A `Fn::Sub` variable split at its first `.` character (`Resource.Attribute`); nil when it
    /// has none. Characters are compared as `firstIndex(of: ".")` compares them; for ASCII text
    /// (every character one byte) the search runs over bytes.
    public static func splitSubVariable(_ variable: String) -> (resource: String, attribute: String)? {
        let bytes = variable.utf8
        let dot: String.Index?
        if bytes.allSatisfy({ $0 < 0x80 }) {
            dot = bytes.firstIndex(of: UInt8(ascii: "."))
        } else {
            dot = variable.firstIndex(of: ".")
        }
        guard let dot else { return nil }
        return (String(variable[..<dot]), String(variable[variable.index(after: dot)...]))
    }

    public static func subVariables(in text: String) -> [String] {
        var variables: [String] = []
        var bytes = text.utf8[...]
        // Scans bytes: `$`, `{` and `}` are ASCII, so UTF-8 continuation bytes never match them.
        while let dollar = bytes.firstIndex(of: UInt8(ascii: "$")) {
            let afterDollar = bytes.index(after: dollar)
            guard afterDollar < bytes.endIndex, bytes[afterDollar] == UInt8(ascii: "{") else {
                bytes = bytes[afterDollar...]
                continue
            }
            let afterOpen = bytes.index(after: afterDollar)
            if afterOpen < bytes.endIndex && bytes[afterOpen] == UInt8(ascii: "!") {
                bytes = bytes[bytes.index(after: afterOpen)...]
                continue
            }
            guard let close = bytes[afterOpen...].firstIndex(of: UInt8(ascii: "}")) else { break }
            // Spaces and tabs are ASCII, so trimming bytes trims characters.
            var name = bytes[afterOpen..<close]
            while let first = name.first, first == UInt8(ascii: " ") || first == UInt8(ascii: "\t") { name = name.dropFirst() }
            while let last = name.last, last == UInt8(ascii: " ") || last == UInt8(ascii: "\t") { name = name.dropLast() }
            variables.append(String(decoding: name, as: UTF8.self))
            bytes = bytes[bytes.index(after: close)...]
        }
        return variables
    }
}
