/// A decoded PatchOp message (RFC 7644 §3.5.2), with the profile's quirks already turned into
/// RFC form, so that the engine applies only canonical operations.
public struct PatchRequest: Sendable, Hashable {
    public enum Kind: String, Sendable, Hashable {
        case add, remove, replace
    }

    public struct Operation: Sendable, Hashable {
        public var kind: Kind
        public var path: PatchPath?
        public var value: JSONValue?
        /// The path as the client wrote it, for messages.
        public var pathText: String?

        public init(kind: Kind, path: PatchPath? = nil, value: JSONValue? = nil, pathText: String? = nil) {
            self.kind = kind
            self.path = path
            self.value = value
            self.pathText = pathText ?? path?.description
        }
    }

    public var operations: [Operation]

    public init(operations: [Operation]) { self.operations = operations }

    /// Decodes a PatchOp body. Envelope problems are `invalidSyntax`; unparseable paths
    /// `invalidPath`/`invalidFilter`.
    public static func decode(
        _ body: JSONValue, profile: CompatibilityProfile = .lenient, maxOperations: Int = 1000
    ) throws(SCIMError) -> PatchRequest {
        guard case .object(let object) = body else { throw .invalidSyntax("A PATCH body must be a JSON object") }
        if let schemas = object.value(forKeyIgnoringCase: "schemas") {
            guard let list = schemas.arrayValue,
                list.contains(where: { $0.stringValue.map { CaseFolding.equal($0, SchemaURN.patchOp) } ?? false })
            else { throw .invalidSyntax("\"schemas\" must contain \"\(SchemaURN.patchOp)\"") }
        } else if !profile.allows(.missingPatchSchemas) {
            throw .invalidSyntax("\"schemas\" is missing; it must contain \"\(SchemaURN.patchOp)\"")
        }
        guard let rawOps = object.value(forKeyIgnoringCase: "Operations") else {
            throw .invalidSyntax("\"Operations\" is missing")
        }
        guard case .array(let list) = rawOps, !list.isEmpty else {
            throw .invalidSyntax("\"Operations\" must be a non-empty array")
        }
        guard list.count <= maxOperations else {
            throw .tooMany("A PATCH may carry at most \(maxOperations) operations; this one has \(list.count)")
        }
        var operations: [Operation] = []
        for (i, raw) in list.enumerated() {
            guard case .object(let op) = raw else { throw .invalidSyntax("Operations[\(i)] must be an object") }
            guard let opName = op.value(forKeyIgnoringCase: "op")?.stringValue else {
                throw .invalidSyntax("Operations[\(i)] needs an \"op\" of add, remove or replace")
            }
            let name = profile.allows(.caseInsensitivePatchOps) ? opName.lowercased() : opName
            guard let kind = Kind(rawValue: name) else {
                throw .invalidSyntax("Operations[\(i)]: \"\(opName)\" is not a PATCH op (add, remove, replace)")
            }
            var path: PatchPath?
            var pathText: String?
            if let rawPath = op.value(forKeyIgnoringCase: "path"), !rawPath.isNull {
                guard let text = rawPath.stringValue else { throw .invalidPath("Operations[\(i)]: \"path\" must be a string") }
                path = try PatchPath.parse(text, filterOptions: profile.filterOptions)
                pathText = text
            }
            let value = op.value(forKeyIgnoringCase: "value")
            switch kind {
            case .remove:
                guard path != nil else { throw .noTarget("Operations[\(i)]: a remove operation needs a \"path\"") }
            case .add, .replace:
                guard value != nil else { throw .invalidValue("Operations[\(i)]: \"\(kind.rawValue)\" needs a \"value\"") }
            }
            operations.append(Operation(kind: kind, path: path, value: value, pathText: pathText))
        }
        return PatchRequest(operations: operations)
    }
}
