/// A read-only view of the emulator's ZIA directory for tests and benchmarks that check what a
/// client left behind (the end state of a sync), without exposing the emulator's own model types.
public struct EmulatorUserView: Sendable, Hashable {
    public var id: Int
    public var name: String
    public var email: String
    public var groupIDs: Set<Int>
    public var departmentID: Int?
    public var disabled: Bool
}

extension ZscalerEmulator {
    /// ZIA users as activated (what Zscaler enforces), or as in the working copy.
    public func users(activated: Bool = true) -> [EmulatorUserView] {
        let zia = core.snapshot.zia
        let directory = activated ? zia.activated : zia.working
        return directory.sortedUserIds.compactMap { id in
            directory.users[id].map {
                EmulatorUserView(
                    id: $0.id, name: $0.name, email: $0.email, groupIDs: Set($0.groupIds), departmentID: $0.departmentId, disabled: $0.disabled)
            }
        }
    }

    /// ZIA groups (id → name), activated or working.
    public func groups(activated: Bool = true) -> [Int: String] {
        let zia = core.snapshot.zia
        return (activated ? zia.activated : zia.working).groups.mapValues(\.name)
    }

    /// ZIA departments (id → name), activated or working.
    public func departments(activated: Bool = true) -> [Int: String] {
        let zia = core.snapshot.zia
        return (activated ? zia.activated : zia.working).departments.mapValues(\.name)
    }

    /// How many activations the emulator performed.
    public var activationCount: Int { core.snapshot.zia.activationCount }
}
