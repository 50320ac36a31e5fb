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
            variables.append(String(decoding: bytes[afterOpen..<close], as: UTF8.self).trimmingSpaces())
            bytes = bytes[bytes.index(after: close)...]
        }
        return variables
    }
}

extension String {
    /// The string without leading and trailing spaces and tabs.
    func trimmingSpaces() -> String {
        let scalars = unicodeScalars
        guard let first = scalars.firstIndex(where: { $0 != " " && $0 != "\t" }),
              let last = scalars.lastIndex(where: { $0 != " " && $0 != "\t" }) else { return "" }
        return String(scalars[first...last])
    }
}
