/// A OneAPI / ZIdentity cloud (reference §1.5, §7): where the API gateway and the token endpoint live.
public enum OneAPICloud: String, CaseIterable, Hashable, Sendable {
    case production, beta, gov, govus

    /// The API gateway host.
    var apiHost: String {
        switch self {
        case .production: "api.zsapi.net"
        case .beta: "api.beta.zsapi.net"
        case .gov: "api.zscalergov.net"
        case .govus: "api.zscalergov.us"
        }
    }

    /// The domain under which each tenant's ZIdentity vanity host lives.
    var tokenDomain: String {
        switch self {
        case .production: "zslogin.net"
        case .beta: "zsloginbeta.net"
        case .gov: "zidentitygov.net"
        case .govus: "zidentitygov.us"
        }
    }

    /// ZIA through the gateway: `https://api.zsapi.net/zia/api/v1`.
    public var ziaBaseURL: BaseURL { BaseURL(trusted: "https://\(apiHost)/zia/api/v1") }

    /// The token endpoint of a tenant's ZIdentity: `https://<vanity>.zslogin.net/oauth2/v1/token`.
    /// The vanity domain must be one DNS label.
    public func tokenURL(vanityDomain: String) throws(ZscalerAPIError) -> BaseURL {
        let label = vanityDomain.lowercased()
        guard !label.isEmpty, label.count <= 63,
            label.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") }),
            label.first != "-", label.last != "-"
        else {
            throw .invalidConfiguration("\(vanityDomain.debugDescription) is not a ZIdentity vanity domain (one DNS label)")
        }
        return BaseURL(trusted: "https://\(label).\(tokenDomain)/oauth2/v1/token")
    }
}
