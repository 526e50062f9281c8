import Foundation

extension ZscalerEmulator {
    /// What the executable prints at start: base URLs and the fake tenant's credentials, with a
    /// login body ready for `curl`. The seed's credentials are fakes and printing them is the point
    /// (they are never written to the log); secrets given by configuration (``CredentialOverrides``)
    /// are the operator's own and are shown as `<from configuration>`.
    public func banner(port: Int) -> String {
        let host = configuration.host.contains(":") ? "[\(configuration.host)]" : configuration.host
        let base = "http://\(host):\(port)"
        let state = core.snapshot
        let timestamp = EmulatorKeyObfuscation.currentTimestamp()
        let admin = state.ziaAdmins[0]
        let given = configuration.credentials
        let hidden = "<from configuration>"
        func shown(_ value: String, unless secret: EmulatorSecret?) -> String { secret == nil ? value : hidden }
        let loginBody = WireResponse.OrderedValue.object([
            ("apiKey", .string(EmulatorKeyObfuscation.obfuscate(apiKey: state.ziaAPIKey, timestamp: timestamp) ?? "")),
            ("username", .string(admin.username)), ("password", .string(admin.password)), ("timestamp", .string(timestamp)),
        ]).text
        var lines = [
            "Zscaler emulator on \(base) — \(state.organization.name) (org \(state.organization.id), cloud \(state.organization.cloud))",
            "  ZIA legacy API  \(base)/api/v1          POST /authenticatedSession, then the JSESSIONID cookie",
            "  ZIA via OneAPI  \(base)/zia/api/v1      Authorization: Bearer <token>",
            "  OneAPI token    \(base)/oauth2/v1/token  grant_type=client_credentials, audience=\(OneAPITokenRoutes.audience)",
            "  ZPA admin API   \(base)                  POST /signin; customer \(state.zpa.customerId)",
        ]
        for idp in state.zpa.idps where idp.scimEnabled {
            lines.append("  ZPA SCIM        \(base)/scim/1/\(idp.id)/v2  (\(idp.name))")
        }
        lines.append(
            configuration.controlEnabled
                ? "  Control         \(base)/__emulator/{state,counters,faults,reset,login-body}"
                : "  Control routes off (--enable-control to turn them on)")
        lines += [
            "Credentials of this fake tenant:",
            "  ZIA admin       \(admin.username) / \(shown(admin.password, unless: given.ziaAdminPassword)), "
                + "API key \(shown(state.ziaAPIKey, unless: given.ziaAPIKey))",
            // The obfuscated key is made of the key's own characters: not shown for a given key.
            "  ZIA login body  \(given.ziaAPIKey == nil && given.ziaAdminPassword == nil ? loginBody : hidden)",
            "                  (timestamp valid for ±\(Int(configuration.sessions.timestampToleranceSeconds / 60)) min; `zscaler-emulator obfuscate` makes a new one)",
        ]
        for (index, client) in state.oneAPI.clients.enumerated() {
            let secret = index == 0 ? shown(client.clientSecret, unless: given.oneAPIClientSecret) : client.clientSecret
            lines.append("  OneAPI client   client_id=\(client.clientId) client_secret=\(secret)")
        }
        lines.append(
            "  ZPA API key     client_id=\(state.zpaClientId) client_secret=\(shown(state.zpaClientSecret, unless: given.zpaClientSecret))")
        for (index, idp) in state.zpa.idps.filter(\.scimEnabled).enumerated() {
            let token = index == 0 ? shown(idp.scimToken ?? "", unless: given.zpaSCIMToken) : idp.scimToken ?? ""
            lines.append("  ZPA SCIM token  \(token) (IdP \(idp.id))")
        }
        let scale = configuration.timeScale == 1 ? "real Zscaler timing" : "time scale \(configuration.timeScale)"
        lines.append(
            "Limits enforced with \(scale); state \(configuration.statePath.map { "saved to \($0)" } ?? "in memory only"). Ctrl-C stops.")
        return lines.joined(separator: "\n")
    }
}
