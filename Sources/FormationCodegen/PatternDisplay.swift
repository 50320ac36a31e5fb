/// Text for generated documentation. Patterns are shown as applied
/// (`FormationTemplate.PatternAnchoring`).
public enum PatternDisplay {
    /// Text safe inside a `///` comment line (control characters escaped).
    static func docSafe(_ text: String) -> String {
        var out = ""
        for scalar in text.unicodeScalars {
            if scalar.value < 0x20 || scalar.value == 0x7F {
                out += "\\u{" + String(scalar.value, radix: 16) + "}"
            } else {
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}
