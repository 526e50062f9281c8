import AsyncHTTPClient
import Logging
import NIOCore
import NIOHTTP1

/// One request as the pipeline builds it: absolute URL, headers, body.
struct OutgoingRequest: Sendable {
    var method: HTTPMethod
    var url: String
    var headers: HTTPHeaders
    var body: [UInt8]?
    /// `METHOD /path` for logs and errors: no query, nothing secret.
    var summary: String
}

/// One complete response (the body is read whole, up to the configured limit).
struct IncomingResponse: Sendable {
    var status: Int
    var headers: HTTPHeaders
    var body: [UInt8]

    var contentType: String? { headers.first(name: "content-type") }
}

/// The only place that touches AsyncHTTPClient. Sends one request, reads a bounded body, and logs both
/// directions with every secret redacted.
struct HTTPTransport: Sendable {
    let client: HTTPClient
    let logger: Logger
    let scrubber: SecretScrubber
    let requestTimeout: Duration
    let maximumResponseBytes: Int
    let userAgent: String

    func send(_ request: OutgoingRequest) async -> Result<IncomingResponse, TransportFailure> {
        var outgoing = HTTPClientRequest(url: request.url)
        outgoing.method = request.method
        outgoing.headers = request.headers
        outgoing.headers.replaceOrAdd(name: "User-Agent", value: userAgent)
        if let body = request.body {
            outgoing.body = .bytes(ByteBuffer(bytes: body))
            outgoing.headers.replaceOrAdd(name: "Content-Length", value: String(body.count))
        }
        logRequest(request, headers: outgoing.headers)
        let started = ContinuousClock.now
        do {
            let response = try await client.execute(outgoing, timeout: .nanoseconds(requestTimeout.nanoseconds))
            let contentLength = response.headers.first(name: "content-length").flatMap(Int.init)
            if let contentLength, contentLength > maximumResponseBytes {
                return .failure(.tooLarge(contentLength))
            }
            let buffer: ByteBuffer
            do {
                buffer = try await response.body.collect(upTo: maximumResponseBytes)
            } catch is NIOTooManyBytesError {
                return .failure(.tooLarge(maximumResponseBytes))
            }
            let incoming = IncomingResponse(
                status: Int(response.status.code), headers: response.headers, body: Array(buffer.readableBytesView))
            logResponse(request, incoming, elapsed: ContinuousClock.now - started)
            return .success(incoming)
        } catch {
            let description = scrubber.scrub(String(describing: error))
            let unsent = TransportFailure.neverSent(error)
            logger.debug(
                "zscaler request failed",
                metadata: ["request": "\(request.summary)", "error": "\(description)", "sent": "\(!unsent)"])
            return .failure(unsent ? .unsent(description) : .connection(description))
        }
    }

    private func logRequest(_ request: OutgoingRequest, headers: HTTPHeaders) {
        guard logger.logLevel <= .debug else { return }
        var metadata: Logger.Metadata = [
            "method": "\(request.method.rawValue)",
            "url": "\(scrubber.scrub(request.url))",
            "headers": "\(scrubber.scrub(Redaction.headers(headers)))",
        ]
        if logger.logLevel <= .trace, let body = request.body {
            metadata["body"] = "\(scrubber.scrub(Redaction.body(body, contentType: headers.first(name: "content-type"))))"
        }
        logger.debug("zscaler request", metadata: metadata)
    }

    private func logResponse(_ request: OutgoingRequest, _ response: IncomingResponse, elapsed: Duration) {
        guard logger.logLevel <= .debug else { return }
        var metadata: Logger.Metadata = [
            "request": "\(request.summary)",
            "status": "\(response.status)",
            "elapsed_ms": "\(elapsed.milliseconds)",
            "headers": "\(scrubber.scrub(Redaction.headers(response.headers)))",
        ]
        if logger.logLevel <= .trace {
            metadata["body"] = "\(scrubber.scrub(Redaction.body(response.body, contentType: response.contentType)))"
        }
        logger.debug("zscaler response", metadata: metadata)
    }
}

extension Duration {
    var nanoseconds: Int64 {
        let (seconds, attoseconds) = components
        return seconds * 1_000_000_000 + attoseconds / 1_000_000_000
    }

    var milliseconds: Int64 { nanoseconds / 1_000_000 }

    /// Seconds as a floating-point number (for scaling and reporting).
    var seconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }

    /// `self × factor`: a Zscaler duration in real time under a time scale (0.01 = a hundred times
    /// faster), the same convention as the emulator's `timeScale`.
    func scaled(by factor: Double) -> Duration {
        guard factor != 1 else { return self }
        return .nanoseconds(Int64((Double(nanoseconds) * factor).rounded()))
    }
}
