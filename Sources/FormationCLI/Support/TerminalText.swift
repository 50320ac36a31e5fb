/// Text for a terminal: what a hostile file could smuggle into a diagnostic line, made visible.
enum TerminalText {
    /// The escape sequences `Palette` writes: kept when colors are on.
    static let paletteCodes: [String] = ["\u{1B}[0m", "\u{1B}[1m", "\u{1B}[1;31m", "\u{1B}[1;32m", "\u{1B}[1;33m", "\u{1B}[1;36m"]

    /// `text` with every control character but line feed and tab written as `\u{XX}`: C0
    /// (escape, carriage return, backspace, bell, …), DEL, C1 (U+0080–U+009F, where U+009B starts
    /// a sequence as escape-[ does) and the bidirectional overrides and isolates
    /// (U+202A–U+202E, U+2066–U+2069) that reorder what a reader sees. With `colors`, the
    /// palette's own sequences stay as they are.
    static func visible(_ text: String, colors: Bool) -> String {
        guard text.unicodeScalars.contains(where: hidden) else { return text }
        let scalars = Array(text.unicodeScalars)
        let codes = paletteCodes.map { Array($0.unicodeScalars) }
        var result = String.UnicodeScalarView()
        var index = 0
        while index < scalars.count {
            let scalar = scalars[index]
            if colors, scalar == "\u{1B}", let code = codes.first(where: { scalars[index...].starts(with: $0) }) {
                result.append(contentsOf: code)
                index += code.count
                continue
            }
            if hidden(scalar) {
                result.append(contentsOf: ("\\u{" + String(scalar.value, radix: 16, uppercase: true) + "}").unicodeScalars)
            } else {
                result.append(scalar)
            }
            index += 1
        }
        return String(result)
    }

    /// Whether a terminal would act on `scalar` rather than show it.
    static func hidden(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x0A, 0x09: return false
        case 0x00...0x1F, 0x7F...0x9F, 0x202A...0x202E, 0x2066...0x2069: return true
        default: return false
        }
    }
}
