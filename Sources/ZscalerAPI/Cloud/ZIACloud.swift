/// A ZIA cloud ("cloud name" in reference §1.1): the domain in the admin-portal URL, such as
/// `zscalertwo.net`. The base URLs of the legacy API are derived from it (§1.2).
public struct ZIACloud: Hashable, Sendable, CustomStringConvertible {
    /// The SDK value, e.g. `zscalertwo`.
    public let name: String
    /// The DNS domain, e.g. `zscalertwo.net`.
    public var domain: String { name + ".net" }
    public var description: String { domain }

    private init(known name: String) { self.name = name }

    /// The clouds the official SDKs and Terraform accept (reference §1.1).
    public static let known: [ZIACloud] = [
        "zscaler", "zscalerone", "zscalertwo", "zscalerthree", "zscloud", "zscalerbeta", "zscalergov", "zscalerten",
        "zspreview",
    ].map(ZIACloud.init(known:))

    /// Accepts the SDK value (`zscalertwo`), the domain (`zscalertwo.net`) or the admin host
    /// (`admin.zscalertwo.net`), case-insensitively; anything else is not a ZIA cloud.
    public init(_ text: String) throws(ZscalerAPIError) {
        var value = text.lowercased()
        if value.hasPrefix("admin.") { value.removeFirst("admin.".count) }
        if value.hasSuffix(".net") { value.removeLast(".net".count) }
        guard let cloud = ZIACloud.known.first(where: { $0.name == value }) else {
            throw .invalidConfiguration(
                "\(text.debugDescription) is not a known ZIA cloud (known: \(ZIACloud.known.map(\.name).joined(separator: ", ")))")
        }
        self = cloud
    }

    /// `https://zsapi.<cloud>/api/v1`, or `https://admin.zspreview.net/api/v1` for the preview cloud (§1.2).
    public var legacyBaseURL: BaseURL {
        let host = name == "zspreview" ? "admin.\(domain)" : "zsapi.\(domain)"
        return BaseURL(trusted: "https://\(host)/api/v1")
    }
}
