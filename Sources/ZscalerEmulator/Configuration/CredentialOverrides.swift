/// Secrets of the fake tenant given by configuration instead of the seed fixture, so a deployment can
/// hand the emulator the credentials its clients were set up with (from the environment, say)
/// without writing them into a seed file. Each replaces one secret of the seed — and of a state file
/// loaded at start, since the operator's setting is the newer word; `nil` keeps the seed's.
public struct CredentialOverrides: Sendable, Equatable {
    /// The ZIA API key (12 characters or more: the obfuscation uses the first 12).
    public var ziaAPIKey: EmulatorSecret?
    /// The password of the seed's first ZIA admin (the one the banner names).
    public var ziaAdminPassword: EmulatorSecret?
    /// The client secret of the seed's first OneAPI client.
    public var oneAPIClientSecret: EmulatorSecret?
    /// The client secret of the ZPA API key.
    public var zpaClientSecret: EmulatorSecret?
    /// The SCIM bearer token of the seed's first SCIM-enabled ZPA IdP.
    public var zpaSCIMToken: EmulatorSecret?

    public init() {}

    func validate() throws(EmulatorConfigurationError) {
        for (name, secret) in [
            ("ziaAPIKey", ziaAPIKey), ("ziaAdminPassword", ziaAdminPassword), ("oneAPIClientSecret", oneAPIClientSecret),
            ("zpaClientSecret", zpaClientSecret), ("zpaSCIMToken", zpaSCIMToken),
        ] where secret?.revealed.isEmpty == true {
            throw .init("credentials.\(name) must not be empty", key: "credentials.\(name)")
        }
        if let key = ziaAPIKey, key.revealed.count < 12 {
            throw .init("credentials.ziaAPIKey must have at least 12 characters", key: "credentials.ziaAPIKey")
        }
    }

    /// `seed` with these secrets in place; an override whose target the seed lacks is an error.
    func applied(to seed: SeedFixture) throws(EmulatorConfigurationError) -> SeedFixture {
        var seed = seed
        if let key = ziaAPIKey { seed.zia.apiKey = key.revealed }
        if let password = ziaAdminPassword {
            guard !seed.zia.admins.isEmpty else { throw missing("ziaAdminPassword", "a ZIA admin") }
            seed.zia.admins[0].password = password.revealed
        }
        if let secret = oneAPIClientSecret {
            guard !seed.oneAPI.clients.isEmpty else { throw missing("oneAPIClientSecret", "a OneAPI client") }
            seed.oneAPI.clients[0].clientSecret = secret.revealed
        }
        if let secret = zpaClientSecret { seed.zpa.clientSecret = secret.revealed }
        if let token = zpaSCIMToken {
            guard let index = seed.zpa.idps.firstIndex(where: \.scimEnabled) else {
                throw missing("zpaSCIMToken", "a SCIM-enabled ZPA IdP")
            }
            seed.zpa.idps[index].scimToken = token.revealed
        }
        return seed
    }

    /// A loaded state with these secrets in place (the same targets as in the seed).
    func applied(to state: EmulatorState) -> EmulatorState {
        var state = state
        if let key = ziaAPIKey { state.ziaAPIKey = key.revealed }
        if let password = ziaAdminPassword, !state.ziaAdmins.isEmpty { state.ziaAdmins[0].password = password.revealed }
        if let secret = oneAPIClientSecret, !state.oneAPI.clients.isEmpty { state.oneAPI.clients[0].clientSecret = secret.revealed }
        if let secret = zpaClientSecret { state.zpaClientSecret = secret.revealed }
        if let token = zpaSCIMToken, let index = state.zpa.idps.firstIndex(where: \.scimEnabled) {
            state.zpa.idps[index].scimToken = token.revealed
        }
        return state
    }

    private func missing(_ name: String, _ what: String) -> EmulatorConfigurationError {
        .init("credentials.\(name) is set but the seed has no \(what) to give it to", key: "credentials.\(name)")
    }
}
