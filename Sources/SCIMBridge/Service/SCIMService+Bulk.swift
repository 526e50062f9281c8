import SCIMCore

extension SCIMService {
    /// `POST /Bulk` (RFC 7644 §3.7). Operations run in an order that creates what a `bulkId:`
    /// reference needs before it is needed; references that form a cycle, or name a bulkId that
    /// no operation defines or that failed, fail their operation with a clear error. `failOnErrors`
    /// stops the job after that many failures. Each operation is atomic on its own, as the RFC says.
    public func bulk(_ request: SCIMRequest, body: JSONValue) async throws(SCIMError) -> JSONObject {
        guard case .object(let envelope) = body else { throw .invalidSyntax("A bulk request must be a JSON object") }
        guard let schemas = envelope.value(forKeyIgnoringCase: "schemas")?.arrayValue,
            schemas.contains(where: { $0.stringValue.map { CaseFolding.equal($0, SchemaURN.bulkRequest) } ?? false })
        else { throw .invalidSyntax("\"schemas\" must contain \"\(SchemaURN.bulkRequest)\"") }
        guard let rawOps = envelope.value(forKeyIgnoringCase: "Operations")?.arrayValue, !rawOps.isEmpty else {
            throw .invalidSyntax("\"Operations\" must be a non-empty array")
        }
        guard rawOps.count <= configuration.bulkMaxOperations else {
            throw SCIMError(
                status: 413, scimType: .tooMany,
                detail: "A bulk request may carry at most \(configuration.bulkMaxOperations) operations; this one has \(rawOps.count)")
        }
        var failOnErrors: Int?
        if let raw = envelope.value(forKeyIgnoringCase: "failOnErrors"), !raw.isNull {
            guard let n = raw.numberValue?.integer, n >= 1 else { throw .invalidValue("failOnErrors must be a positive integer") }
            failOnErrors = Int(clamping: n)
        }

        let operations = rawOps.enumerated().map { BulkOperation(index: $0.offset, raw: $0.element) }
        var defined: [String: Int] = [:]
        for op in operations {
            if let id = op.bulkId { defined[id] = defined[id] == nil ? op.index : -1 }
        }
        let order = BulkOperation.order(operations, defined: defined)

        var resolved: [String: String] = [:]  // bulkId → created resource id
        var failedBulkIds = Set<String>()
        var results: [Int: JSONObject] = [:]
        var errors = 0
        for (position, index) in order.sequence.enumerated() {
            if let failOnErrors, errors >= failOnErrors { break }
            if Self.bulkTimeIsUp(request) {
                // Stop between operations: what ran stays done and is reported; the rest is
                // marked not run, so the client resends exactly those.
                let notRun = SCIMError.unavailable(
                    "Not run: the bulk request reached the server's time limit after \(position) of \(operations.count) operations; "
                        + "send this operation again",
                    retryAfter: 5)
                for skipped in order.sequence[position...] {
                    var result = operations[skipped].resultHeader
                    result["status"] = "503"
                    result["response"] = notRun.jsonValue
                    results[skipped] = result
                }
                break
            }
            let op = operations[index]
            var result: JSONObject
            do throws(SCIMError) {
                if order.cyclic.contains(index) {
                    throw SCIMError(status: 409, detail: "Operation \(index) is part of a circular bulkId reference")
                }
                result = try await run(op, request: request, resolved: resolved, failed: failedBulkIds, defined: defined)
                if let bulkId = op.bulkId, let id = result["id"]?.stringValue { resolved[bulkId] = id }
                result["id"] = nil
            } catch {
                errors += 1
                if let bulkId = op.bulkId { failedBulkIds.insert(bulkId) }
                result = op.resultHeader
                result["status"] = .string(String(error.status))
                result["response"] = error.jsonValue
            }
            results[index] = result
        }
        var out = JSONObject()
        out["schemas"] = .array([.string(SchemaURN.bulkResponse)])
        out["Operations"] = .array(operations.compactMap { results[$0.index].map { .object($0) } })
        return out
    }

    /// How long before the request's deadline a bulk job stops starting operations, so that its
    /// partial BulkResponse reaches the client before the server's own 503 for the whole request
    /// (which would leave the client unsure which operations ran).
    static let bulkDeadlineMargin: Duration = .seconds(1)

    /// Whether a bulk job must stop starting operations: the deadline is near, or nobody waits
    /// for the answer any more (the request's task was cancelled).
    static func bulkTimeIsUp(_ request: SCIMRequest) -> Bool {
        if Task.isCancelled { return true }
        guard let deadline = request.deadline else { return false }
        return ContinuousClock.now + bulkDeadlineMargin >= deadline
    }

    /// Runs one bulk operation and returns its result entry (plus the created id under "id").
    func run(_ op: BulkOperation, request: SCIMRequest, resolved: [String: String], failed: Set<String>, defined: [String: Int])
        async throws(SCIMError) -> JSONObject
    {
        let fields = try op.fields()
        for reference in op.references {
            if failed.contains(reference) { throw SCIMError(status: 409, detail: "bulkId:\(reference) refers to an operation that failed") }
            guard let target = defined[reference], target >= 0 else {
                throw .invalidValue("bulkId:\(reference) is not defined by exactly one operation of this request")
            }
            guard resolved[reference] != nil else { throw SCIMError(status: 409, detail: "bulkId:\(reference) could not be resolved") }
        }
        let path = BulkOperation.substitute(fields.path, resolved)
        let data = fields.data.map { BulkOperation.substitute($0, resolved) }
        let segments = path.split(separator: "/").map(String.init)
        guard let first = segments.first, let kind = ResourceKind(endpoint: first), segments.count <= 2 else {
            throw .invalidPath("Bulk path \(fields.path) is not /Users, /Groups or one of their resources")
        }
        var result = op.resultHeader
        switch (fields.method, segments.count) {
        case ("POST", 1):
            guard op.bulkId != nil else { throw .invalidSyntax("A bulk POST needs a bulkId") }
            guard let data else { throw .invalidSyntax("A bulk POST needs data") }
            let created = try await create(request, kind: kind, body: data)
            result["location"] = created.location.map { .string($0) }
            result["version"] = created.etag.map { .string($0) }
            result["status"] = "201"
            result["id"] = created.body["id"]
        case ("PUT", 2), ("PATCH", 2):
            guard let data else { throw .invalidSyntax("A bulk \(fields.method) needs data") }
            let response =
                fields.method == "PUT"
                ? try await replace(request, kind: kind, id: segments[1], body: data, ifMatch: fields.version)
                : try await patch(request, kind: kind, id: segments[1], body: data, ifMatch: fields.version, attributes: ["id"])
            result["location"] = response.location.map { .string($0) }
            result["version"] = response.etag.map { .string($0) }
            result["status"] = "200"
        case ("DELETE", 2):
            try await delete(request, kind: kind, id: segments[1], ifMatch: fields.version)
            result["location"] = .string(ResourceRenderer(baseURL: request.baseURL).location(kind, segments[1]))
            result["status"] = "204"
        default:
            throw .invalidSyntax("Bulk method \(fields.method) does not apply to \(fields.path)")
        }
        return result
    }
}

/// One entry of a bulk request, with the `bulkId:` references it makes.
struct BulkOperation {
    let index: Int
    let raw: JSONValue

    var object: JSONObject { raw.objectValue ?? JSONObject() }
    var bulkId: String? { object.value(forKeyIgnoringCase: "bulkId")?.stringValue }

    /// `method`, `bulkId` and `version` echoed in the result.
    var resultHeader: JSONObject {
        var o = JSONObject()
        o["method"] = object.value(forKeyIgnoringCase: "method") ?? .string("")
        if let bulkId { o["bulkId"] = .string(bulkId) }
        return o
    }

    struct Fields {
        var method: String
        var path: String
        var data: JSONValue?
        var version: String?
    }

    func fields() throws(SCIMError) -> Fields {
        guard case .object = raw else { throw .invalidSyntax("Bulk operation \(index) must be an object") }
        guard let method = object.value(forKeyIgnoringCase: "method")?.stringValue?.uppercased(),
            ["POST", "PUT", "PATCH", "DELETE"].contains(method)
        else {
            throw .invalidSyntax("Bulk operation \(index) needs a method of POST, PUT, PATCH or DELETE")
        }
        guard let path = object.value(forKeyIgnoringCase: "path")?.stringValue, path.hasPrefix("/") else {
            throw .invalidSyntax("Bulk operation \(index) needs a path such as /Users or /Users/{id}")
        }
        return Fields(
            method: method, path: path, data: object.value(forKeyIgnoringCase: "data"),
            version: object.value(forKeyIgnoringCase: "version")?.stringValue)
    }

    /// Every `bulkId:x` this operation mentions, in its path or anywhere in its data.
    var references: [String] {
        var found: [String] = []
        func visit(_ value: JSONValue) {
            switch value {
            case .string(let s):
                if let r = Self.reference(in: s) { found.append(r) }
            case .array(let a): a.forEach(visit)
            case .object(let o): o.forEach { visit($0.value) }
            default: break
            }
        }
        if let path = object.value(forKeyIgnoringCase: "path")?.stringValue,
            let last = path.split(separator: "/").last, let r = Self.reference(in: String(last))
        {
            found.append(r)
        }
        if let data = object.value(forKeyIgnoringCase: "data") { visit(data) }
        return found
    }

    static func reference(in s: String) -> String? {
        guard s.hasPrefix("bulkId:"), s.count > 7 else { return nil }
        return String(s.dropFirst(7))
    }

    /// Replaces `bulkId:x` strings with the ids they resolved to.
    static func substitute(_ value: JSONValue, _ resolved: [String: String]) -> JSONValue {
        switch value {
        case .string(let s):
            if let r = reference(in: s), let id = resolved[r] { return .string(id) }
            return value
        case .array(let a): return .array(a.map { substitute($0, resolved) })
        case .object(var o):
            o.mapValues { _, v in substitute(v, resolved) }
            return .object(o)
        default: return value
        }
    }

    static func substitute(_ path: String, _ resolved: [String: String]) -> String {
        path.split(separator: "/", omittingEmptySubsequences: false).map { part in
            reference(in: String(part)).flatMap { resolved[$0] } ?? String(part)
        }.joined(separator: "/")
    }

    /// Request order, except that an operation comes after the ones whose bulkIds it references
    /// (depth-first); operations on a reference cycle are reported as such.
    static func order(_ operations: [BulkOperation], defined: [String: Int]) -> (sequence: [Int], cyclic: Set<Int>) {
        var state = [Int: Int]()  // 1 = visiting, 2 = done
        var sequence: [Int] = []
        var cyclic = Set<Int>()
        func visit(_ i: Int, _ stack: [Int]) {
            if state[i] == 2 { return }
            if state[i] == 1 {
                if let start = stack.firstIndex(of: i) { cyclic.formUnion(stack[start...]) }
                return
            }
            state[i] = 1
            for r in operations[i].references {
                if let target = defined[r], target >= 0, target != i {
                    visit(target, stack + [i])
                } else if defined[r] == i {
                    cyclic.insert(i)
                }
            }
            state[i] = 2
            sequence.append(i)
        }
        for op in operations { visit(op.index, []) }
        return (sequence, cyclic)
    }
}
