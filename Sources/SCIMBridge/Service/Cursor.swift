import Crypto
import Foundation
import SCIMCore

/// Opaque pagination cursors (RFC 9865): a small JSON payload, HMAC-SHA256-signed with the
/// service's secret, base64url-encoded. Signing makes them tamper-proof; the tenant id and the
/// query's fingerprint inside make them useless for another tenant or another query; the expiry
/// bounds their life.
struct PageCursor: Codable, Sendable, Hashable {
    var tenantID: String
    /// Fingerprint of the query (resource type, filter, sort).
    var query: String
    /// Keyset: the sequence number of the last resource returned (unsorted queries).
    var afterSequence: Int64?
    /// Offset of the next page (sorted queries, which have no stable keyset).
    var offset: Int?
    /// Expiry, seconds since 1970.
    var expires: Int64

    /// One-letter names on the wire keep the cursor short (clients echo it in URLs) and keep
    /// cursors issued before the rename valid.
    enum CodingKeys: String, CodingKey {
        case tenantID = "t", query = "q", afterSequence = "s", offset = "o", expires = "e"
    }

    static func fingerprint(kind: ResourceKind, filter: String?, sortBy: String?, sortOrder: String?) -> String {
        let text = [kind.rawValue, filter ?? "", sortBy ?? "", sortOrder ?? ""].joined(separator: "\u{1F}")
        return Data(SHA256.hash(data: Data(text.utf8)).prefix(12)).base64EncodedString()
    }

    func encode(secret: [UInt8]) -> String {
        let payload = (try? JSONEncoder().encode(self)) ?? Data()
        let mac = HMAC<SHA256>.authenticationCode(for: payload, using: SymmetricKey(data: secret))
        return payload.base64URLEncoded() + "." + Data(mac).base64URLEncoded()
    }

    static func decode(_ text: String, secret: [UInt8], tenantID: String, fingerprint: String, now: Int64) throws(SCIMError) -> PageCursor {
        let invalid = SCIMError(status: 400, scimType: .invalidCursor, detail: "The cursor is not valid for this request")
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard text.utf8.count <= 1024, parts.count == 2, let payload = Data(base64URLEncoded: String(parts[0])),
            let mac = Data(base64URLEncoded: String(parts[1])),
            HMAC<SHA256>.isValidAuthenticationCode(mac, authenticating: payload, using: SymmetricKey(data: secret)),
            let cursor = try? JSONDecoder().decode(PageCursor.self, from: payload)
        else { throw invalid }
        guard cursor.tenantID == tenantID, cursor.query == fingerprint else { throw invalid }
        guard cursor.expires >= now else {
            throw SCIMError(status: 400, scimType: .expiredCursor, detail: "The cursor has expired; start again without one")
        }
        return cursor
    }
}
