import Testing
import ZscalerAPI
import ZscalerEmulator

extension ZscalerAPIIntegration {
    /// Users, groups, departments and activation against the real emulator.
    @Suite("ZIA directory against the emulator")
    struct ZIADirectoryIntegrationTests {
        @Test("pages through 25,000 users lazily, with no limit violated")
        func paging25000() async throws {
            try await EmulatorHarness.with(seed: .generated(userCount: 25_000)) { harness in
                let client = try harness.ziaLegacy()
                var ids = Set<Int>()
                var count = 0
                for try await user in try client.users() {
                    ids.insert(try #require(user.id))
                    count += 1
                }
                #expect(count == 25_003, "25,000 generated users, the admin and two synced users")
                #expect(ids.count == count)
                #expect(harness.calls("GET /api/v1/users") == 3, "pages of 10,000: 10,000 + 10,000 + 5,003")

                // Small pages of one department: more than GET /users' 10 calls a minute, so the client has
                // to pace them (and the harness checks the emulator saw no violation).
                let department = try await client.users(department: "Department 2", pageSize: 200).collect()
                #expect(department.count == 2_085, "users 2, 14, 26, … and one synced user")
                #expect(department.allSatisfy { $0.department?.name == "Department 2" })
                #expect(harness.calls("GET /api/v1/users") == 3 + 11)
                #expect(harness.emulator.counters.totals.limitViolations == 0)
            }
        }

        @Test("filters: name substring, department and group prefixes")
        func filters() async throws {
            try await EmulatorHarness.with(seed: .generated(userCount: 200, groupCount: 10, departmentCount: 4)) { harness in
                let client = try harness.ziaLegacy()
                let named = try await client.users(name: "User 19").collect()
                #expect(
                    Set(named.map(\.name)) == [
                        "User 19", "User 190", "User 191", "User 192", "User 193", "User 194", "User 195", "User 196", "User 197",
                        "User 198",
                        "User 199",
                    ])
                let department = try await client.users(department: "Department 2").collect()
                #expect(!department.isEmpty && department.allSatisfy { $0.department?.name == "Department 2" })
                let group = try await client.users(group: "Group 10").collect()
                #expect(!group.isEmpty && group.allSatisfy { $0.groups.contains { $0.name == "Group 10" } })
                await #expect(throws: ZscalerAPIError.self) { try await client.users(pageSize: 10_001).collect() }
            }
        }

        @Test("create, read, full-replace update, delete a user")
        func userLifecycle() async throws {
            try await EmulatorHarness.with { harness in
                let client = try harness.ziaLegacy()
                var user = try await client.createUser(
                    ZIAUser(
                        name: "Ada Lovelace", email: "ada@example.com", groups: [ZIAReference(id: 24_000_001)],
                        department: ZIAReference(id: 25_000_001), comments: "provisioned by test", password: "Str0ng!Passw0rd"))
                let id = try #require(user.id)
                #expect(user.groups.map(\.id) == [24_000_001] && user.groups.first?.name == "Group 1")
                user.name = "Ada King"
                user.groups = [ZIAReference(id: 24_000_002), ZIAReference(id: 24_000_003)]
                user.disabled = true
                user.password = nil
                let updated = try await client.updateUser(user)
                #expect(updated.name == "Ada King" && updated.isDisabled && updated.groups.map(\.id) == [24_000_002, 24_000_003])
                #expect(try await client.user(id: id).name == "Ada King")
                try await client.deleteUser(id: id)
                do throws(ZscalerAPIError) {
                    _ = try await client.user(id: id)
                    Issue.record("the deleted user is still there")
                } catch {
                    #expect(error.kind == .notFound && error.status == 404)
                }
            }
        }

        @Test("bulkDelete is chunked to 500 ids per call and paced at its 1/min budget")
        func bulkDeleteChunking() async throws {
            try await EmulatorHarness.with(seed: .generated(userCount: 1_200)) { harness in
                let client = try harness.ziaLegacy()
                let ids = try await client.users().collect().filter {
                    $0.adminUser != true && $0.isNonEditable != true && $0.id! >= 40_000_000
                }
                .compactMap(\.id)
                #expect(ids.count == 1_200)
                let deleted = try await client.bulkDeleteUsers(ids: ids + ids.prefix(10))  // duplicates are sent once
                #expect(Set(deleted) == Set(ids))
                #expect(harness.calls("POST /api/v1/users/bulkDelete") == 3)
                #expect(harness.emulator.counters.totals.limitViolations == 0)
                #expect(try await client.bulkDeleteUsers(ids: []).isEmpty)
                #expect(harness.calls("POST /api/v1/users/bulkDelete") == 3, "nothing to delete, nothing sent")
            }
        }

        @Test("groups and departments: reads on both APIs, writes only through OneAPI")
        func directoryObjects() async throws {
            try await EmulatorHarness.with { harness in
                let legacy = try harness.ziaLegacy()
                let groups = try await legacy.groups().collect()
                #expect(groups.contains { $0.name == "Service Admin" } && groups.count == 41)
                #expect(try await legacy.group(named: "group 7")?.id == 24_000_007)
                #expect(try await legacy.department(named: "Department 3")?.id == 25_000_003)
                #expect(
                    try await legacy.departments(search: "Department 1").collect().map(\.name).sorted() == [
                        "Department 1", "Department 10", "Department 11", "Department 12",
                    ])
                do throws(ZscalerAPIError) {
                    _ = try await legacy.createGroup(ZIAGroup(name: "Contractors"))
                    Issue.record("legacy API created a group")
                } catch {
                    #expect(error.kind == .notSupported)
                }
                #expect(harness.calls("POST /api/v1/groups") == 0, "refused before spending a call")

                // Legacy and OneAPI reach the same tenant: one budget.
                let oneAPI = try harness.ziaOneAPI(limiter: legacy.limiter)
                var group = try await oneAPI.createGroup(ZIAGroup(name: "Contractors", comments: "time-bound access"))
                group.name = "Contractors 2026"
                group = try await oneAPI.updateGroup(group)
                #expect(try await oneAPI.group(id: group.id!).name == "Contractors 2026")
                try await oneAPI.deleteGroup(id: group.id!)
                let department = try await oneAPI.createDepartment(ZIADepartment(name: "Finance"))
                #expect(try await oneAPI.department(id: department.id!).name == "Finance")
                try await oneAPI.deleteDepartment(id: department.id!)
                #expect(try await oneAPI.activate().status == .active)
            }
        }
    }
}
