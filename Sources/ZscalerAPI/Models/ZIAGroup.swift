import Foundation

/// A ZIA group (reference §4.2). Real lists carry `id`, `name` and non-empty `comments`; the other
/// fields only when set.
public struct ZIAGroup: Codable, Sendable, Hashable {
    public var id: Int?
    /// Required, at most 128 characters.
    public var name: String
    public var comments: String?
    /// The IdP that provisioned it.
    public var idpId: Int64?
    public var isSystemDefined: Bool?

    public init(id: Int? = nil, name: String, comments: String? = nil, idpId: Int64? = nil, isSystemDefined: Bool? = nil) {
        self.id = id
        self.name = name
        self.comments = comments
        self.idpId = idpId
        self.isSystemDefined = isSystemDefined
    }

    func validate() throws(ZscalerAPIError) {
        if name.trimmingCharacters(in: .whitespaces).isEmpty { throw .invalidArgument("a group needs a name") }
        if name.count > 128 { throw .invalidArgument("group name is longer than 128 characters") }
        if let comments, comments.utf8.count > 10_240 { throw .invalidArgument("group comments exceed 10,240 bytes") }
    }
}

/// A ZIA department (reference §4.2).
public struct ZIADepartment: Codable, Sendable, Hashable {
    public var id: Int?
    /// Required, at most 128 characters.
    public var name: String
    public var comments: String?
    public var idpId: Int64?
    public var deleted: Bool?

    public init(id: Int? = nil, name: String, comments: String? = nil, idpId: Int64? = nil, deleted: Bool? = nil) {
        self.id = id
        self.name = name
        self.comments = comments
        self.idpId = idpId
        self.deleted = deleted
    }

    func validate() throws(ZscalerAPIError) {
        if name.trimmingCharacters(in: .whitespaces).isEmpty { throw .invalidArgument("a department needs a name") }
        if name.count > 128 { throw .invalidArgument("department name is longer than 128 characters") }
        if let comments, comments.utf8.count > 10_240 { throw .invalidArgument("department comments exceed 10,240 bytes") }
    }
}
