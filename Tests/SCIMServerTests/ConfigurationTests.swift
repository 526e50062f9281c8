import Foundation
import SCIMCore
import Testing

/// zscim's typed configuration, as an operator meets it: the built binary with flags, `ZSCIM_*`
/// variables and a JSON config file, checked through `serve --print-config` (which resolves
/// every setting and exits) and through the errors it refuses to start with.
@Suite("zscim configuration (executable)")
struct ConfigurationTests {
    static func withFile(_ json: String, _ body: (URL, String) throws -> Void) throws {
        let dir = try CommandLineTests.tempDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("zscim.json").path
        try Data(json.utf8).write(to: URL(fileURLWithPath: path))
        try body(dir, path)
    }

    static func line(_ output: String, _ key: String) -> String? {
        output.split(separator: "\n").map(String.init).first { $0.hasPrefix("\(key) = ") }
    }

    @Test("flag beats environment beats config file beats default, and each value says where it came from")
    func precedence() throws {
        try Self.withFile(#"{"port": 7001, "host": "127.0.0.3", "requestTimeout": 12.5, "allowedHosts": ["a.example"]}"#) { dir, path in
            let env = ["ZSCIM_PORT": "7002", "ZSCIM_ALLOWED_HOSTS": "b.example, c.example:8443"]
            let all = try CommandLineTests.run(["serve", "--config", path, "--port", "7003", "--print-config"], in: dir, environment: env)
            #expect(all.status == 0, "\(all.err)")
            #expect(Self.line(all.out, "port") == "port = 7003  (--port)")
            #expect(Self.line(all.out, "host") == "host = 127.0.0.3  (\"host\" in \(path))")
            #expect(Self.line(all.out, "allowedHosts") == "allowedHosts = [b.example, c.example:8443]  (ZSCIM_ALLOWED_HOSTS)")
            #expect(Self.line(all.out, "requestTimeout") == "requestTimeout = 12.5s  (\"requestTimeout\" in \(path))")
            #expect(Self.line(all.out, "idleTimeout") == "idleTimeout = 60s  (default)")

            let noFlag = try CommandLineTests.run(
                ["serve", "--print-config"], in: dir, environment: env.merging(["ZSCIM_CONFIG": path]) { $1 })
            #expect(Self.line(noFlag.out, "port") == "port = 7002  (ZSCIM_PORT)", "\(noFlag.err)")

            let fileOnly = try CommandLineTests.run(["serve", "--config", path, "--print-config"], in: dir)
            #expect(Self.line(fileOnly.out, "port") == "port = 7001  (\"port\" in \(path))", "\(fileOnly.err)")
            #expect(Self.line(fileOnly.out, "allowedHosts") == "allowedHosts = [a.example]  (\"allowedHosts\" in \(path))")

            let defaults = try CommandLineTests.run(["serve", "--print-config"], in: dir)
            #expect(Self.line(defaults.out, "port") == "port = 8080  (default)")
            #expect(Self.line(defaults.out, "secretKeyFile") == "secretKeyFile = zscim.sqlite.key  (default: the database path + .key)")
        }
    }

    @Test("an unknown key in the config file is refused, naming it and listing the keys there are")
    func unknownKey() throws {
        try Self.withFile(#"{"port": 8080, "prot": 8081}"#) { dir, path in
            for arguments in [["serve", "--config", path, "--print-config"], ["tenant", "list", "--config", path]] {
                let result = try CommandLineTests.run(arguments, in: dir)
                #expect(result.status != 0)
                #expect(result.err.contains("unknown key \"prot\""), "\(result.err)")
                #expect(result.err.contains("allowedHosts, anonymousDiscovery, database"), "\(result.err)")
            }
        }
    }

    @Test("a bad port is refused with what to fix, wherever it comes from")
    func badPort() throws {
        try Self.withFile(#"{"port": "8080"}"#) { dir, path in
            let flag = try CommandLineTests.run(["serve", "--port", "70000", "--print-config"], in: dir)
            #expect(flag.status != 0)
            #expect(flag.err.contains("port (--port): 70000 is not a port; use 0–65535"), "\(flag.err)")

            let env = try CommandLineTests.run(["serve", "--print-config"], in: dir, environment: ["ZSCIM_PORT": "http"])
            #expect(env.status != 0)
            #expect(env.err.contains("ZSCIM_PORT=http is not an integer"), "\(env.err)")

            let file = try CommandLineTests.run(["serve", "--config", path, "--print-config"], in: dir)
            #expect(file.status != 0)
            #expect(file.err.contains("\"port\" must be an integer (e.g. 8080), not the string \"8080\""), "\(file.err)")
        }
    }

    @Test("wrong types and unusable values are refused clearly: lists, durations, proxies, hosts, URLs, log levels")
    func badValues() throws {
        let cases: [(json: String?, arguments: [String], environment: [String: String], message: String)] = [
            (#"{"allowedHosts": "a.example"}"#, [], [:], "\"allowedHosts\" must be a list of strings, not the string"),
            (#"{"anonymousDiscovery": "false"}"#, [], [:], "\"anonymousDiscovery\" must be true or false"),
            (#"[1]"#, [], [:], "is not a JSON object: its top level is array"),
            (#"{"port": 1, "port": 2}"#, [], [:], "is not valid JSON: invalid JSON at line 1, column 13: duplicate member name"),
            (nil, ["--trusted-proxy", "10.0.0.0/33"], [:], "trustedProxies (--trusted-proxy): 10.0.0.0/33 is not an address or network"),
            (nil, [], ["ZSCIM_TRUSTED_PROXIES": "10.0.0.1,proxy.internal"], "proxy.internal is not an address or network"),
            (nil, ["--allowed-host", "https://scim.example.com"], [:], "\"https://scim.example.com\" is not a host name"),
            (nil, ["--idle-timeout", "0"], [:], "idleTimeout (--idle-timeout): 0.0 is not a number of seconds greater than 0"),
            (nil, [], ["ZSCIM_REQUEST_TIMEOUT": "soon"], "ZSCIM_REQUEST_TIMEOUT=soon is not a number of seconds"),
            (nil, ["--max-connections", "0"], [:], "maxConnections (--max-connections): 0 would serve nobody"),
            (nil, ["--public-base-url", "scim.example.com"], [:], "is not an http(s) origin"),
            (nil, [], ["ZSCIM_LOG_LEVEL": "loud"], "loud is not a log level; use one of trace, debug"),
            (nil, [], ["ZSCIM_ANONYMOUS_DISCOVERY": "maybe"], "ZSCIM_ANONYMOUS_DISCOVERY=maybe is not true or false"),
        ]
        for item in cases {
            try Self.withFile(item.json ?? "{}") { dir, path in
                let result = try CommandLineTests.run(
                    ["serve", "--config", path] + item.arguments + ["--print-config"], in: dir, environment: item.environment)
                #expect(result.status != 0, "\(item)")
                #expect(result.err.contains(item.message), "\(item.message) not in: \(result.err)")
            }
        }
    }

    @Test("the secret key is redacted when the settings are printed, and refused in the config file")
    func secrets() throws {
        let key = Data((0..<32).map { UInt8($0) }).base64EncodedString()
        try Self.withFile(#"{"secretKey": "\#(key)"}"#) { dir, path in
            let printed = try CommandLineTests.run(["serve", "--print-config"], in: dir, environment: ["ZSCIM_SECRET_KEY": key])
            #expect(printed.status == 0, "\(printed.err)")
            #expect(Self.line(printed.out, "secretKey") == "secretKey = <redacted>  (ZSCIM_SECRET_KEY)")
            #expect(!printed.out.contains(key))

            let inFile = try CommandLineTests.run(["serve", "--config", path, "--print-config"], in: dir)
            #expect(inFile.status != 0)
            #expect(inFile.err.contains("sets \"secretKey\", which is secret and not read from files"), "\(inFile.err)")
            #expect(!inFile.err.contains(key))
        }
    }

    @Test("the new server settings come through from flags (repeatable), the environment and the file")
    func serverSettings() throws {
        try Self.withFile(#"{"trustedProxies": ["10.0.0.0/8"], "idleTimeout": 15, "maxConnections": 64, "readinessTimeout": 0.5}"#) {
            dir, path in
            let result = try CommandLineTests.run(
                [
                    "serve", "--config", path, "--allowed-host", "scim.example.com", "--allowed-host", "SCIM.example.com:8443",
                    "--require-token-for-discovery", "--print-config",
                ],
                in: dir, environment: ["ZSCIM_REQUEST_TIMEOUT": "45", "ZSCIM_GROUP_PATCH_NO_CONTENT": "true"])
            #expect(result.status == 0, "\(result.err)")
            #expect(Self.line(result.out, "allowedHosts") == "allowedHosts = [scim.example.com, scim.example.com:8443]  (--allowed-host)")
            #expect(Self.line(result.out, "trustedProxies") == "trustedProxies = [10.0.0.0/8]  (\"trustedProxies\" in \(path))")
            #expect(Self.line(result.out, "idleTimeout") == "idleTimeout = 15s  (\"idleTimeout\" in \(path))")
            #expect(Self.line(result.out, "maxConnections") == "maxConnections = 64  (\"maxConnections\" in \(path))")
            #expect(Self.line(result.out, "requestTimeout") == "requestTimeout = 45s  (ZSCIM_REQUEST_TIMEOUT)")
            #expect(Self.line(result.out, "readinessTimeout") == "readinessTimeout = 0.5s  (\"readinessTimeout\" in \(path))")
            #expect(Self.line(result.out, "anonymousDiscovery") == "anonymousDiscovery = false  (--require-token-for-discovery)")
            #expect(Self.line(result.out, "groupPatchNoContent") == "groupPatchNoContent = true  (ZSCIM_GROUP_PATCH_NO_CONTENT)")
        }
    }

    @Test("serve --group-patch-no-content (listed in the README) reaches the service: a group PATCH answers 204")
    func groupPatchNoContent() async throws {
        let dir = try CommandLineTests.tempDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let (process, port, token) = try await CommandLineTests.startServe(in: dir, extra: ["--group-patch-no-content"])
        defer { if process.isRunning { process.terminate() } }
        let connection = try await RawConnection.open(port: port)
        let auth = [("Authorization", "Bearer \(token)")]
        let created = try await connection.request(
            "POST", "/scim/v2/Groups", host: "127.0.0.1", headers: auth,
            body: #"{"schemas":["urn:ietf:params:scim:schemas:core:2.0:Group"],"displayName":"Ops"}"#)
        #expect(created.status == 201, "\(created.text)")
        let id = try #require(try JSONParser().parse(created.body)["id"]?.stringValue)
        let patched = try await connection.request(
            "PATCH", "/scim/v2/Groups/\(id)", host: "127.0.0.1", headers: auth,
            body:
                #"{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"replace","path":"displayName","value":"Ops 2"}]}"#
        )
        #expect(patched.status == 204, "\(patched.text)")
        await connection.close()
        process.terminate()
        process.waitUntilExit()
    }
}
