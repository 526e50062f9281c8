import NIOHTTP1

/// The methods the clients use, so endpoint files need not import NIO.
enum HTTPMethodName: Sendable {
    case get, post, put, patch, delete

    var nio: HTTPMethod {
        switch self {
        case .get: .GET
        case .post: .POST
        case .put: .PUT
        case .patch: .PATCH
        case .delete: .DELETE
        }
    }
}

/// Path segments taken from callers (ids) are checked, not escaped: Zscaler ids are digits, UUIDs or
/// short tokens, and anything else is a mistake that should not reach the wire.
enum PathSegment {
    static func check(_ value: String, _ what: String) throws(ZscalerAPIError) -> String {
        guard !value.isEmpty, value.count <= 128,
            value.unicodeScalars.allSatisfy({ $0.isASCII && (CharacterSetASCII.isAlphanumeric($0) || "-_.".unicodeScalars.contains($0)) })
        else {
            throw .invalidArgument("\(what) \(value.debugDescription) is not a valid identifier")
        }
        return value
    }
}

enum CharacterSetASCII {
    static func isAlphanumeric(_ scalar: Unicode.Scalar) -> Bool {
        ("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar) || ("0"..."9").contains(scalar)
    }
}
