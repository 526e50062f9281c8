/// A ZPA cloud (reference §1.4): the admin host minus `admin.`, e.g. `private.zscaler.com`.
public struct ZPACloud: Hashable, Sendable, CustomStringConvertible {
    /// The SDK value, e.g. `production`, `zpatwo`.
    public let name: String
    /// The DNS domain, e.g. `private.zscaler.com`.
    public let domain: String
    public var description: String { domain }

    public static let known: [ZPACloud] = [
        ZPACloud(name: "production", domain: "private.zscaler.com"),
        ZPACloud(name: "zpatwo", domain: "zpatwo.net"),
        ZPACloud(name: "beta", domain: "zpabeta.net"),
        ZPACloud(name: "gov", domain: "zpagov.net"),
        ZPACloud(name: "govus", domain: "zpagov.us"),
        ZPACloud(name: "preview", domain: "zpapreview.net"),
    ]

    private init(name: String, domain: String) {
        self.name = name
        self.domain = domain
    }

    /// Accepts the SDK value (`zpatwo`), the domain (`zpatwo.net`) or the admin host (`admin.zpatwo.net`).
    public init(_ text: String) throws(ZscalerAPIError) {
        var value = text.lowercased()
        if value.hasPrefix("admin.") { value.removeFirst("admin.".count) }
        guard let cloud = ZPACloud.known.first(where: { $0.name == value || $0.domain == value }) else {
            throw .invalidConfiguration(
                "\(text.debugDescription) is not a known ZPA cloud (known: \(ZPACloud.known.map(\.name).joined(separator: ", ")))")
        }
        self = cloud
    }

    /// `https://config.<cloud>`: sign-in, mgmtconfig and userconfig live under it.
    public var apiBaseURL: BaseURL { BaseURL(trusted: "https://config.\(domain)") }

    /// `https://scim1.<cloud>/scim/1/<idpId>/v2`, the SCIM server of one IdP (§1.4, §9.2).
    public func scimBaseURL(idpId: String) throws(ZscalerAPIError) -> BaseURL {
        guard !idpId.isEmpty, idpId.allSatisfy({ $0.isASCII && $0.isNumber }) else {
            throw .invalidConfiguration("\(idpId.debugDescription) is not a ZPA IdP id (digits)")
        }
        return BaseURL(trusted: "https://scim1.\(domain)/scim/1/\(idpId)/v2")
    }
}
