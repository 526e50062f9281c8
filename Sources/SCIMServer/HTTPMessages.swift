import Foundation
import HTTPTypes
import Hummingbird
import SCIMCore

/// Response building shared by every route: SCIM bodies are `application/scim+json`, errors are
/// RFC 7644 §3.12 bodies, and nothing a client sends produces anything else.
enum HTTPMessages {
    static let scimContentType = "application/scim+json; charset=utf-8"

    static func json(_ body: JSONValue, status: HTTPResponse.Status = .ok, headers: HTTPFields = [:]) -> Response {
        var headers = headers
        headers[.contentType] = scimContentType
        var buffer = ByteBuffer()
        buffer.writeBytes(body.serializedBytes())
        return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: buffer))
    }

    /// An error's SCIM body; a busy-not-broken 503 (`SCIMError.retryAfter`) also says when to
    /// come back, which Entra and Okta honour instead of backing off blindly.
    static func error(_ error: SCIMError, headers: HTTPFields = [:]) -> Response {
        var headers = headers
        if let seconds = error.retryAfter { headers[.retryAfter] = String(max(seconds, 0)) }
        return json(error.jsonValue, status: HTTPResponse.Status(code: error.status), headers: headers)
    }

    static func empty(_ status: HTTPResponse.Status, headers: HTTPFields = [:]) -> Response {
        Response(status: status, headers: headers)
    }

    /// `application/scim+json` or `application/json`, any case, with at most a UTF-8 charset
    /// (RFC 7644 §3.1, and Entra/Okta/Ping send either). A body without a Content-Type is read as
    /// JSON too (ssosync and others omit it); anything explicitly different is 415.
    static func checkContentType(_ value: String?) throws(SCIMError) {
        guard let value, !value.trimmingCharacters(in: .whitespaces).isEmpty else { return }
        let parts = value.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
        guard let type = parts.first, type == "application/scim+json" || type == "application/json" else {
            throw SCIMError(status: 415, detail: "Content-Type \(value) is not supported; send application/scim+json or application/json")
        }
        for parameter in parts.dropFirst() {
            let pair = parameter.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            if pair.first == "charset", let charset = pair.last?.trimmingCharacters(in: CharacterSet(charactersIn: "\"")),
                charset != "utf-8" && charset != "utf8"
            {
                throw SCIMError(status: 415, detail: "charset \(charset) is not supported; send UTF-8")
            }
        }
    }

    /// 406 only when `Accept` rules JSON out explicitly (Entra and ssosync send none or `*/*`).
    static func checkAccept(_ value: String?) throws(SCIMError) {
        guard let value, !value.trimmingCharacters(in: .whitespaces).isEmpty else { return }
        let types = value.split(separator: ",").map {
            $0.split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces).lowercased() } ?? ""
        }
        let acceptable = ["*/*", "application/*", "application/scim+json", "application/json"]
        if types.contains(where: { acceptable.contains($0) || $0.isEmpty }) { return }
        throw SCIMError(status: 406, detail: "Accept \(value) excludes JSON; zscim answers application/scim+json")
    }

    /// Query parameters decoded as forms are (`+` is a space, RFC 7644 clients such as Entra and
    /// OneLogin send it), empty components ignored (OneLogin's trailing `&`).
    static func queryItems(_ query: String?) -> [(String, String)] {
        guard let query, !query.isEmpty else { return [] }
        return query.split(separator: "&").compactMap { component in
            guard !component.isEmpty else { return nil }
            let pair = component.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            func decode(_ s: Substring) -> String {
                let spaced = s.replacingOccurrences(of: "+", with: " ")
                return spaced.removingPercentEncoding ?? spaced
            }
            let name = decode(pair[0])
            guard !name.isEmpty else { return nil }
            return (name, pair.count > 1 ? decode(pair[1]) : "")
        }
    }

    /// Path segments, percent-decoded, with empty ones dropped: `/v2//Users/` is `["v2","Users"]`
    /// (old Ping clients double the slash).
    static func segments(_ path: String) -> [String] {
        path.split(separator: "/").map { String($0).removingPercentEncoding ?? String($0) }
    }
}
