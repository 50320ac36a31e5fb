/// How a registry-schema `pattern` is applied: AWS matches a pattern without anchors against the
/// **whole** value, so such a pattern is applied as `^…$`; an anchored one is searched for, as
/// JSON Schema says. Shared by the validator (`FormationResources.SchemaPattern`) and the code
/// generator's documentation, so both show and apply the same form.
public enum PatternAnchoring {
    /// Whether the pattern has an anchor (`^`, `$`, `\A`, `\Z`, `\z`) outside a character class.
    public static func isAnchored(_ pattern: String) -> Bool {
        scan(pattern) { character, _ in character == "^" || character == "$" }
    }

    /// Whether the pattern has a `|` outside groups and classes.
    public static func hasTopLevelAlternation(_ pattern: String) -> Bool {
        scan(pattern) { character, depth in character == "|" && depth == 0 }
    }

    /// The pattern as it is applied: unchanged when anchored, otherwise `^…$` (with a group
    /// when the pattern has a top-level `|`).
    public static func anchored(_ pattern: String) -> String {
        if isAnchored(pattern) { return pattern }
        return hasTopLevelAlternation(pattern) ? "^(?:" + pattern + ")$" : "^" + pattern + "$"
    }

    /// Calls `found` for each unescaped character outside classes, with the group depth.
    private static func scan(_ pattern: String, _ found: (Character, Int) -> Bool) -> Bool {
        var escaped = false
        var inClass = false
        var classStart = false
        var depth = 0
        for character in pattern {
            if escaped {
                escaped = false
                classStart = false
                if !inClass {
                    if character == "A" && found("^", depth) { return true }
                    if (character == "Z" || character == "z") && found("$", depth) { return true }
                }
                continue
            }
            if inClass {
                if character == "\\" {
                    escaped = true
                } else if character == "]" && !classStart {
                    inClass = false
                }
                classStart = classStart && character == "^"
                continue
            }
            switch character {
            case "\\": escaped = true
            case "[":
                inClass = true
                classStart = true
                continue
            case "(": depth += 1
            case ")": depth -= 1
            default: if found(character, depth) { return true }
            }
        }
        return false
    }
}
