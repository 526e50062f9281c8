import Foundation
import Testing

@testable import SCIMServer

/// The hand-written percent decoder of paths and query strings must agree with Foundation's
/// `removingPercentEncoding`, which it replaced for speed, on every input, malformed ones too.
@Suite("Percent decoding of paths and query parameters")
struct PercentDecodingTests {
    static let samples: [String] = [
        "", "Users", "a+b", "a%20b", "%2B", "caf%C3%A9", "jos%C3%A9%40x.com", "%", "%2", "%zz", "abc%",
        "%C3", "%FF%FE", "%e2%82%ac", "100%25", "userName+eq+%22bjensen%22", "+%2b+", "%00", "😀%F0%9F%98%80",
    ]

    @Test("agrees with Foundation, with and without + as a space", arguments: samples)
    func agreesWithFoundation(_ sample: String) {
        #expect(HTTPMessages.percentDecoded(Substring(sample), plusIsSpace: false) == sample.removingPercentEncoding)
        let spaced = sample.replacingOccurrences(of: "+", with: " ")
        #expect(HTTPMessages.percentDecoded(Substring(sample), plusIsSpace: true) == spaced.removingPercentEncoding)
    }

    @Test("paths and queries decode through it; malformed escapes stay as sent")
    func pathsAndQueries() {
        #expect(HTTPMessages.segments("/scim//v2/Users/a%2Fb/") == ["scim", "v2", "Users", "a/b"])
        #expect(HTTPMessages.segments("/Users/100%") == ["Users", "100%"])
        let items = HTTPMessages.queryItems("filter=userName+eq+%22a%2Bb%22&&count=5&bad=%zz+x")
        #expect(items.map(\.0) == ["filter", "count", "bad"])
        #expect(items.map(\.1) == [#"userName eq "a+b""#, "5", "%zz x"])
    }
}
