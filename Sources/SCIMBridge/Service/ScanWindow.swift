import SCIMCore

/// The part of a scan's matches a page needs, kept while the scan streams through the tenant's
/// resources in creation order: at most one page of resources, never every match. `total` still
/// counts every match, as `totalResults` is exact.
///
/// Sorted, the window must rank every match before it knows the page, so it keeps the leaders so
/// far: their sort keys and ids only, when the page starts past the first entry (a deep page of
/// 100,000 users then holds 100,000 keys, not 100,000 resources). The caller re-reads the page
/// entries that come without `sequenced`.
struct ScanWindow {
    /// One kept match: its id, and (unless sorted past the first page) the resource and, for
    /// users, the groups the scan read for it.
    struct Entry {
        var id: String
        var sequenced: SequencedResource?
        var groups: [GroupReference]?
        var key: SortSpec.Key?
        var ordinal: Int
    }

    enum Mode {
        /// Creation order from a 0-based offset.
        case offset(Int)
        /// Creation order after a keyset sequence (cursor paging).
        case after(Int64)
        /// Sorted; the window starts at a 0-based offset of the sorted order.
        case sorted(SortSpec, offset: Int)
    }

    let mode: Mode
    /// How many entries the page shows, plus one when the caller must know if more follow.
    let size: Int
    private(set) var total = 0
    private var kept: [Entry] = []

    init(mode: Mode, size: Int) {
        self.mode = mode
        self.size = max(size, 0)
    }

    /// Offers one match, in creation order.
    mutating func offer(_ sequenced: SequencedResource, groups: [GroupReference]?, rendered: @autoclosure () -> JSONObject) {
        defer { total += 1 }
        switch mode {
        case .offset(let offset):
            guard total >= offset, total < offset + size else { return }
            kept.append(Entry(id: sequenced.resource.id, sequenced: sequenced, groups: groups, key: nil, ordinal: total))
        case .after(let sequence):
            guard sequenced.sequence > sequence, kept.count < size else { return }
            kept.append(Entry(id: sequenced.resource.id, sequenced: sequenced, groups: groups, key: nil, ordinal: total))
        case .sorted(let spec, let offset):
            let bound = offset + size
            guard bound > 0 else { return }
            let keepsResource = offset == 0
            kept.append(
                Entry(
                    id: sequenced.resource.id, sequenced: keepsResource ? sequenced : nil, groups: keepsResource ? groups : nil,
                    key: spec.key(for: rendered()), ordinal: total))
            // Amortised top-k: sort and cut only when twice the bound has piled up.
            if kept.count >= 2 * bound + 64 {
                sortKept(spec)
                kept.removeLast(kept.count - bound)
            }
        }
    }

    /// The page's entries, in page order.
    mutating func page() -> [Entry] {
        guard case .sorted(let spec, let offset) = mode else { return kept }
        sortKept(spec)
        return Array(kept.dropFirst(offset).prefix(size))
    }

    private mutating func sortKept(_ spec: SortSpec) {
        kept.sort { a, b in spec.precedes(a.key, a.ordinal, b.key, b.ordinal) }
    }
}
