/// Quoting for a POSIX shell (sh, bash, zsh, dash).
enum ShellQuoting {
    /// `word` as one shell word: as is when it has only characters no shell treats specially,
    /// otherwise in single quotes, with each `'` written as `'\''`.
    static func quote(_ word: String) -> String {
        // A leading `=` is special to zsh (`=cmd` expands to the command's path).
        if !word.isEmpty && !word.hasPrefix("=") && word.unicodeScalars.allSatisfy(isSafe) { return word }
        return "'" + word.replacingAll("'", with: "'\\''") + "'"
    }

    /// Characters that never need quoting.
    private static func isSafe(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar {
        case "a"..."z", "A"..."Z", "0"..."9": true
        case "_", "-", ".", "/", ":", ",", "=", "+", "@", "%": true
        default: false
        }
    }
}

extension String {
    /// The string with every occurrence of `target` replaced (no Foundation needed).
    func replacingAll(_ target: Character, with replacement: String) -> String {
        var result = ""
        for character in self {
            if character == target { result += replacement } else { result.append(character) }
        }
        return result
    }
}
