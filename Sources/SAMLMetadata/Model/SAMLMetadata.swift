import Foundation

/// One parsed SAML 2.0 metadata document, as plain Swift values.
///
/// A value type with no ties to libxml2 (the tree is freed before ``SAMLMetadataParser`` returns),
/// so it can be kept, compared and sent between tasks freely.
public struct SAMLMetadata: Sendable, Hashable, Codable {
    /// Which element the document starts with.
    public enum RootElement: String, Sendable, Hashable, Codable {
        case entityDescriptor = "EntityDescriptor"
        case entitiesDescriptor = "EntitiesDescriptor"
    }

    public var rootElement: RootElement
    /// The `EntitiesDescriptor` tree when the root is one (names and nesting only; the entities
    /// themselves are in ``entities``).
    public var group: EntitiesDescriptor?
    /// Every `EntityDescriptor` in document order, however deeply nested.
    public var entities: [EntityDescriptor]
    /// Recoverable problems found while reading, in document order.
    public var diagnostics: [MetadataDiagnostic]

    public init(rootElement: RootElement, group: EntitiesDescriptor?, entities: [EntityDescriptor], diagnostics: [MetadataDiagnostic]) {
        self.rootElement = rootElement
        self.group = group
        self.entities = entities
        self.diagnostics = diagnostics
    }

    /// The entity with this `entityID`, if the document has one.
    public func entity(_ entityID: String) -> EntityDescriptor? { entities.first { $0.entityID == entityID } }
}

/// An `md:EntitiesDescriptor`: a named group of entities and of further groups.
public struct EntitiesDescriptor: Sendable, Hashable, Codable {
    public var name: String?
    public var id: String?
    public var validUntil: Date?
    public var line: Int
    /// The `entityID`s of the entities directly inside this group, in document order.
    public var entityIDs: [String]
    /// Groups directly inside this group.
    public var groups: [EntitiesDescriptor]

    public init(name: String?, id: String?, validUntil: Date?, line: Int, entityIDs: [String], groups: [EntitiesDescriptor]) {
        self.name = name
        self.id = id
        self.validUntil = validUntil
        self.line = line
        self.entityIDs = entityIDs
        self.groups = groups
    }
}
