import Foundation
import GRDB
import SCIMCore
import SCIMServer
import Testing

/// Defect 6 (request deadline) and defect 9 (readiness): work that cannot finish in time is
/// answered 503 with `Retry-After` instead of hanging, and `/readyz` says "not ready" while the
/// SQLite database is write-locked by another process. Over real sockets, with a real lock.
@Suite("Request deadline and readiness")
struct DeadlineTests {
    @Test("a request whose work does not finish by the deadline is answered 503 with Retry-After")
    func stuckRequest() async throws {
        var harness = try await ServerHarness()
        harness.serverConfiguration.requestTimeout = .milliseconds(300)
        harness.serverConfiguration.requestRetryAfter = 7
        // A status read that never returns by itself (it ends only when cancelled).
        harness.serverConfiguration.syncStatus = { _ in
            try await Task.sleep(for: .seconds(3600))
            return "{}"
        }
        let token = harness.acmeToken
        try await harness.live { port in
            let connection = try await RawConnection.open(port: port)
            let answer = try await connection.request("GET", "/status", host: "127.0.0.1", headers: [("Authorization", "Bearer \(token)")])
            #expect(answer.status == 503)
            #expect(answer.header("Retry-After") == "7")
            let json = try JSONParser().parse(answer.body)
            #expect(json["schemas"] == .array([.string(SCIMError.errorSchema)]))
            #expect(json["status"] == "503")
            // The connection stays usable.
            #expect(try await connection.request("GET", "/healthz", host: "127.0.0.1").status == 200)
            await connection.close()
        }
    }

    @Test("/readyz is 503 while another connection holds the database's write lock, 200 after; a write meanwhile gets 503 + Retry-After")
    func readinessUnderLock() async throws {
        var harness = try await ServerHarness()
        harness.serverConfiguration.readinessTimeout = .seconds(1)
        harness.serverConfiguration.requestTimeout = .milliseconds(500)
        let token = harness.acmeToken
        let path = harness.directory.appendingPathComponent("zscim.sqlite").path
        try await harness.live { port in
            let connection = try await RawConnection.open(port: port)
            let before = try await connection.request("GET", "/readyz", host: "127.0.0.1")
            #expect(before.status == 200, "\(before.text)")

            // A second process's view of the file: an exclusive transaction left open.
            var configuration = GRDB.Configuration()
            configuration.allowsUnsafeTransactions = true
            let locker = try DatabaseQueue(path: path, configuration: configuration)
            try await locker.writeWithoutTransaction { try $0.execute(sql: "BEGIN EXCLUSIVE") }

            let locked = try await connection.request("GET", "/readyz", host: "127.0.0.1")
            #expect(locked.status == 503)
            #expect(try JSONParser().parse(locked.body)["status"] == "store unavailable")

            let write = try await connection.request(
                "POST", "/scim/v2/Users", host: "127.0.0.1", headers: [("Authorization", "Bearer \(token)")],
                body: #"{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"locked@example.com"}"#)
            #expect(write.status == 503, "\(write.text)")
            #expect(write.header("Retry-After").flatMap { Int($0) } != nil, "\(write.headers)")

            try await locker.writeWithoutTransaction { try $0.execute(sql: "ROLLBACK") }
            var after = 0
            for _ in 0..<100 where after != 200 {
                after = try await connection.request("GET", "/readyz", host: "127.0.0.1").status
                if after != 200 { try await Task.sleep(for: .milliseconds(200)) }
            }
            #expect(after == 200)
            await connection.close()
            try locker.close()
        }
    }
}
