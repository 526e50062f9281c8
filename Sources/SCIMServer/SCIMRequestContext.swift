import Hummingbird
import NIOCore

/// Hummingbird's per-request context plus the two ends of the connection: the peer decides
/// whether forwarded headers are believed (a trusted proxy), the local end is the fallback
/// origin for URLs. Read once when the request starts; both are nil for in-process test
/// requests, which have no socket.
public struct SCIMRequestContext: RequestContext, RemoteAddressRequestContext {
    public var coreContext: CoreRequestContextStorage
    public let remoteAddress: SocketAddress?
    public let localAddress: SocketAddress?

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        remoteAddress = source.channel.remoteAddress
        localAddress = source.channel.localAddress
    }
}
