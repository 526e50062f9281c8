import Foundation

/// Request bodies shaped like the ones Microsoft Entra ID sends on create (see
/// `shared/reference/scim-clients.md` §2.1): core and enterprise schemas, `externalId`, a
/// read-only `meta.resourceType`, `roles: []`, one primary work e-mail, the name parts, and an
/// enterprise extension. Seeded users go through the same validator as a real POST, so the stored
/// attributes have exactly the shape the service would store.
enum EntraShapes {
    static let givenNames = [
        "Ada", "Bjorn", "Chiara", "Dmitri", "Elif", "Farah", "Goran", "Hana", "Ines", "Jonas", "Kenji", "Lena", "Mateo", "Nadia",
        "Oskar", "Priya", "Quentin", "Rosa", "Sven", "Tomasz",
    ]
    static let familyNames = [
        "Andersen", "Brennan", "Castillo", "Dubois", "Eriksen", "Fischer", "Garcia", "Hoffmann", "Ivanova", "Jensen", "Kowalski",
        "Laurent", "Moreau", "Nakamura", "Olsen", "Petrov", "Quinn", "Rossi", "Schmidt", "Tanaka",
    ]
    static let titles = ["Engineer", "Senior Engineer", "Analyst", "Account Manager", "Designer", "Support Specialist", "Director"]

    /// The `userName` of seeded user `index`: unique, e-mail shaped, stable across runs.
    static func userName(_ index: Int) -> String {
        let given = givenNames[index % givenNames.count]
        let family = familyNames[(index / givenNames.count) % familyNames.count]
        return "\(given).\(family).\(index)@contoso.com".lowercased()
    }

    /// The JSON text of an Entra-style user create body for seeded user `index`.
    static func userBody(_ index: Int) -> String {
        let given = givenNames[index % givenNames.count]
        let family = familyNames[(index / givenNames.count) % familyNames.count]
        let name = userName(index)
        return """
            {"schemas":["urn:ietf:params:scim:schemas:core:2.0:User","urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"],\
            "externalId":"\(UUID().uuidString.lowercased())","userName":"\(name)","active":true,\
            "displayName":"\(given) \(family)","title":"\(titles[index % titles.count])",\
            "emails":[{"primary":true,"type":"work","value":"\(name)"}],"meta":{"resourceType":"User"},\
            "name":{"formatted":"\(given) \(family)","familyName":"\(family)","givenName":"\(given)"},"roles":[],\
            "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User":{"employeeNumber":"\(100_000 + index)",\
            "department":"Dept \(index % 50)"}}
            """
    }

    /// The JSON text of a group create body (members are written as membership steps, as the
    /// service does with a body's `members`).
    static func groupBody(displayName: String) -> String {
        """
        {"schemas":["urn:ietf:params:scim:schemas:core:2.0:Group"],"externalId":"\(UUID().uuidString.lowercased())",\
        "displayName":"\(displayName)"}
        """
    }
}
