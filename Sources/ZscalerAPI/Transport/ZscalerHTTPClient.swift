import AsyncHTTPClient

/// The `HTTPClient` every Zscaler client uses unless it is given another.
///
/// Not AsyncHTTPClient's `HTTPClient.shared`: that one follows redirects, and a followed redirect
/// resends the request to wherever `Location` points, with its body and headers: the legacy login
/// (password and API key), the OneAPI client secret, a session cookie or a bearer token. Zscaler's
/// APIs do not redirect, so a 3xx means a wrong base URL or someone in the way, never a place to send
/// credentials. This client leaves redirects alone; the request pipeline then refuses the 3xx
/// (``ZscalerAPIError/Kind/redirectRefused``).
public enum ZscalerHTTPClient {
    /// `HTTPClient.shared`'s settings with redirects disallowed. Start from this when building your
    /// own `HTTPClient` for the Zscaler clients: AsyncHTTPClient does not let the library check how a
    /// client it is handed treats redirects, so a client that follows them defeats the refusal.
    public static var configuration: HTTPClient.Configuration {
        var configuration = HTTPClient.Configuration.singletonConfiguration
        configuration.redirectConfiguration = .disallow
        return configuration
    }

    /// Created on first use and, like `HTTPClient.shared`, meant to live as long as the process: never
    /// shut it down.
    public static let shared = HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: configuration)
}
