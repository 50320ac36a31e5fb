import Testing
@testable import Formation

/// The byte search the checkov comment scan uses before it reads a template line by line.
@Suite struct ContainsASCIITests {
    @Test func findsTheNeedleAnywhereAndOnlyWhole() {
        #expect(containsASCII("checkov:skip=", "checkov:skip="))
        #expect(containsASCII("a # checkov:skip=X", "checkov:skip="))
        #expect(containsASCII("ééé checkov:skip=", "checkov:skip="), "after multi-byte characters")
        #expect(containsASCII("cchecheckov:skip=", "checkov:skip="), "after a partial match")
        #expect(!containsASCII("checkov:skip", "checkov:skip="), "the needle's last byte missing")
        #expect(!containsASCII("", "checkov:skip="))
        #expect(!containsASCII("checkov: skip=", "checkov:skip="))
        #expect(containsASCII("anything", ""))
    }
}
