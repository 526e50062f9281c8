/// The Zscaler clouds the inference accepts, from the reference's tables (zscaler-admin-api.md
/// §1.1 for ZIA, §1.4 for ZPA). A host outside these lists is never turned into a base URL
/// (DESIGN.md §6) unless the caller allows its domain explicitly (the emulator).
public enum ZscalerClouds {
    /// A ZIA cloud: `zscalertwo` on `zscalertwo.net`.
    public struct ZIA: Sendable, Hashable, Codable {
        /// The SDKs' `cloud` value (the domain without `.net`).
        public var name: String
        public var domain: String

        public init(name: String, domain: String) {
            self.name = name
            self.domain = domain
        }

        /// `https://zsapi.<cloud>/api/v1`, or `https://admin.zspreview.net/api/v1` for the preview
        /// cloud, whose API lives on the admin host (reference §1.2).
        public var apiBase: String {
            name == "zspreview" ? "https://admin.\(domain)/api/v1" : "https://zsapi.\(domain)/api/v1"
        }

        /// The OneAPI gateway the reference assumes for this cloud (§1.5, §10.5 step 5):
        /// `api.zsapi.net` for production clouds, `api.beta.zsapi.net` for beta; nil for the
        /// government and preview clouds, where the sources disagree.
        public var oneAPIBase: String? {
            switch name {
            case "zscaler", "zscalerone", "zscalertwo", "zscalerthree", "zscloud": "https://api.zsapi.net"
            case "zscalerbeta": "https://api.beta.zsapi.net"
            default: nil
            }
        }
    }

    /// A ZPA cloud: `production` on `private.zscaler.com`.
    public struct ZPA: Sendable, Hashable, Codable {
        public var name: String
        public var domain: String

        public init(name: String, domain: String) {
            self.name = name
            self.domain = domain
        }

        /// `https://config.<cloud>` (reference §1.4).
        public var apiBase: String { "https://config.\(domain)" }

        /// `https://scim1.<cloud>/scim/1/<idpId>/v2` (reference §1.4, §9.2; DESIGN.md §3).
        public func scimBase(idpID: String) -> String { "https://scim1.\(domain)/scim/1/\(idpID)/v2" }
    }

    /// Reference §1.1 (ZIA cloud names) [C2].
    public static let zia: [ZIA] = [
        "zscaler", "zscalerone", "zscalertwo", "zscalerthree", "zscloud", "zscalerbeta", "zscalergov", "zscalerten", "zspreview",
    ]
    .map { ZIA(name: $0, domain: "\($0).net") }

    /// Reference §1.4 (ZPA clouds and hosts).
    public static let zpa: [ZPA] = [
        ZPA(name: "production", domain: "private.zscaler.com"),
        ZPA(name: "zpatwo", domain: "zpatwo.net"),
        ZPA(name: "beta", domain: "zpabeta.net"),
        ZPA(name: "gov", domain: "zpagov.net"),
        ZPA(name: "govus", domain: "zpagov.us"),
        ZPA(name: "preview", domain: "zpapreview.net"),
    ]
}
