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
        // What clients send nearly always, decided without splitting (Foundation's trimming and
        // lower-casing were 3 % of a GET by id).
        guard let value, value != "*/*", value != "application/scim+json", value != "application/json" else { return }
        guard !value.trimmingCharacters(in: .whitespaces).isEmpty else { return }
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
                percentDecoded(s, plusIsSpace: true) ?? s.replacingOccurrences(of: "+", with: " ")
            }
            let name = decode(pair[0])
            guard !name.isEmpty else { return nil }
            return (name, pair.count > 1 ? decode(pair[1]) : "")
        }
    }

    /// Path segments, percent-decoded, with empty ones dropped: `/v2//Users/` is `["v2","Users"]`
    /// (old Ping clients double the slash).
    static func segments(_ path: String) -> [String] {
        path.split(separator: "/").map { percentDecoded($0, plusIsSpace: false) ?? String($0) }
    }

    /// `text` with `%XX` escapes decoded (and `+` as a space when asked), or `nil` when an escape
    /// is malformed or the bytes are not UTF-8 (as Foundation's `removingPercentEncoding`). Text
    /// without escapes, nearly every path segment and parameter, is returned without decoding:
    /// Foundation's decoder was 4 % of a GET by id.
    static func percentDecoded(_ text: Substring, plusIsSpace: Bool) -> String? {
        let utf8 = text.utf8
        guard utf8.contains(where: { $0 == UInt8(ascii: "%") || (plusIsSpace && $0 == UInt8(ascii: "+")) }) else {
            return String(text)
        }
        func hex(_ c: UInt8) -> UInt8? {
            switch c {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): c - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): c - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): c - UInt8(ascii: "A") + 10
            default: nil
            }
        }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(utf8.count)
        var i = utf8.startIndex
        while i != utf8.endIndex {
            let c = utf8[i]
            if c == UInt8(ascii: "%") {
                let first = utf8.index(after: i)
                guard first != utf8.endIndex, let high = hex(utf8[first]) else { return nil }
                let second = utf8.index(after: first)
                guard second != utf8.endIndex, let low = hex(utf8[second]) else { return nil }
                bytes.append(high << 4 | low)
                i = utf8.index(after: second)
            } else {
                bytes.append(plusIsSpace && c == UInt8(ascii: "+") ? UInt8(ascii: " ") : c)
                i = utf8.index(after: i)
            }
        }
        return String(validating: bytes, as: UTF8.self)
    }
}
