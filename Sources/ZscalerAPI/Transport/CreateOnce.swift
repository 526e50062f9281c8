extension RequestPipeline {
    /// Sends a create so that an unclear failure cannot make the object twice.
    ///
    /// The pipeline does not resend a create after a timeout, a broken connection or a 5xx: the server
    /// may have made the object before the answer was lost, and a second POST would make another or come
    /// back `DUPLICATE_ITEM`. Instead, after the usual backoff, this looks the object up (`lookUp`, by
    /// what identifies it: a user's email, a group's name) and returns what it finds; only when nothing
    /// is there is the create sent again. A `DUPLICATE_ITEM` after such a failure means an earlier
    /// attempt landed after all, so it too is answered by a lookup. The attempts are bounded by the
    /// same ``RetryPolicy`` counts as any other retry, and waits by its ceilings.
    ///
    /// - Parameters:
    ///   - summary: `POST /path`, for errors and logs.
    ///   - send: one create, through the pipeline (which still retries throttling and the edit lock).
    ///   - lookUp: the object the create would have made, if it exists.
    func createOnce<Resource: Sendable>(
        _ summary: String, send: () async throws(ZscalerAPIError) -> Resource,
        lookUp: () async throws(ZscalerAPIError) -> Resource?
    ) async throws(ZscalerAPIError) -> Resource {
        var serverErrors = 0
        var connectionErrors = 0
        var attempts = 0
        var unclear = false
        while true {
            var failure: ZscalerAPIError
            do { return try await send() } catch { failure = error }
            attempts += failure.attempts
            failure.attempts = attempts

            if failure.isDuplicate, unclear {
                if let existing = try await find(lookUp, after: failure, summary) { return existing }
                throw failure
            }
            guard failure.mayHaveBeenApplied else { throw failure }
            unclear = true
            let retryNumber: Int
            switch failure.kind {
            case .serverError:
                serverErrors += 1
                guard serverErrors <= retry.serverErrorRetries else { throw failure }
                retryNumber = serverErrors
            case .transport:
                connectionErrors += 1
                guard connectionErrors <= retry.transportRetries else { throw failure }
                retryNumber = connectionErrors
            default:
                throw failure
            }
            guard let delay = retry.delay(retry: retryNumber, retryAfter: failure.retryAfter) else { throw failure }
            logger.info(
                "zscaler create failed with its outcome unknown; looking before sending it again",
                metadata: ["request": "\(summary)", "error": "\(failure.kind)", "status": "\(failure.status.map(String.init) ?? "-")"])
            // Wait first: a server that timed out may still be storing the object.
            try await pause(delay, summary)
            if let existing = try await find(lookUp, after: failure, summary) { return existing }
        }
    }

    /// Runs the lookup; if it fails, the create's own error is what the caller needs (its outcome is
    /// still unknown), with the lookup's failure added to the message.
    private func find<Resource>(
        _ lookUp: () async throws(ZscalerAPIError) -> Resource?, after failure: ZscalerAPIError, _ summary: String
    ) async throws(ZscalerAPIError) -> Resource? {
        do {
            let existing = try await lookUp()
            if existing != nil {
                logger.info("zscaler create had landed; returning the existing object", metadata: ["request": "\(summary)"])
            }
            return existing
        } catch {
            var failure = failure
            failure.mayHaveBeenApplied = true
            failure.message += " (looking for the object failed: \(error.kind)\(error.status.map { " HTTP \($0)" } ?? ""))"
            throw failure
        }
    }
}
