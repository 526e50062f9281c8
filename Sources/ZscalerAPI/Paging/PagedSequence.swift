/// An async sequence over every item of a paged Zscaler listing, fetching one page at a time as the
/// consumer asks for more (so a 25,000-user walk never holds more than a page).
///
/// The paging rule is the listing's own (ZIA: bare arrays, stop on a short page; ZPA: `totalPages`;
/// SCIM: `totalResults`); each is a `fetch` closure from a page number to its items and whether more
/// pages follow.
public struct PagedSequence<Element: Sendable>: AsyncSequence, Sendable {
    public typealias Failure = ZscalerAPIError

    /// One fetched page.
    public struct Page: Sendable {
        public var items: [Element]
        public var hasMore: Bool
        public init(items: [Element], hasMore: Bool) {
            self.items = items
            self.hasMore = hasMore
        }
    }

    let firstPage: Int
    /// Safety bound: no listing is walked past this many pages (a server that always says "more"
    /// would otherwise loop for ever).
    let maximumPages: Int
    let fetch: @Sendable (Int) async throws(ZscalerAPIError) -> Page

    init(firstPage: Int = 1, maximumPages: Int = 100_000, fetch: @escaping @Sendable (Int) async throws(ZscalerAPIError) -> Page) {
        self.firstPage = firstPage
        self.maximumPages = maximumPages
        self.fetch = fetch
    }

    public func makeAsyncIterator() -> AsyncIterator {
        AsyncIterator(sequence: self, nextPage: firstPage)
    }

    public struct AsyncIterator: AsyncIteratorProtocol {
        let sequence: PagedSequence
        var nextPage: Int
        var buffer: [Element] = []
        var index = 0
        var finished = false
        var pagesFetched = 0

        public mutating func next() async throws(ZscalerAPIError) -> Element? {
            while index >= buffer.count {
                guard !finished else { return nil }
                guard pagesFetched < sequence.maximumPages else {
                    throw ZscalerAPIError(.decoding, message: "listing did not end after \(sequence.maximumPages) pages")
                }
                let page = try await sequence.fetch(nextPage)
                pagesFetched += 1
                nextPage += 1
                buffer = page.items
                index = 0
                finished = !page.hasMore || page.items.isEmpty
            }
            defer { index += 1 }
            return buffer[index]
        }
    }

    /// Every item, in order.
    public func collect() async throws(ZscalerAPIError) -> [Element] {
        var all: [Element] = []
        var iterator = makeAsyncIterator()
        while let item = try await iterator.next() { all.append(item) }
        return all
    }
}
