import ArgumentParser
import Hummingbird

/// The ceiling for the load test: a minimal Hummingbird 2 server whose one route,
/// `/static/{size}` (GET, POST, PUT, PATCH), reads the request body like zscim does and answers
/// `size` bytes of a prebuilt body as `application/scim+json`. Whatever zscim does beyond this
/// (auth, routing, store, JSON) is what the load script's ratios measure.
@main
struct LoadBaseline: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "LoadBaseline", abstract: "Serve static application/scim+json bodies of a requested size (load-test ceiling).")

    @Option(help: "Address to listen on.") var host = "127.0.0.1"
    @Option(help: "Port to listen on.") var port: Int
    @Option(name: .customLong("max-size"), help: "Largest body served, in bytes.") var maxSize = 4 << 20

    func validate() throws {
        guard (1...65535).contains(port) else { throw ValidationError("--port must be 1...65535") }
        guard (1...(64 << 20)).contains(maxSize) else { throw ValidationError("--max-size must be 1...67108864") }
    }

    func run() async throws {
        // A JSON-looking filler; only its length matters.
        var filler = ByteBuffer()
        let pattern = Array(#"{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"filler"} "#.utf8)
        while filler.readableBytes < maxSize { filler.writeBytes(pattern.prefix(maxSize - filler.readableBytes)) }
        let body = filler
        let limit = maxSize

        let router = Router()
        let handler: @Sendable (Request, BasicRequestContext) async throws -> Response = { request, context in
            var request = request
            _ = try await request.collectBody(upTo: 1 << 20)
            guard let size = context.parameters.get("size", as: Int.self), (0...limit).contains(size) else {
                return Response(status: .badRequest)
            }
            return Response(
                status: .ok, headers: [.contentType: "application/scim+json; charset=utf-8"],
                body: ResponseBody(byteBuffer: body.getSlice(at: body.readerIndex, length: size)!))
        }
        for method in [HTTPRequest.Method.get, .post, .put, .patch] {
            router.on("/static/{size}", method: method, use: handler)
        }
        let app = Application(
            router: router, configuration: .init(address: .hostname(host, port: port), serverName: "zscim-load-baseline"))
        try await app.runService()
    }
}
