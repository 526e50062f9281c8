import Foundation

/// The error for a 3xx answer. Zscaler's APIs never redirect, so a redirect is a wrong base URL or
/// someone in the way; following it would resend a login body, a client secret, a cookie or a bearer
/// token to another host. The error says where the redirect pointed by host only: the path and query
/// of a `Location` are the redirecting server's and may carry anything, including a value of ours.
enum RedirectRefusal {
    static func error(status: Int, location: String?, request: String, attempts: Int) -> ZscalerAPIError {
        ZscalerAPIError(
            .redirectRefused, status: status,
            message: "HTTP \(status) redirect to \(destination(location)) refused: Zscaler's APIs do not redirect, and following "
                + "one would resend the request's credentials; check the base URL",
            request: request, attempts: attempts)
    }

    /// `host example.com`, or what the `Location` was when it names no host.
    static func destination(_ location: String?) -> String {
        guard let location, !location.trimmingWhitespace.isEmpty else { return "nowhere (no Location)" }
        guard let components = URLComponents(string: String(location.trimmingWhitespace)) else { return "an unreadable Location" }
        guard let host = components.host, !host.isEmpty else { return "another path of the same host" }
        let safe = host.unicodeScalars.filter { CharacterSetASCII.isAlphanumeric($0) || ".-:[]".unicodeScalars.contains($0) }
        guard !safe.isEmpty else { return "an unreadable Location" }
        return "host " + String(String.UnicodeScalarView(safe.prefix(255)))
    }
}
