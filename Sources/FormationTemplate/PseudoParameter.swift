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
    /// A `Fn::Sub` variable split at its first `.` character (`Resource.Attribute`); nil when it
    /// has none. Characters are compared as `firstIndex(of: ".")` compares them; for ASCII text
    /// (every character one byte) the search runs over bytes.
    public static func splitSubVariable(_ variable: String) -> (resource: String, attribute: String)? {
        var text = variable
        let split = text.withUTF8 { bytes -> (String, String)?? in
            // A `.` byte is a `.` character only in ASCII text (every character one byte):
            // otherwise the search runs over characters below.
            var dot: Int?
            for offset in 0..<bytes.count {
                let byte = bytes[offset]
                if byte >= 0x80 { return nil }
                if byte == UInt8(ascii: "."), dot == nil { dot = offset }
            }
            guard let dot else { return .some(nil) }
            return .some((String(decoding: UnsafeBufferPointer(rebasing: bytes[..<dot]), as: UTF8.self),
                          String(decoding: UnsafeBufferPointer(rebasing: bytes[(dot + 1)...]), as: UTF8.self)))
        }
        if let split { return split }
        guard let dot = variable.firstIndex(of: ".") else { return nil }
        return (String(variable[..<dot]), String(variable[variable.index(after: dot)...]))
    }

    /// The variables a `Fn::Sub` string refers to: the text inside each `${…}`, skipping the
    /// `${!…}` escapes, in order of appearance.
    public static func subVariables(in text: String) -> [String] {
        var text = text
        // Scans bytes: `$`, `{`, `}`, `!`, space and tab are ASCII, so UTF-8 continuation bytes
        // never match them, and trimming bytes trims characters.
        return text.withUTF8 { bytes in
            var variables: [String] = []
            let count = bytes.count
            var offset = 0
            while offset < count {
                guard bytes[offset] == UInt8(ascii: "$") else {
                    offset += 1
                    continue
                }
                let afterDollar = offset + 1
                guard afterDollar < count, bytes[afterDollar] == UInt8(ascii: "{") else {
                    offset = afterDollar
                    continue
                }
                let afterOpen = afterDollar + 1
                if afterOpen < count && bytes[afterOpen] == UInt8(ascii: "!") {
                    offset = afterOpen + 1
                    continue
                }
                var close = afterOpen
                while close < count && bytes[close] != UInt8(ascii: "}") { close += 1 }
                if close == count { break }
                var first = afterOpen, end = close
                while first < end && (bytes[first] == UInt8(ascii: " ") || bytes[first] == UInt8(ascii: "\t")) { first += 1 }
                while end > first && (bytes[end - 1] == UInt8(ascii: " ") || bytes[end - 1] == UInt8(ascii: "\t")) { end -= 1 }
                variables.append(String(decoding: UnsafeBufferPointer(rebasing: bytes[first..<end]), as: UTF8.self))
                offset = close + 1
            }
            return variables
        }
    }
}
