/// `/status` and `/status/activate` (reference §6). Changes to users, groups and departments are
/// pending until activated; activation is tenant-wide and limited to 10 a minute, 40 an hour, so the
/// caller batches changes and activates once per batch.
extension ZIAClient {
    public func activationStatus() async throws(ZscalerAPIError) -> ZIAActivationStatus {
        try await send(.get, "/status", as: ZIAActivationStatus.self, methodClass: .read)
    }

    /// `POST /status/activate` (empty body). Idempotent in effect (activating twice activates once), so
    /// it is resent after a 5xx or a broken connection like a GET.
    @discardableResult
    public func activate() async throws(ZscalerAPIError) -> ZIAActivationStatus {
        try await send(.post, "/status/activate", as: ZIAActivationStatus.self, methodClass: .activation, idempotent: true)
    }
}
