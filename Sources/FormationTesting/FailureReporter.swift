import Testing
import XCTest

/// Where an assertion was written: the caller's `#fileID`, `#filePath`, `#line` and `#column`.
struct CallSite: Sendable {
    let fileID: String
    let filePath: StaticString
    let line: UInt
    let column: UInt
}

/// Turns failed assertions into test failures in whichever framework is running the test.
enum FailureReporter {
    /// The framework failures go to.
    enum Framework: Sendable, Equatable {
        /// Swift Testing: `Issue.record(_:sourceLocation:)`.
        case swiftTesting
        /// XCTest: `XCTFail(_:file:line:)`.
        case xcTest
    }

    /// Swift Testing when the current task runs a Swift Testing test, XCTest otherwise.
    static var framework: Framework {
        Test.current != nil ? .swiftTesting : .xcTest
    }

    /// Records `message` as a failure at `site`.
    static func record(_ message: String, at site: CallSite) {
        switch framework {
        case .swiftTesting:
            Issue.record(Comment(rawValue: message), sourceLocation: sourceLocation(site))
        case .xcTest:
            XCTFail(message, file: site.filePath, line: site.line)
        }
    }

    /// A Swift Testing source location for `site`, with the values Swift Testing requires
    /// (a module-qualified file ID, positive line and column) even when a caller passed others.
    static func sourceLocation(_ site: CallSite) -> SourceLocation {
        let fileID = site.fileID.contains("/") ? site.fileID : "Unknown/" + (site.fileID.isEmpty ? "Unknown.swift" : site.fileID)
        return SourceLocation(
            fileID: fileID,
            filePath: "\(site.filePath)",
            line: Int(clamping: max(1, site.line)),
            column: Int(clamping: max(1, site.column)))
    }
}
