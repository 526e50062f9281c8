import AsyncHTTPClient
import Foundation
import NIOCore

/// Why no response arrived, split by what it means for sending the request again.
enum TransportFailure: Error, Sendable {
    /// No connection was made (refused, unreachable, connect or TLS-handshake timeout, no pooled
    /// connection in time): the request never left, so any request may be sent again.
    case unsent(String)
    /// The connection broke or the deadline passed after the request may have been written: whether
    /// the server acted on it is unknown, so only an idempotent request may be sent again as is.
    case connection(String)
    /// The body exceeded the configured maximum: not worth retrying.
    case tooLarge(Int)

    /// Whether `error`, thrown by AsyncHTTPClient, certainly happened before any byte of the request
    /// was written. Only errors of connection set-up qualify; anything else (reset, closed early, read
    /// timeout, deadline) may come after the server received the request, so it counts as sent.
    static func neverSent(_ error: any Error) -> Bool {
        if let error = error as? HTTPClientError {
            return unsentClientErrors.contains(error)
        }
        if let error = error as? ChannelError, case .connectTimeout = error { return true }
        if let error = error as? IOError {
            // Errors only `connect(2)` reports.
            return [ECONNREFUSED, ENETUNREACH, EHOSTUNREACH, EADDRNOTAVAIL].contains(error.errnoCode)
        }
        // NIOPosix's happy-eyeballs "every connection attempt failed", matched by name because this
        // module does not depend on NIOPosix.
        return String(reflecting: type(of: error)) == "NIOPosix.NIOConnectionError"
    }

    private static let unsentClientErrors: [HTTPClientError] = [
        .connectTimeout, .getConnectionFromPoolTimeout, .tlsHandshakeTimeout, .socksHandshakeTimeout, .httpProxyHandshakeTimeout,
        .proxyAuthenticationRequired, .invalidProxyResponse, .invalidURL, .emptyHost, .emptyScheme, .alreadyShutdown,
    ]
}
