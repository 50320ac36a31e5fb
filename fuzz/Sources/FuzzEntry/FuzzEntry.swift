import FormationFuzz
#if canImport(Glibc)
import Glibc
#endif

/// libFuzzer's callback (libFuzzer supplies main): each input through the target that
/// `FORMATION_FUZZ_TARGET` names (json, yaml, validate, convert; FUZZING.md, `make fuzz`).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOne(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    selectedTarget.run(UnsafeRawBufferPointer(start: data, count: size))
    return 0
}

let selectedTarget: FuzzTarget = {
    let name = getenv("FORMATION_FUZZ_TARGET").map { String(cString: $0) } ?? ""
    guard let target = FuzzTarget(rawValue: name) else {
        let message = "set FORMATION_FUZZ_TARGET to one of: \(FuzzTarget.allCases.map(\.rawValue).joined(separator: ", "))\n"
        _ = message.withCString { write(2, $0, strlen($0)) }
        exit(2)
    }
    return target
}()
