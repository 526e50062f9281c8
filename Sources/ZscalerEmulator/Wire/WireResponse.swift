import Foundation

/// A response as bytes and headers, independent of the HTTP framework, so the error types of each
/// API family can say exactly what goes on the wire and the server layer only copies it out.
struct WireResponse: Sendable {
    var status: Int
    var headers: [(name: String, value: String)] = []
    var body: Data = Data()

    init(status: Int, headers: [(name: String, value: String)] = [], body: Data = Data()) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// A JSON body from an `Encodable` value.
    static func json(_ status: Int, _ value: some Encodable, contentType: String = "application/json") -> WireResponse {
        let encoder = JSONEncoder()
        // Sorted keys: deterministic bodies (clients must not depend on member order anyway).
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        // Encoding the emulator's own wire types cannot fail; an empty object is the safe fallback.
        let body = (try? encoder.encode(value)) ?? Data("{}".utf8)
        return WireResponse(status: status, headers: [("Content-Type", contentType)], body: body)
    }

    /// A JSON object with its members in the given order (Zscaler's 429 body has a member named
    /// `Retry-After` after `message`, and recordings show that order).
    static func orderedJSON(_ status: Int, _ members: [(String, OrderedValue)], contentType: String = "application/json")
        -> WireResponse
    {
        WireResponse(status: status, headers: [("Content-Type", contentType)], body: Data(OrderedValue.object(members).text.utf8))
    }

    func adding(header name: String, _ value: String) -> WireResponse {
        var copy = self
        copy.headers.append((name, value))
        return copy
    }

    /// A JSON value written with members in a fixed order.
    indirect enum OrderedValue: Sendable {
        case string(String)
        case int(Int)
        case bool(Bool)
        case null
        case array([OrderedValue])
        case object([(String, OrderedValue)])

        var text: String {
            switch self {
            case .string(let value): Self.quote(value)
            case .int(let value): String(value)
            case .bool(let value): value ? "true" : "false"
            case .null: "null"
            case .array(let values): "[" + values.map(\.text).joined(separator: ",") + "]"
            case .object(let members): "{" + members.map { Self.quote($0.0) + ":" + $0.1.text }.joined(separator: ",") + "}"
            }
        }

        private static func quote(_ string: String) -> String {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.withoutEscapingSlashes]
            return (try? encoder.encode(string)).flatMap { String(data: $0, encoding: .utf8) } ?? "\"\""
        }
    }
}

/// An error that knows its exact wire form.
protocol WireError: Error, Sendable {
    var wireResponse: WireResponse { get }
}

/// `Retry-After` text: whole seconds (rounded up) at real time; with a time scale below 1 the
/// scaled value keeps its fraction (`0.36`), because rounding 10 ms up to 1 s would make a scaled
/// test as slow as a real one. Clients should parse it as a decimal number of seconds.
func retryAfterText(_ duration: Duration, timeScale: Double) -> String {
    let seconds = max(0, Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18)
    if timeScale >= 1 { return String(Int(seconds.rounded(.up))) }
    return max(seconds, 0.001).formatted(maxFractionDigits: 3)
}
