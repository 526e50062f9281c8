import NIOCore
import NIOHTTPTypes

/// Closes the connection, without a response, for requests the fault injector picks: the
/// "dropped connection" a client must survive. It sits in the channel pipeline after HTTP decoding
/// (Hummingbird's `additionalChannelHandlers`), so the drop happens at the socket, exactly as a
/// broken load balancer would do it.
final class ConnectionDropHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart

    private let faults: FaultInjector
    private let counters: EmulatorCounters
    private var dropping = false

    init(faults: FaultInjector, counters: EmulatorCounters) {
        self.faults = faults
        self.counters = counters
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let part = unwrapInboundIn(data)
        if case .head(let request) = part {
            let path = String((request.path ?? "/").prefix { $0 != "?" })
            dropping = faults.shouldDrop(path: path)
            if dropping {
                counters.recordDrop()
                context.close(promise: nil)
            }
        }
        if !dropping { context.fireChannelRead(data) }
    }
}
