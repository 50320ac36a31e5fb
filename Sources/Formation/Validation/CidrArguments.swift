/// `Fn::Cidr [ipBlock, count, cidrBits]` with literal arguments, checked as CloudFormation
/// evaluates it: the block an IPv4 or IPv6 CIDR, count 1–256, cidrBits 0–128 (cfn-lint's E1017
/// bounds), and — when all three are literals — subnets of `cidrBits` host bits that fit the block
/// `count` times. A computed argument (a parameter, `!GetAtt Vpc.CidrBlock`) is not judged.
enum CidrArguments {
    static func problem(block: TemplateValue, count: TemplateValue, bits: TemplateValue) -> String? {
        let countValue = integer(count), bitsValue = integer(bits)
        if let countValue, !(1...256).contains(countValue) { return "count \(countValue) is outside 1–256" }
        if let bitsValue, !(0...128).contains(bitsValue) { return "cidrBits \(bitsValue) is outside 0–128" }
        guard case .string(let text) = block else { return nil }
        guard let (width, prefix) = parse(text) else {
            return "\(TemplateValue.string(text)) is not an IPv4 or IPv6 CIDR block (such as 10.0.0.0/16)"
        }
        guard let countValue, let bitsValue else { return nil }
        if bitsValue > width - prefix {
            return "cidrBits \(bitsValue) makes /\(width - bitsValue) subnets, larger than the /\(prefix) block \(text)"
        }
        let room = width - prefix - bitsValue  // subnet-number bits
        if room < 9 && countValue > 1 << room {
            return "the /\(prefix) block \(text) holds \(1 << room) subnets of /\(width - bitsValue), not \(countValue)"
        }
        return nil
    }

    /// A literal whole number: `6` or `"6"`.
    static func integer(_ value: TemplateValue) -> Int? {
        switch value {
        case .int(let number): Int(exactly: number)
        case .string(let text), .number(let text): Int(text)
        default: nil
        }
    }

    /// The address width (32 or 128) and prefix length of a CIDR block, nil when malformed.
    static func parse(_ text: String) -> (width: Int, prefix: Int)? {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let prefix = Int(parts[1]), parts[1].allSatisfy(\.isASCII) else { return nil }
        let address = parts[0]
        if address.contains(":") {
            guard (0...128).contains(prefix), isIPv6(address) else { return nil }
            return (128, prefix)
        }
        let octets = address.split(separator: ".", omittingEmptySubsequences: false)
        guard octets.count == 4, (0...32).contains(prefix),
              octets.allSatisfy({ !$0.isEmpty && $0.count <= 3 && $0.allSatisfy(\.isASCII) && Int($0).map { (0...255).contains($0) } == true }) else { return nil }
        return (32, prefix)
    }

    /// An IPv6 address as RFC 4291 writes it: eight groups of up to four hex digits, or fewer
    /// with one `::`.
    static func isIPv6(_ address: Substring) -> Bool {
        var halves: [Substring] = [address]
        if let gap = address.firstRange(of: "::") {
            halves = [address[..<gap.lowerBound], address[gap.upperBound...]]
            if halves[1].contains("::") { return false }
        }
        let groups: [Substring] = halves.flatMap { half -> [Substring] in
            half.isEmpty ? [] : half.split(separator: ":", omittingEmptySubsequences: false)
        }
        guard groups.allSatisfy({ group in !group.isEmpty && group.count <= 4 && group.allSatisfy { $0.isHexDigit } }) else { return false }
        return halves.count == 2 ? groups.count < 8 : groups.count == 8
    }
}
