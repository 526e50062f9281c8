import Hummingbird
import SCIMBridge
import SCIMCore

extension SCIMResponder {
    /// `/ServiceProviderConfig`, `/ResourceTypes`, `/Schemas` (RFC 7644 §4): read-only, and
    /// not filterable (RFC 7644 §4 says a filter there is 403).
    func discovery(_ request: Request, rest: [String], baseURL: String) throws(SCIMError) -> Response {
        guard request.method == .get || request.method == .head else { throw .methodNotAllowed("GET") }
        let query = HTTPMessages.queryItems(request.uri.query)
        if query.contains(where: { $0.0.lowercased() == "filter" }) {
            throw SCIMError(status: 403, detail: "Discovery endpoints cannot be filtered")
        }
        let registry = service.registry
        switch (rest[0].lowercased(), rest.count) {
        case ("serviceproviderconfig", 1):
            return HTTPMessages.json(
                .object(Discovery.serviceProviderConfig(registry: registry, configuration: service.configuration, baseURL: baseURL)))
        case ("resourcetypes", 1):
            let types = registry.resourceTypes.map { $0.jsonValue(location: "\(baseURL)/ResourceTypes/\($0.id)") }
            return HTTPMessages.json(.object(Discovery.listResponse(types)))
        case ("resourcetypes", 2):
            guard let type = registry.resourceTypes.first(where: { $0.id == rest[1] || CaseFolding.equal($0.name, rest[1]) }) else {
                throw .notFound("Resource type \(rest[1]) not found")
            }
            return HTTPMessages.json(type.jsonValue(location: "\(baseURL)/ResourceTypes/\(type.id)"))
        case ("schemas", 1):
            let schemas = Discovery.servedSchemas(registry).map { $0.jsonValue(location: "\(baseURL)/Schemas/\($0.id)") }
            return HTTPMessages.json(.object(Discovery.listResponse(schemas)))
        case ("schemas", 2):
            guard let schema = Discovery.servedSchemas(registry).first(where: { CaseFolding.equal($0.id, rest[1]) }) else {
                throw .notFound("Schema \(rest[1]) not found")
            }
            return HTTPMessages.json(schema.jsonValue(location: "\(baseURL)/Schemas/\(schema.id)"))
        default:
            throw .notFound("No such endpoint: \(request.uri.path)")
        }
    }
}

/// The discovery documents, built from the loaded schemas and the service's real limits.
enum Discovery {
    static func listResponse(_ resources: [JSONValue]) -> JSONObject {
        var out = JSONObject()
        out["schemas"] = .array([.string(SchemaURN.listResponse)])
        out["totalResults"] = .number(JSONNumber(resources.count))
        out["itemsPerPage"] = .number(JSONNumber(resources.count))
        out["startIndex"] = 1
        out["Resources"] = .array(resources)
        return out
    }

    /// The schemas the resource types use (not the meta-schemas describing schemas themselves).
    static func servedSchemas(_ registry: SchemaRegistry) -> [Schema] {
        var ids: [String] = []
        for type in registry.resourceTypes {
            ids.append(type.schema)
            ids += type.schemaExtensions.map(\.schema)
        }
        return ids.compactMap { registry.schema(id: $0) }
    }

    /// The template from `schemas/ServiceProviderConfig.json` with every capability and limit
    /// set from what this service really does.
    static func serviceProviderConfig(registry: SchemaRegistry, configuration c: ServiceConfiguration, baseURL: String) -> JSONObject {
        var out = registry.serviceProviderConfig ?? JSONObject([("schemas", .array([.string(SchemaURN.serviceProviderConfig)]))])
        func supported(_ value: Bool, _ extra: [(String, JSONValue)] = []) -> JSONValue {
            .object(JSONObject([("supported", .bool(value))] + extra))
        }
        out["patch"] = supported(true)
        out["bulk"] = supported(
            true,
            [("maxOperations", .number(JSONNumber(c.bulkMaxOperations))), ("maxPayloadSize", .number(JSONNumber(c.bulkMaxPayloadSize)))])
        out["filter"] = supported(true, [("maxResults", .number(JSONNumber(c.maxResults)))])
        out["changePassword"] = supported(false)
        out["sort"] = supported(true)
        out["etag"] = supported(true)
        out["pagination"] = .object(
            JSONObject([
                ("cursor", .bool(true)), ("index", .bool(true)), ("defaultPaginationMethod", "index"),
                ("defaultPageSize", .number(JSONNumber(c.defaultCount))), ("maxPageSize", .number(JSONNumber(c.maxResults))),
                ("cursorTimeout", .number(JSONNumber(c.cursorTimeout))),
            ]))
        var meta = out["meta"]?.objectValue ?? JSONObject()
        meta["resourceType"] = "ServiceProviderConfig"
        meta["location"] = .string("\(baseURL)/ServiceProviderConfig")
        out["meta"] = .object(meta)
        return out
    }
}
