/// The scheme clients use to reach the emulator. The emulator itself listens for plain HTTP; set
/// `https` when it sits behind a TLS-terminating proxy. It decides whether the `JSESSIONID` cookie
/// is marked `Secure` — a client never sends a `Secure` cookie back over plain http, so marking it
/// there would end every legacy session after login — and the scheme of the URLs the emulator
/// writes into bodies (ZPA's SCIM endpoint, SCIM `meta.location`).
public enum PublicScheme: String, Sendable, Codable, Equatable, CaseIterable {
    case http
    case https
}
