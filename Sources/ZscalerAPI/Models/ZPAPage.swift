/// ZPA's list envelope (reference §8.1, §8.3): `{"totalPages":"1","totalCount":"2","list":[...]}`.
/// mgmtconfig sends the counts as strings, userconfig as numbers; an empty page may omit `list`.
public struct ZPAPage<Item: Codable & Sendable>: Codable, Sendable {
    public var totalPages: FlexibleInt?
    public var totalCount: FlexibleInt?
    public var list: [Item]?

    public init(totalPages: FlexibleInt? = nil, totalCount: FlexibleInt? = nil, list: [Item]? = nil) {
        self.totalPages = totalPages
        self.totalCount = totalCount
        self.list = list
    }

    public var items: [Item] { list ?? [] }
}

extension ZPAPage: Equatable where Item: Equatable {}
