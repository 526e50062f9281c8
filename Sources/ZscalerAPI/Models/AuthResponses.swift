/// The ZIdentity token answer (reference §7.1): `expires_in` is a number of seconds.
struct OneAPITokenResponse: Codable, Sendable {
    var access_token: String
    var token_type: String?
    var expires_in: FlexibleInt
}

/// ZPA's `/signin` answer (reference §8.1): `expires_in` is a *string* of seconds.
struct ZPASignInResponse: Codable, Sendable {
    var token_type: String?
    var access_token: String
    var expires_in: FlexibleInt
}
