/// `/users` (reference §3).
extension ZIAClient {
    /// The largest page `/users` serves (§3.2); also the default, since `GET /users` is the scarcest
    /// budget (10/min, 40/h as printed) and fewer, larger pages spend less of it.
    public static let maximumUserPageSize = 10_000
    /// `bulkDelete` takes at most this many ids per call (§3.1).
    public static let bulkDeleteChunkSize = 500

    /// Every user matching the filters, fetched a page at a time.
    /// - Parameters:
    ///   - name: substring of the display name.
    ///   - department: prefix of the department name.
    ///   - group: prefix of a group name.
    /// There is no email filter in ZIA (§3.2); callers keep their own email → id index.
    public func users(name: String? = nil, department: String? = nil, group: String? = nil, pageSize: Int = maximumUserPageSize)
        throws(ZscalerAPIError) -> PagedSequence<ZIAUser>
    {
        guard (1...Self.maximumUserPageSize).contains(pageSize) else {
            throw .invalidArgument("pageSize must be 1...\(Self.maximumUserPageSize)")
        }
        var filters: [(String, String)] = []
        if let name { filters.append(("name", name)) }
        if let department { filters.append(("dept", department)) }
        if let group { filters.append(("group", group)) }
        let client = self
        let fixedFilters = filters
        // A bare array with no total (§3.2): a page shorter than asked for is the last.
        return PagedSequence { page throws(ZscalerAPIError) in
            let items = try await client.send(
                .get, "/users", query: fixedFilters + [("page", String(page)), ("pageSize", String(pageSize))],
                as: [ZIAUser].self, methodClass: .userList)
            return .init(items: items, hasMore: items.count >= pageSize)
        }
    }

    public func user(id: Int) async throws(ZscalerAPIError) -> ZIAUser {
        try await send(.get, "/users/\(id)", as: ZIAUser.self, methodClass: .read)
    }

    /// `POST /users`. The user must have no id, a name, an email in one of the org's domains, a
    /// department and at most 127 groups.
    ///
    /// Made at most once: after a timeout, a broken connection or a 5xx the user may exist although the
    /// answer was lost, so instead of resending, the client looks the user up
    /// (``findUser(email:name:)``) and returns the one it finds; only when there is none is the POST
    /// sent again, within the retry policy's bounds. A user that already existed before the call still
    /// fails with `DUPLICATE_ITEM` (``ZscalerAPIError/isDuplicate``).
    public func createUser(_ user: ZIAUser) async throws(ZscalerAPIError) -> ZIAUser {
        try user.validate(forCreate: true)
        return try await pipeline.createOnce("POST /users") { () async throws(ZscalerAPIError) -> ZIAUser in
            try await send(.post, "/users", body: user, as: ZIAUser.self, methodClass: .write)
        } lookUp: { () async throws(ZscalerAPIError) -> ZIAUser? in
            try await findUser(email: user.email, name: user.name)
        }
    }

    /// The user whose email is `email` (ignoring case), looked for among the users whose display name
    /// contains `name`: ZIA has no email filter (§3.2), and a full listing would spend the scarce
    /// `GET /users` budget on every user of the tenant. For adopting a user after a create came back
    /// `DUPLICATE_ITEM` or failed with its outcome unknown; a user renamed since is not found.
    public func findUser(email: String, name: String) async throws(ZscalerAPIError) -> ZIAUser? {
        guard !name.isEmpty else { throw .invalidArgument("findUser needs the user's display name to search by") }
        for try await user in try users(name: name) where user.email.caseInsensitiveCompare(email) == .orderedSame {
            return user
        }
        return nil
    }

    /// `PUT /users/{id}`: a full replace (§3.4). Send the whole user as last read, changed: groups are
    /// replaced wholesale, the email cannot change.
    public func updateUser(_ user: ZIAUser) async throws(ZscalerAPIError) -> ZIAUser {
        guard let id = user.id else { throw .invalidArgument("an update needs the user's id") }
        try user.validate(forCreate: false)
        return try await send(.put, "/users/\(id)", body: user, as: ZIAUser.self, methodClass: .write)
    }

    /// `DELETE /users/{id}`: spends the scarce "Heavy" budget (1/min); prefer ``bulkDeleteUsers(ids:)``.
    public func deleteUser(id: Int) async throws(ZscalerAPIError) {
        try await sendIgnoringBody(.delete, "/users/\(id)", methodClass: .delete)
    }

    /// Deletes users through `POST /users/bulkDelete`, in chunks of 500 ids (§3.1).
    /// - Returns: the ids Zscaler reports as deleted (unknown ids are silently not in it).
    /// - Throws: on the first chunk that fails; the error's message says how many ids earlier chunks
    ///   had already deleted.
    public func bulkDeleteUsers(ids: [Int]) async throws(ZscalerAPIError) -> [Int] {
        var seen = Set<Int>()
        let unique = ids.filter { seen.insert($0).inserted }
        var deleted: [Int] = []
        for start in stride(from: 0, to: unique.count, by: Self.bulkDeleteChunkSize) {
            let chunk = Array(unique[start..<min(start + Self.bulkDeleteChunkSize, unique.count)])
            do {
                // Idempotent in effect: ids already deleted are simply not in the answer.
                let answer = try await send(
                    .post, "/users/bulkDelete", body: ZIAIDList(ids: chunk), as: ZIAIDList.self, methodClass: .bulkDelete,
                    idempotent: true)
                deleted += answer.ids
            } catch {
                var error = error
                if !deleted.isEmpty { error.message += " (earlier chunks already deleted \(deleted.count) users)" }
                throw error
            }
        }
        return deleted
    }
}
