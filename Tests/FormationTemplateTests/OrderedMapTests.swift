import Testing
@testable import FormationTemplate

@Suite struct OrderedMapTests {
    /// Appending distinct keys gives the same map as setting them, below and above the size at
    /// which the map keeps a key index; lookups, replacement and removal work afterwards.
    @Test(arguments: [0, 1, 5, 12, 13, 14, 40])
    func appendDistinctEqualsSettingDistinctKeys(_ count: Int) {
        var appended = OrderedMap()
        var set = OrderedMap()
        for offset in 0..<count {
            appended.appendDistinct("K\(offset)", .int(Int64(offset)))
            set["K\(offset)"] = .int(Int64(offset))
        }
        #expect(appended == set)
        #expect(appended.keys == (0..<count).map { "K\($0)" })
        for offset in 0..<count {
            #expect(appended["K\(offset)"] == .int(Int64(offset)))
            #expect(appended.position(of: "K\(offset)") == offset)
        }
        #expect(appended["absent"] == nil)
        guard count > 2 else { return }
        appended["K0"] = "replaced"
        #expect(appended.keys.first == "K0" && appended["K0"] == "replaced" && appended.count == count)
        appended["K1"] = nil
        #expect(appended["K1"] == nil && appended.count == count - 1 && appended["K2"] == .int(2))
    }
}
