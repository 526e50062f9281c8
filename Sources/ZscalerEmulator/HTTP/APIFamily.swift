/// The API surfaces the emulator serves on one port, told apart by path (a real deployment tells
/// them apart by host, reference §11.1). Each has its own auth, limits, error shapes and headers.
enum APIFamily: Sendable, Equatable {
    /// `zsapi.<cloud>/api/v1` (and `admin.<cloud>/api/v1`): JSESSIONID cookie.
    case ziaLegacy
    /// `api.zsapi.net/zia/api/v1`: OneAPI bearer token.
    case ziaOneAPI
    /// `<vanity>.zslogin.net/oauth2/v1/token`.
    case oneAPIToken
    /// `config.<zpacloud>`: `/signin` bearer token.
    case zpaAdmin
    /// `api.zsapi.net/zpa/...`: OneAPI bearer token.
    case zpaOneAPI
    /// `scim1.<zpacloud>/scim/1/{idpId}/v2`: the IdP's static SCIM token.
    case zpaSCIM

    /// Path prefix stripped to get the template the limits table uses.
    var prefix: String {
        switch self {
        case .ziaLegacy: "/api/v1"
        case .ziaOneAPI: "/zia/api/v1"
        case .zpaOneAPI: "/zpa"
        case .oneAPIToken, .zpaAdmin, .zpaSCIM: ""
        }
    }

    var isZIA: Bool { self == .ziaLegacy || self == .ziaOneAPI }
    var isOneAPI: Bool { self == .ziaOneAPI || self == .zpaOneAPI }
    var isZPAAdmin: Bool { self == .zpaAdmin || self == .zpaOneAPI }
}
