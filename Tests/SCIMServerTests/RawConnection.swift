import Foundation
import NIOCore
import NIOPosix
import Synchronization
import Testing

/// A loopback TCP connection that sends bytes exactly as written (any `Host`, any forwarded
/// header, or nothing at all) and records what comes back and whether the server closed it:
/// what connection limits, idle timeouts and header handling have to be tested with.
final class RawConnection: Sendable {
    struct Received: Sendable {
        var bytes: [UInt8] = []
        var closed = false
    }

    /// An HTTP/1.1 answer read off the connection.
    struct Answer: Sendable {
        var status: Int
        var headers: [(name: String, value: String)]
        var body: [UInt8]

        func header(_ name: String) -> String? {
            headers.first { $0.name.lowercased() == name.lowercased() }?.value
        }
        var text: String { String(decoding: body, as: UTF8.self) }
    }

    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    let channel: any Channel
    let received: Inbox

    final class Inbox: Sendable {
        let state = Mutex(Received())
    }

    final class Collector: ChannelInboundHandler {
        typealias InboundIn = ByteBuffer
        let inbox: Inbox
        init(_ inbox: Inbox) { self.inbox = inbox }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            var buffer = unwrapInboundIn(data)
            let bytes = buffer.readBytes(length: buffer.readableBytes) ?? []
            inbox.state.withLock { $0.bytes += bytes }
        }

        func channelInactive(context: ChannelHandlerContext) {
            inbox.state.withLock { $0.closed = true }
            context.fireChannelInactive()
        }
    }

    private init(channel: any Channel, received: Inbox) {
        self.channel = channel
        self.received = received
    }

    static func open(port: Int) async throws -> RawConnection {
        let inbox = Inbox()
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture { try channel.pipeline.syncOperations.addHandler(Collector(inbox)) }
            }
            .connect(host: "127.0.0.1", port: port).get()
        return RawConnection(channel: channel, received: inbox)
    }

    func send(_ text: String) async throws {
        try await channel.writeAndFlush(ByteBuffer(string: text)).get()
    }

    /// Sends one request (keep-alive) and reads its answer.
    func request(
        _ method: String, _ target: String, host: String?, headers: [(String, String)] = [], body: String? = nil,
        waitingUpTo limit: Duration = .seconds(20)
    ) async throws -> Answer {
        var text = "\(method) \(target) HTTP/1.1\r\n"
        if let host { text += "Host: \(host)\r\n" }
        for (name, value) in headers { text += "\(name): \(value)\r\n" }
        if let body { text += "Content-Type: application/scim+json\r\nContent-Length: \(body.utf8.count)\r\n" }
        text += "\r\n" + (body ?? "")
        try await send(text)
        guard let answer = try await nextAnswer(waitingUpTo: limit) else {
            throw Failure(description: "no answer to \(method) \(target) within \(limit)")
        }
        return answer
    }

    /// The next complete answer, or nil if none arrives within `limit` (or the connection closes first).
    func nextAnswer(waitingUpTo limit: Duration) async throws -> Answer? {
        let end = ContinuousClock.now.advanced(by: limit)
        while true {
            let (answer, closed) = try received.state.withLock { state -> (Answer?, Bool) in
                guard let (answer, used) = try Self.parse(state.bytes) else { return (nil, state.closed) }
                state.bytes.removeFirst(used)
                return (answer, state.closed)
            }
            if let answer { return answer }
            if closed || ContinuousClock.now >= end { return nil }
            try await Task.sleep(for: .milliseconds(10))
        }
    }

    /// Whether the server closes the connection within `limit`.
    func closedByServer(waitingUpTo limit: Duration) async -> Bool {
        let end = ContinuousClock.now.advanced(by: limit)
        while ContinuousClock.now < end {
            if received.state.withLock({ $0.closed }) { return true }
            try? await Task.sleep(for: .milliseconds(10))
        }
        return received.state.withLock { $0.closed }
    }

    func close() async {
        try? await channel.close().get()
    }

    /// One answer with a `Content-Length` body from the front of `bytes`, and how many bytes it used.
    static func parse(_ bytes: [UInt8]) throws -> (Answer, Int)? {
        let separator = Array("\r\n\r\n".utf8)
        guard let end = bytes.indices.first(where: { bytes[$0...].starts(with: separator) }) else { return nil }
        let lines = String(decoding: bytes[..<end], as: UTF8.self).components(separatedBy: "\r\n")
        let statusParts = lines[0].split(separator: " ")
        guard statusParts.count >= 2, let status = Int(statusParts[1]) else { throw Failure(description: "bad status line \(lines[0])") }
        var headers: [(name: String, value: String)] = []
        for line in lines.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers.append((String(line[..<colon]), line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)))
        }
        let length = headers.first { $0.name.lowercased() == "content-length" }.flatMap { Int($0.value) } ?? 0
        let bodyStart = end + separator.count
        guard bytes.count >= bodyStart + length else { return nil }
        return (Answer(status: status, headers: headers, body: Array(bytes[bodyStart..<(bodyStart + length)])), bodyStart + length)
    }
}
