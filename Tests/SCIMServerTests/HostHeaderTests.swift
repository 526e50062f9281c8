import Foundation
import SCIMCore
import SCIMServer
import Testing

/// Defect 4: the URLs zscim writes (`Location`, `meta.location`, `$ref`) never come from a
/// client-chosen `Host` or forwarded header unless the operator allowed that host, and forwarded
/// headers count only from a trusted proxy. Over real sockets, so the peer address is real.
@Suite("Host header and forwarded headers")
struct HostHeaderTests {
    static let userBody = #"{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"ann@example.com"}"#

    /// POSTs a user with `host` and `headers`; returns the `Location` header and `meta.location`.
    static func createUser(port: Int, token: String, host: String, headers: [(String, String)] = []) async throws -> (
        location: String?, metaLocation: String?
    ) {
        let connection = try await RawConnection.open(port: port)
        let answer = try await connection.request(
            "POST", "/scim/v2/Users", host: host, headers: [("Authorization", "Bearer \(token)")] + headers, body: userBody)
        await connection.close()
        #expect(answer.status == 201, "\(answer.text)")
        let json = try JSONParser().parse(answer.body)
        return (answer.header("Location"), json["meta"]?["location"]?.stringValue)
    }

    @Test("a forged Host is never reflected: the URLs name the address the connection arrived on")
    func evilHost() async throws {
        let harness = try await ServerHarness()
        let token = harness.acmeToken
        try await harness.live { port in
            let (location, meta) = try await Self.createUser(port: port, token: token, host: "evil.example")
            let expected = "http://127.0.0.1:\(port)/scim/v2/Users/"
            #expect(location?.hasPrefix(expected) == true, "\(location ?? "no Location")")
            #expect(meta == location)
            #expect(location?.contains("evil") == false)

            // Discovery documents too, and forwarded headers from an untrusted peer change nothing.
            let connection = try await RawConnection.open(port: port)
            let config = try await connection.request(
                "GET", "/scim/v2/ServiceProviderConfig", host: "evil.example",
                headers: [("X-Forwarded-Host", "evil.example"), ("X-Forwarded-Proto", "https"), ("Forwarded", "host=evil.example")])
            await connection.close()
            let configLocation = try JSONParser().parse(config.body)["meta"]?["location"]?.stringValue
            #expect(configLocation == "http://127.0.0.1:\(port)/scim/v2/ServiceProviderConfig")
        }
    }

    @Test("an allowed Host is used, in any case; a port it was not listed with is not")
    func allowedHost() async throws {
        var harness = try await ServerHarness()
        harness.serverConfiguration.allowedHosts = ["scim.example.com", "scim.example.com:8443"]
        let token = harness.acmeToken
        try await harness.live { port in
            let (location, meta) = try await Self.createUser(port: port, token: token, host: "SCIM.example.com")
            #expect(location?.hasPrefix("http://scim.example.com/scim/v2/Users/") == true, "\(location ?? "no Location")")
            #expect(meta == location)

            let connection = try await RawConnection.open(port: port)
            let withPort = try await connection.request("GET", "/scim/v2/ServiceProviderConfig", host: "scim.example.com:8443")
            let otherPort = try await connection.request("GET", "/scim/v2/ServiceProviderConfig", host: "scim.example.com:6666")
            await connection.close()
            #expect(
                try JSONParser().parse(withPort.body)["meta"]?["location"]?.stringValue?.hasPrefix("http://scim.example.com:8443/") == true)
            #expect(
                try JSONParser().parse(otherPort.body)["meta"]?["location"]?.stringValue
                    == "http://127.0.0.1:\(port)/scim/v2/ServiceProviderConfig")
        }
    }

    @Test("forwarded headers from a peer that is not a trusted proxy are ignored")
    func untrustedProxy() async throws {
        var harness = try await ServerHarness()
        harness.serverConfiguration.allowedHosts = ["scim.example.com", "internal.example"]
        harness.serverConfiguration.trustedProxies = [try IPAddressRange("10.0.0.0/8"), try IPAddressRange("::2")]
        let token = harness.acmeToken
        try await harness.live { port in
            let (location, _) = try await Self.createUser(
                port: port, token: token, host: "internal.example",
                headers: [("X-Forwarded-Proto", "https"), ("X-Forwarded-Host", "scim.example.com")])
            #expect(location?.hasPrefix("http://internal.example/scim/v2/Users/") == true, "\(location ?? "no Location")")
        }
    }

    @Test("a trusted proxy's X-Forwarded-Proto/Host and Forwarded are honoured, the host still within the allow-list")
    func trustedProxy() async throws {
        var harness = try await ServerHarness()
        harness.serverConfiguration.allowedHosts = ["scim.example.com", "other.example.com"]
        harness.serverConfiguration.trustedProxies = [try IPAddressRange("127.0.0.0/8")]
        let token = harness.acmeToken
        try await harness.live { port in
            let (location, meta) = try await Self.createUser(
                port: port, token: token, host: "127.0.0.1:\(port)",
                headers: [("X-Forwarded-Proto", "https"), ("X-Forwarded-Host", "scim.example.com, proxy.internal")])
            #expect(location?.hasPrefix("https://scim.example.com/scim/v2/Users/") == true, "\(location ?? "no Location")")
            #expect(meta == location)

            let connection = try await RawConnection.open(port: port)
            let standard = try await connection.request(
                "GET", "/scim/v2/ServiceProviderConfig", host: "127.0.0.1",
                headers: [("Forwarded", #"for=192.0.2.1;proto=https;host="other.example.com", for=10.0.0.1"#)])
            // A trusted proxy passing on a host nobody allowed does not get it reflected either.
            let unlisted = try await connection.request(
                "GET", "/scim/v2/ServiceProviderConfig", host: "127.0.0.1", headers: [("X-Forwarded-Host", "evil.example")])
            await connection.close()
            #expect(
                try JSONParser().parse(standard.body)["meta"]?["location"]?.stringValue
                    == "https://other.example.com/scim/v2/ServiceProviderConfig")
            #expect(
                try JSONParser().parse(unlisted.body)["meta"]?["location"]?.stringValue
                    == "http://127.0.0.1:\(port)/scim/v2/ServiceProviderConfig")
        }
    }

    @Test("the public base URL wins over every header")
    func publicBaseURL() async throws {
        var harness = try await ServerHarness()
        harness.serverConfiguration.publicBaseURL = "https://bridge.example.com/"
        harness.serverConfiguration.allowedHosts = ["scim.example.com"]
        harness.serverConfiguration.trustedProxies = [try IPAddressRange("127.0.0.1")]
        let token = harness.acmeToken
        try await harness.live { port in
            let (location, _) = try await Self.createUser(
                port: port, token: token, host: "scim.example.com", headers: [("X-Forwarded-Host", "scim.example.com")])
            #expect(location?.hasPrefix("https://bridge.example.com/scim/v2/Users/") == true, "\(location ?? "no Location")")
        }
    }

    @Test("trusted-proxy entries: addresses and networks, IPv4 and IPv6, IPv4-mapped peers; bad entries say why")
    func addressRanges() throws {
        let network = try IPAddressRange("10.1.0.0/16")
        #expect(network.contains("10.1.255.7"))
        #expect(!network.contains("10.2.0.1"))
        #expect(network.contains("::ffff:10.1.2.3"))
        #expect(try IPAddressRange("10.1.2.3/16").description == "10.1.0.0/16")
        let v6 = try IPAddressRange("fd00::/8")
        #expect(v6.contains("fd12:3456::1"))
        #expect(!v6.contains("fe80::1"))
        #expect(!v6.contains("10.0.0.1"))
        #expect(try IPAddressRange("::1").contains("::1"))
        #expect(try IPAddressRange("0.0.0.0/0").contains("203.0.113.9"))
        for bad in ["", "10.0.0.0/33", "10.0.0.0/-1", "10.0.0.0/8x", "proxy.example", "::1/129", "10.0.0"] {
            #expect(throws: InvalidAddressRange.self, "\(bad)") { try IPAddressRange(bad) }
        }
        #expect(ServerConfiguration.isValidAllowedHost("scim.example.com"))
        #expect(ServerConfiguration.isValidAllowedHost("scim.example.com:8443"))
        #expect(ServerConfiguration.isValidAllowedHost("[::1]:8080"))
        for bad in ["", "https://scim.example.com", "scim.example.com/x", "a@b", "host:0", "host:99999", "-bad.example", "a..b"] {
            #expect(!ServerConfiguration.isValidAllowedHost(bad), "\(bad)")
        }
    }
}
