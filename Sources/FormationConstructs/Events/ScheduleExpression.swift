import Formation

/// An EventBridge rule schedule, checked against EventBridge's grammar when it is made:
///
/// - `rate(value unit)`: a positive whole number and `minute`, `hour` or `day` — singular for 1,
///   plural (`minutes`, `hours`, `days`) for more;
/// - `cron(minutes hours day-of-month month day-of-week year)`: six fields, each `*`, a value,
///   a range `a-b`, an increment `x/n`, or a comma list of those, within the field's bounds
///   (minutes 0–59, hours 0–23, day-of-month 1–31, month 1–12 or JAN–DEC, day-of-week 1–7 or
///   SUN–SAT, year 1970–2199); `?` in exactly one of day-of-month and day-of-week (EventBridge
///   cannot combine the two); `L` and `W` in day-of-month (`L`, `LW`, `15W`); `L` and `#` in
///   day-of-week (`L`, `6L`, `FRI#2`).
///
/// ```swift
/// let schedule = try ScheduleExpression("cron(0 9,21 * * ? *)")   // 09:00 and 21:00 UTC
/// try ScheduleExpression("cron(0 9 * * * *)")  // throws: day-of-month and day-of-week are both "*"
/// ```
public struct ScheduleExpression: Sendable, Hashable, CustomStringConvertible {
    /// Why an expression is not a valid EventBridge schedule.
    public struct Invalid: Error, Sendable, Hashable, CustomStringConvertible {
        /// The expression as given.
        public let expression: String
        /// What is wrong, naming the field and the rule.
        public let reason: String

        /// `"<expression>" is not a valid EventBridge schedule expression: <reason>`.
        public var description: String {
            "\(TemplateValue.string(expression)) is not a valid EventBridge schedule expression: \(reason)"
        }
    }

    /// The expression, as given.
    public let rawValue: String

    /// The expression.
    public var description: String { rawValue }

    /// A CloudFormation `AllowedPattern` for schedule parameters: the two forms' outline (the
    /// full grammar is checked at synthesis for values Formation knows, such as defaults).
    public static let allowedPattern = #"^(rate\([1-9][0-9]* (minute|minutes|hour|hours|day|days)\)|cron\(\S+ \S+ \S+ \S+ \S+ \S+\))$"#

    /// Checks `expression`; throws ``Invalid`` naming the field and the rule it breaks.
    public init(_ expression: String) throws(Invalid) {
        func fail(_ reason: String) -> Invalid { Invalid(expression: expression, reason: reason) }
        guard expression.hasSuffix(")") else {
            throw fail("an expression is rate(value unit) or cron(six fields)")
        }
        if expression.hasPrefix("rate(") {
            try Self.checkRate(String(expression.dropFirst(5).dropLast()), fail)
        } else if expression.hasPrefix("cron(") {
            try Self.checkCron(String(expression.dropFirst(5).dropLast()), fail)
        } else {
            throw fail("an expression is rate(value unit) or cron(six fields)")
        }
        rawValue = expression
    }

    // MARK: - rate

    private static func checkRate(_ body: String, _ fail: (String) -> Invalid) throws(Invalid) {
        let parts = body.split(separator: " ", omittingEmptySubsequences: false)
        guard parts.count == 2 else {
            throw fail("rate takes a value and a unit separated by one space, as in rate(5 minutes)")
        }
        let value = parts[0]
        guard let first = value.first, first != "0", value.allSatisfy(\.isASCIIDigit), let number = Int(value) else {
            throw fail("rate value \(TemplateValue.string(String(value))) must be a positive whole number")
        }
        let unit = String(parts[1])
        let singular = ["minute", "hour", "day"]
        let plural = ["minutes", "hours", "days"]
        if number == 1 {
            guard singular.contains(unit) else {
                throw fail("a rate of 1 takes a singular unit (minute, hour or day), not \(TemplateValue.string(unit))")
            }
        } else {
            guard plural.contains(unit) else {
                throw fail("a rate of \(number) takes a plural unit (minutes, hours or days), not \(TemplateValue.string(unit))")
            }
        }
    }

    // MARK: - cron

    /// One cron field's name, bounds, names and allowed special characters.
    private struct Field {
        let name: String
        let range: ClosedRange<Int>
        var names: [String] = []
        var question = false
        var dayOfMonthSpecials = false
        var dayOfWeekSpecials = false

        /// The number a value stands for: digits within bounds, or a name (JAN, MON…).
        func number(_ text: Substring) -> Int? {
            if !text.isEmpty, text.allSatisfy(\.isASCIIDigit) {
                guard let value = Int(text), range.contains(value) else { return nil }
                return value
            }
            if let index = names.firstIndex(of: text.uppercased()) { return range.lowerBound + index }
            return nil
        }
    }

    private static let fields: [Field] = [
        Field(name: "minutes", range: 0...59),
        Field(name: "hours", range: 0...23),
        Field(name: "day-of-month", range: 1...31, question: true, dayOfMonthSpecials: true),
        Field(name: "month", range: 1...12, names: ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"]),
        Field(name: "day-of-week", range: 1...7, names: ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"], question: true,
              dayOfWeekSpecials: true),
        Field(name: "year", range: 1970...2199),
    ]

    private static func checkCron(_ body: String, _ fail: (String) -> Invalid) throws(Invalid) {
        let values = body.split(separator: " ", omittingEmptySubsequences: true)
        guard values.count == 6 else {
            throw fail("cron takes six fields (minutes hours day-of-month month day-of-week year), found \(values.count)")
        }
        for (field, value) in zip(fields, values) {
            try check(value, field, fail)
        }
        let dayOfMonth = values[2], dayOfWeek = values[4]
        switch (dayOfMonth == "?", dayOfWeek == "?") {
        case (true, true):
            throw fail("day-of-month and day-of-week are both \"?\"; exactly one of them must be \"?\"")
        case (false, false):
            throw fail("day-of-month \(TemplateValue.string(String(dayOfMonth))) and day-of-week \(TemplateValue.string(String(dayOfWeek))) are both set; EventBridge cannot combine them, so one must be \"?\"")
        default:
            break
        }
    }

    private static func check(_ value: Substring, _ field: Field, _ fail: (String) -> Invalid) throws(Invalid) {
        let shown = "\(field.name) field \(TemplateValue.string(String(value)))"
        if value == "?" {
            guard field.question else { throw fail("\(shown): \"?\" is allowed only in day-of-month and day-of-week") }
            return
        }
        for item in value.split(separator: ",", omittingEmptySubsequences: false) {
            guard !item.isEmpty else { throw fail("\(shown): an empty entry in the list") }
            if item == "?" { throw fail("\(shown): \"?\" must stand alone") }
            if let reason = problem(with: item, field) {
                throw fail("\(shown): \(reason)")
            }
        }
    }

    /// What is wrong with one comma-separated entry of a field, or nil.
    private static func problem(with item: Substring, _ field: Field) -> String? {
        let bounds = field.names.isEmpty
            ? "\(field.range.lowerBound)-\(field.range.upperBound)"
            : "\(field.range.lowerBound)-\(field.range.upperBound) or \(field.names.first ?? "")-\(field.names.last ?? "")"
        // Day-of-month specials: L, LW, <day>W.
        if field.dayOfMonthSpecials && (item == "L" || item == "LW") { return nil }
        if field.dayOfMonthSpecials && item.hasSuffix("W") {
            return field.number(item.dropLast()) == nil ? "\(TemplateValue.string(String(item))): W follows a day of the month \(bounds)" : nil
        }
        // Day-of-week specials: L, <day>L, <day>#<1-5>.
        if field.dayOfWeekSpecials && item == "L" { return nil }
        if field.dayOfWeekSpecials && item.hasSuffix("L") {
            return field.number(item.dropLast()) == nil ? "\(TemplateValue.string(String(item))): L follows a day of the week \(bounds)" : nil
        }
        if field.dayOfWeekSpecials, let hash = item.firstIndex(of: "#") {
            let day = item[..<hash], nth = item[item.index(after: hash)...]
            guard field.number(day) != nil else { return "\(TemplateValue.string(String(item))): # follows a day of the week \(bounds)" }
            guard nth.count == 1, let n = Int(nth), (1...5).contains(n) else {
                return "\(TemplateValue.string(String(item))): # is followed by the week of the month, 1-5"
            }
            return nil
        }
        // Increments: <start>/<step>, the start being *, a value or a range.
        var base = item
        if let slash = item.firstIndex(of: "/") {
            base = item[..<slash]
            let step = item[item.index(after: slash)...]
            guard !step.isEmpty, step.allSatisfy(\.isASCIIDigit), let n = Int(step), n >= 1, n <= field.range.upperBound else {
                return "\(TemplateValue.string(String(item))): the increment after / must be a whole number from 1 to \(field.range.upperBound)"
            }
        }
        if base == "*" { return nil }
        let valid: Bool
        if let dash = base.firstIndex(of: "-") {
            valid = field.number(base[..<dash]) != nil && field.number(base[base.index(after: dash)...]) != nil
        } else {
            valid = field.number(base) != nil
        }
        if valid { return nil }
        return base.contains("-")
            ? "\(TemplateValue.string(String(base))): a range needs two values within \(bounds)"
            : "\(TemplateValue.string(String(base))) is not a value within \(bounds)"
    }
}

extension Character {
    /// `0`–`9` only (not other Unicode digits).
    var isASCIIDigit: Bool { ("0"..."9").contains(self) }
}
