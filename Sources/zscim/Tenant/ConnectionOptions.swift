import ArgumentParser
import Foundation
import SAMLMetadata
import SCIMBridgeZscaler
import ZscalerAPI

/// The flags of `tenant connect` that say where ZIA is and how to log in. Secrets come only from a
/// file or an environment variable named by a flag: a value on the command line would end up in
/// shell history and in `ps`.
struct ConnectionOptions: ParsableArguments {
    @Option(name: .customLong("zia-cloud"), help: "ZIA cloud: zscaler, zscalerone, zscalertwo, zscalerthree, zscloud, zscalerbeta, …")
    var ziaCloud: String?
    @Option(
        name: .customLong("zia-base-url"),
        help: "ZIA API base URL instead of the cloud's (e.g. the emulator's http://127.0.0.1:9443/api/v1).")
    var ziaBaseURL: String?
    @Option(name: .customLong("org-id"), help: "The ZIA org (company) id, to record it; ZIA's API does not report it.")
    var orgID: Int64?

    @Option(name: .customLong("zia-username"), help: "Legacy API: the ZIA admin login.") var ziaUsername: String?
    @Option(name: .customLong("zia-password-file"), help: "Legacy API: file holding the admin password.") var ziaPasswordFile: String?
    @Option(name: .customLong("zia-password-env"), help: "Legacy API: environment variable holding the admin password.")
    var ziaPasswordEnv: String?
    @Option(name: .customLong("zia-api-key-file"), help: "Legacy API: file holding the API key.") var ziaAPIKeyFile: String?
    @Option(name: .customLong("zia-api-key-env"), help: "Legacy API: environment variable holding the API key.") var ziaAPIKeyEnv: String?

    @Option(name: .customLong("vanity-domain"), help: "OneAPI: the ZIdentity vanity domain (acme of acme.zslogin.net).")
    var vanityDomain: String?
    @Option(name: .customLong("client-id"), help: "OneAPI: the API client id.") var clientID: String?
    @Option(name: .customLong("client-secret-file"), help: "OneAPI: file holding the client secret.") var clientSecretFile: String?
    @Option(name: .customLong("client-secret-env"), help: "OneAPI: environment variable holding the client secret.")
    var clientSecretEnv: String?
    @Option(
        name: .customLong("token-url"), help: "OneAPI: token endpoint instead of the vanity domain's (the emulator's /oauth2/v1/token).")
    var tokenURL: String?

    @Option(name: .customLong("from-metadata"), help: "ZIA SP SAML metadata file: fills in the cloud, org id and API base URL.")
    var fromMetadata: String?
    @Flag(name: .customLong("allow-unlisted-host"), help: "Allow a base URL outside Zscaler's clouds, and plain http (the emulator only).")
    var allowUnlistedHost = false
    @Option(name: .customLong("rate-scale"), help: "Scale the client's pacing to an emulator's --time-scale (needs --allow-unlisted-host).")
    var rateScale: Double?

    /// The connection these flags describe, and what to tell the operator about how it was
    /// reached (metadata evidence, overrides).
    func connection(environment: [String: String]) throws -> (ZscalerConnection, notes: [String]) {
        let legacyFlags = [ziaUsername, ziaPasswordFile, ziaPasswordEnv, ziaAPIKeyFile, ziaAPIKeyEnv].contains { $0 != nil }
        let oneAPIFlags = [vanityDomain, clientID, clientSecretFile, clientSecretEnv, tokenURL].contains { $0 != nil }
        if legacyFlags && oneAPIFlags {
            throw ValidationError(
                "Choose one way in: legacy (--zia-username, --zia-password-*, --zia-api-key-*) or OneAPI (--vanity-domain, --client-id, --client-secret-*, --token-url), not both"
            )
        }
        guard legacyFlags || oneAPIFlags else {
            throw ValidationError(
                "Say how to log in to ZIA: legacy (--zia-username U --zia-password-file F --zia-api-key-file F) or OneAPI (--vanity-domain D --client-id ID --client-secret-file F)"
            )
        }
        if rateScale != nil, !allowUnlistedHost {
            throw ValidationError("--rate-scale is for the emulator only: it needs --allow-unlisted-host (Zscaler's own limits are fixed)")
        }
        var notes: [String] = []
        let hints = try fromMetadata.map { file in try MetadataConnectionHints.read(file: file) }
        if let hints, let file = fromMetadata {
            notes.append("From \(file):")
            notes += hints.evidence.map { "  \($0)" }
            notes += hints.notInferred.map { "  not inferred: \($0)" }
        }
        let cloud = try resolvedCloud(hints: hints, notes: &notes)
        let orgID = self.orgID ?? hints?.orgID
        if let flag = self.orgID, let inferred = hints?.orgID, flag != inferred {
            notes.append("--org-id \(flag) overrides the metadata's org id \(inferred)")
        }
        let flavor: ZscalerConnection.Flavor = oneAPIFlags ? .oneAPI : .legacy
        let baseURL = try resolvedBaseURL(flavor: flavor, cloud: cloud, hints: hints)
        var connection = ZscalerConnection(
            flavor: flavor, baseURL: baseURL, cloud: cloud, orgID: orgID, allowUnlistedHost: allowUnlistedHost, rateScale: rateScale ?? 1)
        switch flavor {
        case .legacy:
            guard let ziaUsername else { throw ValidationError("The legacy API needs --zia-username (the ZIA admin login)") }
            connection.username = ziaUsername
            connection.secrets.password = try secret(
                file: ziaPasswordFile, env: ziaPasswordEnv, flag: "--zia-password", what: "ZIA admin password", environment: environment)
            connection.secrets.apiKey = try secret(
                file: ziaAPIKeyFile, env: ziaAPIKeyEnv, flag: "--zia-api-key", what: "ZIA API key", environment: environment)
        case .oneAPI:
            guard let clientID else { throw ValidationError("OneAPI needs --client-id") }
            connection.clientID = clientID
            connection.vanityDomain = vanityDomain
            connection.tokenURL = tokenURL
            connection.secrets.clientSecret = try secret(
                file: clientSecretFile, env: clientSecretEnv, flag: "--client-secret", what: "OneAPI client secret",
                environment: environment)
        }
        return (connection, notes)
    }

    /// `--zia-cloud`, else the metadata's; normalised to the SDK name (`zscalertwo`).
    private func resolvedCloud(hints: MetadataConnectionHints?, notes: inout [String]) throws -> String? {
        guard let given = ziaCloud else { return hints?.cloud }
        let name: String
        do {
            name = try ZIACloud(given).name
        } catch {
            throw ValidationError("--zia-cloud: \(error.message)")
        }
        if let inferred = hints?.cloud, inferred != name {
            notes.append("--zia-cloud \(name) overrides the metadata's cloud \(inferred)")
        }
        return name
    }

    /// `--zia-base-url`, else the cloud's: legacy `https://zsapi.<cloud>/api/v1`; OneAPI the
    /// gateway the cloud uses (production when no cloud is named).
    private func resolvedBaseURL(flavor: ZscalerConnection.Flavor, cloud: String?, hints: MetadataConnectionHints?) throws -> String {
        if let ziaBaseURL { return ziaBaseURL }
        switch flavor {
        case .legacy:
            guard let cloud else {
                throw ValidationError("Say where ZIA is: --zia-cloud CLOUD, --zia-base-url URL or --from-metadata FILE")
            }
            do {
                return try ZIACloud(cloud).legacyBaseURL.string
            } catch {
                throw ValidationError(error.message)
            }
        case .oneAPI:
            guard let cloud else { return ZscalerConnection.oneAPIProductionBaseURL }
            if let hinted = hints?.oneAPIBaseURL, hints?.cloud == cloud { return hinted }
            guard let gateway = ZscalerClouds.zia.first(where: { $0.name == cloud })?.oneAPIBase else {
                throw ValidationError("No OneAPI gateway is known for the ZIA cloud \(cloud): give --zia-base-url (…/zia/api/v1)")
            }
            return gateway + "/zia/api/v1"
        }
    }

    private func secret(file: String?, env: String?, flag: String, what: String, environment: [String: String]) throws -> String {
        let source: SecretSource
        switch (file, env) {
        case (let file?, nil): source = .file(file)
        case (nil, let env?): source = .environment(env)
        case (.some, .some): throw ValidationError("Give \(flag)-file or \(flag)-env for the \(what), not both")
        case (nil, nil): throw ValidationError("The \(what) is missing: give \(flag)-file FILE or \(flag)-env VARIABLE")
        }
        return try source.read(environment: environment, what: what)
    }
}
