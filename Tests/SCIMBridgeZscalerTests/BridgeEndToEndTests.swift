import AsyncHTTPClient
import Foundation
import SCIMBridge
import SCIMCore
import Testing
import ZscalerEmulator

/// SCIM writes reach ZIA: the emulator as Zscaler, over real sockets, with its rate limits on.
/// Each test ends by comparing the emulator's *activated* directory with the mapping of what the
/// SCIM client wrote, and the harness checks the emulator counted no rate-limit violation.
@Suite("Bridge end to end", .serialized)
struct BridgeEndToEndTests {
    @Test("users: create, update, deactivate, reactivate, rename refused, delete; groups with members; department changes")
    func lifecycle() async throws {
        try await BridgeHarness.with { h in
            let ada = try await h.createUser("ada@example.com", displayName: "Ada Lovelace", department: "Department 2")
            let bob = try await h.createUser("bob@example.com", displayName: "Bob Babbage")
            let eve = try await h.createUser("eve@corp.example.com", displayName: "Eve")
            let group = try await h.createGroup("Group 3", members: [ada, bob])
            try await h.waitUntilConverged()

            let groupID = try #require(h.ziaGroupID("Group 3"))
            let ziaAda = try #require(h.ziaUser("ada@example.com"))
            #expect(ziaAda.name == "Ada Lovelace")
            #expect(ziaAda.groupIDs == [groupID])
            #expect(h.emulator.departments()[ziaAda.departmentID ?? -1] == "Department 2")
            #expect(h.ziaUser("bob@example.com")?.groupIDs == [groupID])
            #expect(h.emulator.departments()[h.ziaUser("bob@example.com")?.departmentID ?? -1] == "Department 1")
            #expect(h.ziaUser("eve@corp.example.com")?.groupIDs == [])

            // The SCIM view shows the link.
            let (_, read) = try await h.scim(.GET, "/Users/\(ada)")
            let ext = read["urn:zscim:params:scim:schemas:extension:zscaler:2.0:User"]
            #expect(ext?["syncState"]?.stringValue == "synced")
            #expect(ext?["ziaUserId"]?.numberValue?.integer == Int64(ziaAda.id))

            // Membership changes, a department change, a deactivation.
            #expect(try await h.patch("Groups", group, #"{"op":"remove","path":"members[value eq \"\#(bob)\"]"}"#) == 200)
            #expect(try await h.patch("Groups", group, #"{"op":"add","path":"members","value":[{"value":"\#(eve)"}]}"#) == 200)
            #expect(
                try await h.patch(
                    "Users", ada,
                    #"{"op":"replace","path":"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department","value":"Department 3"}"#
                )
                    == 200)
            #expect(try await h.patch("Users", bob, #"{"op":"replace","path":"active","value":false}"#) == 200)
            try await h.waitUntilConverged()
            #expect(h.ziaUser("bob@example.com")?.disabled == true)
            #expect(h.ziaUser("bob@example.com")?.groupIDs == [])
            #expect(h.ziaUser("eve@corp.example.com")?.groupIDs == [groupID])
            #expect(h.emulator.departments()[h.ziaUser("ada@example.com")?.departmentID ?? -1] == "Department 3")

            // Reactivation; a rename of a user that exists in ZIA is refused at once (policy reject).
            #expect(try await h.patch("Users", bob, #"{"op":"replace","path":"active","value":true}"#) == 200)
            let (renameStatus, renameBody) = try await h.scim(
                .PATCH, "/Users/\(bob)",
                #"{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"replace","path":"userName","value":"robert@example.com"}]}"#
            )
            #expect(renameStatus == 400)
            #expect(renameBody["scimType"]?.stringValue == "mutability")
            // A domain the org does not own is refused at once too.
            let (domainStatus, _) = try await h.scim(
                .POST, "/Users", #"{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"mallory@elsewhere.test"}"#)
            #expect(domainStatus == 400)

            // Delete a user and the group.
            #expect(try await h.scim(.DELETE, "/Users/\(eve)").status == 204)
            try await h.waitUntilConverged()
            #expect(h.ziaUser("bob@example.com")?.disabled == false)
            #expect(h.ziaUser("eve@corp.example.com") == nil)
            #expect(try await h.scim(.DELETE, "/Groups/\(group)").status == 204)
            try await h.waitUntilConverged()
            #expect(h.ziaUser("ada@example.com")?.groupIDs == [])
            // The group existed in ZIA before zscim mapped it: it is not deleted there.
            #expect(h.ziaGroupID("Group 3") == groupID)
        }
    }

    @Test("a 50-member PATCH batch and bursts coalesce: one create per user, no membership-only PUT beyond one per user")
    func coalescing() async throws {
        try await BridgeHarness.with { h in
            var ids: [String] = []
            for i in 0..<50 { ids.append(try await h.createUser("coal\(i)@example.com")) }
            let group = try await h.createGroup("Group 5")
            let values = ids.map { "{\"value\":\"\($0)\"}" }.joined(separator: ",")
            #expect(try await h.patch("Groups", group, "{\"op\":\"add\",\"path\":\"members\",\"value\":[\(values)]}") == 200)
            try await h.waitUntilConverged()
            let groupID = try #require(h.ziaGroupID("Group 5"))
            for i in 0..<50 { #expect(h.ziaUser("coal\(i)@example.com")?.groupIDs == [groupID]) }
            // Creates that ZIA accepted: a create refused with 429 (the emulator's limits, hit
            // when the machine is loaded) is a call that created nothing and is sent again.
            let route = h.emulator.counters.routes["POST /api/v1/users"]
            let accepted = (route?.statuses ?? [:]).filter { $0.key.hasPrefix("2") }.values.reduce(0, +)
            #expect(accepted == 50, "POST /api/v1/users answered \(route?.statuses ?? [:])")
            #expect((route?.calls ?? 0) - (route?.tooManyRequests ?? 0) == 50)
            // Users created before the group's PATCH get one PUT each at most.
            let puts = h.emulator.counters.routes.filter { $0.key.hasPrefix("PUT /api/v1/users/") }.values.reduce(0) { $0 + $1.calls }
            #expect(puts <= 50)
        }
    }

    @Test("faults: 5xx, a 429 storm, session expiry, the edit lock and dropped connections end in the same state, no duplicates")
    func faults() async throws {
        try await BridgeHarness.with { h in
            var faults = h.emulator.faults
            faults.serverErrorRate = 0.1
            faults.dropConnectionRate = 0.05
            try h.emulator.setFaults(faults)
            var ids: [String] = []
            for i in 0..<30 { ids.append(try await h.createUser("f\(i)@example.com", displayName: "F \(i)")) }
            h.emulator.startStorm(for: .milliseconds(300))
            h.emulator.expireAllSessions()
            h.emulator.holdEditLock(for: .milliseconds(200))
            let group = try await h.createGroup("Group 7", members: Array(ids.prefix(10)))
            for id in ids.suffix(5) { #expect(try await h.patch("Users", id, #"{"op":"replace","path":"active","value":false}"#) == 200) }
            try await h.waitUntilConverged(timeout: .seconds(120))
            try h.emulator.setFaults(FaultSettings())
            let groupID = try #require(h.ziaGroupID("Group 7"))
            let users = h.emulator.users()
            for i in 0..<30 {
                let matching = users.filter { $0.email == "f\(i)@example.com" }
                #expect(matching.count == 1, "f\(i): \(matching.count) ZIA users")
                #expect(matching.first?.disabled == (i >= 25))
                #expect(matching.first?.groupIDs == (i < 10 ? [groupID] : []))
            }
            _ = group
        }
    }
}
