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
        var scalars = text.unicodeScalars[...]
        while let start = scalars.firstRange(of: "${".unicodeScalars) {
            let afterOpen = scalars[start.upperBound...]
            if afterOpen.first == "!" {
                scalars = afterOpen.dropFirst()
                continue
            }
            guard let close = afterOpen.firstIndex(of: "}") else { break }
            variables.append(String(String.UnicodeScalarView(afterOpen[..<close])).trimmingSpaces())
            scalars = afterOpen[afterOpen.index(after: close)...]
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
