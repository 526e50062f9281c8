import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A tiny HTTP/1.1 server on 127.0.0.1 (ephemeral port) built on POSIX sockets and threads, with no NIO
/// and no Hummingbird, so it can misbehave in ways a real server framework will not: answer a 3xx, drop
/// a connection after the request was read, or pass a request on to the emulator and then lose its
/// answer ("applied, then failed"), which the emulator's own faults (all applied before the handler)
/// cannot express.
///
/// One request per connection: every answer carries `Connection: close`, so the client never reuses a
/// connection this server is about to close.
final class LoopbackHTTPServer: Sendable {
    struct Request: Sendable {
        var method: String
        /// Path and query, as sent.
        var target: String
        var headers: [(String, String)]
        var body: [UInt8]

        var path: String { String(target.prefix { $0 != "?" }) }
        /// `"POST /api/v1/users"`.
        var route: String { "\(method) \(path)" }
        func header(_ name: String) -> String? { headers.first { $0.0.caseInsensitiveCompare(name) == .orderedSame }?.1 }
    }

    struct Response: Sendable {
        var status: Int
        var headers: [(String, String)]
        var body: [UInt8]

        init(status: Int, headers: [(String, String)] = [], body: [UInt8] = []) {
            self.status = status
            self.headers = headers
            self.body = body
        }

        static func json(_ status: Int, _ text: String, headers: [(String, String)] = []) -> Response {
            Response(status: status, headers: [("Content-Type", "application/json")] + headers, body: Array(text.utf8))
        }
    }

    enum Reply: Sendable {
        case respond(Response)
        /// Close the connection without answering.
        case drop
    }

    let port: Int
    private let listener: Int32
    private let stopped = Atomic<Bool>(false)
    private let log = Mutex<[Request]>([])
    private let accepted = Atomic<Int>(0)

    /// Starts serving at once; `handler` runs on a connection's own thread, so it may block (to forward).
    init(handler: @escaping @Sendable (Request) -> Reply) throws {
        let fd = try Self.makeSocket()
        var address = Self.loopback(port: 0)
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer in
                bind(fd, pointer, length) == 0 && listen(fd, 64) == 0 && getsockname(fd, pointer, &length) == 0
            }
        }
        guard bound else {
            close(fd)
            throw POSIXError(.EADDRINUSE)
        }
        listener = fd
        port = Int(UInt16(bigEndian: address.sin_port))
        let server = self
        Thread.detachNewThread { server.acceptLoop(handler) }
    }

    /// Every request read so far, in arrival order.
    var requests: [Request] { log.withLock { $0 } }
    /// Connections accepted so far (a client that only connected counts too).
    var connections: Int { accepted.load(ordering: .sequentiallyConsistent) }
    func requests(_ route: String) -> Int { requests.filter { $0.route == route }.count }

    /// Stops accepting (within about 50 ms); connections in progress finish.
    func stop() { stopped.store(true, ordering: .sequentiallyConsistent) }

    // MARK: Forwarding

    /// Sends `request` to `127.0.0.1:port` on a fresh connection and returns the complete answer, or nil
    /// when the upstream failed. Blocking: call it from a handler.
    static func exchange(_ request: Request, port: Int) -> Response? {
        guard let fd = try? makeSocket() else { return nil }
        defer { close(fd) }
        setTimeouts(fd)
        var address = loopback(port: port)
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else { return nil }
        var head = "\(request.method) \(request.target) HTTP/1.1\r\n"
        for (name, value) in request.headers where !["connection", "content-length"].contains(name.lowercased()) {
            head += "\(name): \(value)\r\n"
        }
        head += "Content-Length: \(request.body.count)\r\nConnection: close\r\n\r\n"
        guard writeAll(fd, Array(head.utf8) + request.body) else { return nil }
        var reader = Reader(fd: fd)
        guard let (statusLine, headers) = reader.head() else { return nil }
        let parts = statusLine.split(separator: " ", maxSplits: 2)
        guard parts.count >= 2, let status = Int(parts[1]) else { return nil }
        let body: [UInt8]
        if headers.contains(where: { $0.0.lowercased() == "transfer-encoding" && $0.1.lowercased().contains("chunked") }) {
            guard let chunked = reader.chunkedBody() else { return nil }
            body = chunked
        } else if let length = headers.first(where: { $0.0.lowercased() == "content-length" }).flatMap({ Int($0.1) }) {
            guard let fixed = reader.bytes(length) else { return nil }
            body = fixed
        } else {
            body = reader.rest()
        }
        let kept = headers.filter { !["connection", "content-length", "transfer-encoding"].contains($0.0.lowercased()) }
        return Response(status: status, headers: kept, body: body)
    }

    // MARK: Serving

    private func acceptLoop(_ handler: @escaping @Sendable (Request) -> Reply) {
        defer { close(listener) }
        while !stopped.load(ordering: .sequentiallyConsistent) {
            var poller = pollfd(fd: listener, events: Int16(POLLIN), revents: 0)
            guard poll(&poller, 1, 50) > 0 else { continue }
            let client = accept(listener, nil, nil)
            guard client >= 0 else { continue }
            accepted.wrappingAdd(1, ordering: .sequentiallyConsistent)
            let server = self
            Thread.detachNewThread { server.serve(client, handler) }
        }
    }

    private func serve(_ fd: Int32, _ handler: @Sendable (Request) -> Reply) {
        defer { close(fd) }
        Self.setTimeouts(fd)
        var reader = Reader(fd: fd)
        guard let (requestLine, headers) = reader.head() else { return }
        let parts = requestLine.split(separator: " ")
        guard parts.count >= 2 else { return }
        let length = headers.first { $0.0.lowercased() == "content-length" }.flatMap { Int($0.1) } ?? 0
        guard let body = reader.bytes(length) else { return }
        let request = Request(method: String(parts[0]), target: String(parts[1]), headers: headers, body: body)
        log.withLock { $0.append(request) }
        switch handler(request) {
        case .drop:
            return
        case .respond(let response):
            var head = "HTTP/1.1 \(response.status) \(Self.reason(response.status))\r\n"
            for (name, value) in response.headers { head += "\(name): \(value)\r\n" }
            head += "Content-Length: \(response.body.count)\r\nConnection: close\r\n\r\n"
            _ = Self.writeAll(fd, Array(head.utf8) + response.body)
            shutdown(fd, Int32(SHUT_WR))
        }
    }

    private static func reason(_ status: Int) -> String {
        switch status {
        case 200: "OK"
        case 201: "Created"
        case 302: "Found"
        case 307: "Temporary Redirect"
        case 308: "Permanent Redirect"
        case 409: "Conflict"
        case 429: "Too Many Requests"
        case 500: "Internal Server Error"
        case 503: "Service Unavailable"
        default: "Status"
        }
    }

    // MARK: Sockets

    private static func makeSocket() throws -> Int32 {
        #if canImport(Glibc)
            let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        #else
            let fd = socket(AF_INET, SOCK_STREAM, 0)
        #endif
        guard fd >= 0 else { throw POSIXError(.EIO) }
        var one: Int32 = 1
        _ = setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
        #if canImport(Darwin)
            _ = setsockopt(fd, SOL_SOCKET, SO_NOSIGPIPE, &one, socklen_t(MemoryLayout<Int32>.size))
        #endif
        return fd
    }

    private static func loopback(port: Int) -> sockaddr_in {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = UInt16(port).bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        return address
    }

    /// Reads and writes give up after 10 s, so a test never hangs on a silent peer.
    private static func setTimeouts(_ fd: Int32) {
        var timeout = timeval(tv_sec: 10, tv_usec: 0)
        _ = setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        _ = setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
    }

    private static func writeAll(_ fd: Int32, _ bytes: [UInt8]) -> Bool {
        #if canImport(Glibc)
            let flags = Int32(MSG_NOSIGNAL)
        #else
            let flags: Int32 = 0
        #endif
        var offset = 0
        while offset < bytes.count {
            let written = bytes[offset...].withUnsafeBytes { send(fd, $0.baseAddress, $0.count, flags) }
            guard written > 0 else { return false }
            offset += written
        }
        return true
    }

    /// Buffered reading of one HTTP message from a blocking socket.
    private struct Reader {
        let fd: Int32
        var buffer: [UInt8] = []

        /// Reads more; false at end of stream, on error or timeout.
        mutating func fill() -> Bool {
            var chunk = [UInt8](repeating: 0, count: 16_384)
            let count = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            guard count > 0 else { return false }
            buffer += chunk[..<count]
            return true
        }

        mutating func line() -> String? {
            while true {
                if let index = buffer.indices.dropLast().first(where: { buffer[$0] == 13 && buffer[$0 + 1] == 10 }) {
                    let text = String(decoding: buffer[..<index], as: UTF8.self)
                    buffer.removeFirst(index + 2)
                    return text
                }
                guard fill() else { return nil }
            }
        }

        /// The start line and the headers.
        mutating func head() -> (String, [(String, String)])? {
            guard let start = line() else { return nil }
            var headers: [(String, String)] = []
            while let header = line() {
                if header.isEmpty { return (start, headers) }
                guard let colon = header.firstIndex(of: ":") else { continue }
                headers.append(
                    (String(header[..<colon]), String(header[header.index(after: colon)...]).trimmingCharacters(in: .whitespaces)))
            }
            return nil
        }

        mutating func bytes(_ count: Int) -> [UInt8]? {
            while buffer.count < count { guard fill() else { return nil } }
            let out = Array(buffer[..<count])
            buffer.removeFirst(count)
            return out
        }

        mutating func chunkedBody() -> [UInt8]? {
            var body: [UInt8] = []
            while true {
                guard let sizeLine = line(),
                    let size = sizeLine.split(separator: ";").first.flatMap({ Int($0.trimmingCharacters(in: .whitespaces), radix: 16) })
                else { return nil }
                if size == 0 {
                    while let trailer = line(), !trailer.isEmpty {}
                    return body
                }
                guard let chunk = bytes(size), line() != nil else { return nil }
                body += chunk
            }
        }

        mutating func rest() -> [UInt8] {
            while fill() {}
            return buffer
        }
    }
}
