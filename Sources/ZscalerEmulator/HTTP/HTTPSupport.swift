import Foundation
import HTTPTypes
import Hummingbird

typealias EmulatorContext = BasicRequestContext

extension WireResponse {
    /// The Hummingbird response carrying exactly these bytes and headers.
    var response: Response {
        var fields = HTTPFields()
        for (name, value) in headers {
            if let fieldName = HTTPField.Name(name) { fields.append(HTTPField(name: fieldName, value: value)) }
        }
        if body.isEmpty {
            return Response(status: .init(code: status), headers: fields, body: .init())
        }
        return Response(status: .init(code: status), headers: fields, body: .init(byteBuffer: ByteBuffer(bytes: body)))
    }
}

extension Request {
    /// Query parameters, form-decoded (``QueryParameters/init(query:invalid:)``), in order; the
    /// framework's own map is not used because it leaves `+` and the names undecoded. `invalid`
    /// builds the API family's 400 for a malformed query string.
    func queryParameters<E: Error>(invalid: (String) -> E) throws(E) -> QueryParameters {
        try QueryParameters(query: uri.query?[...], invalid: invalid)
    }

    /// The bearer token of an `Authorization: Bearer …` header.
    var bearerToken: String? {
        guard let value = headers[.authorization] else { return nil }
        let parts = value.split(separator: " ", maxSplits: 1)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else { return nil }
        return String(parts[1]).trimmingCharacters(in: .whitespaces)
    }

    var contentType: String? { headers[.contentType]?.lowercased() }

    var hasJSONContentType: Bool {
        guard let type = contentType else { return false }
        return type.hasPrefix("application/json") || type.hasPrefix("application/scim+json")
    }

    /// The whole body, at most `limit` bytes; `tooLarge` is thrown past that.
    func bodyData<E: Error>(limit: Int, tooLarge: E) async throws(E) -> Data {
        do {
            let buffer = try await body.collect(upTo: limit)
            return Data(buffer.readableBytesView)
        } catch {
            throw tooLarge
        }
    }

    /// A form-encoded body (`application/x-www-form-urlencoded`) as name → value (first wins).
    func formFields(limit: Int) async -> [String: String]? {
        guard let data = try? await bodyData(limit: limit, tooLarge: ZIAError.payloadTooLarge),
            let text = String(data: data, encoding: .utf8)
        else { return nil }
        return FormFields.parse(text)
    }

    /// The value of one cookie.
    func cookie(_ name: String) -> String? { cookies[name]?.value }
}

/// Decodes a JSON body into `T`, mapping any failure to `invalid`.
func decodeJSON<T: Decodable, E: Error>(_ type: T.Type, from data: Data, invalid: E) throws(E) -> T {
    do { return try JSONDecoder().decode(T.self, from: data) } catch { throw invalid }
}
