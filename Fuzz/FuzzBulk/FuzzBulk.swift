import Foundation
import FuzzSupport
import Logging
import SCIMBridge
import SCIMCore
import SCIMStoreContract

/// Bulk requests (RFC 7644 §3.7) through `SCIMService.bulk`, end to end on the in-memory store: the
/// envelope, `bulkId` ordering and cycles, substitution, and each operation's create, replace,
/// PATCH or delete. There is no public entry point that decodes a bulk body without a store, so
/// each input gets a fresh `InMemoryDirectoryStore` with one tenant (fresh, so that a finding
/// reproduces from its input alone). Any body gives a bulk response or a 4xx SCIM error, and the
/// response has one result per operation run, each with a status.
let tenant = Tenant(id: "tid-fuzz", name: "fuzz", profileName: "lenient", created: SCIMDateTime("2026-01-01T00:00:00Z")!)
let request = SCIMRequest(tenant: tenant, baseURL: "https://scim.example.com/scim/v2")
let configuration: ServiceConfiguration = {
    var c = ServiceConfiguration(cursorSecret: Array(repeating: 7, count: 32))
    let instant = SCIMDateTime("2026-01-01T00:00:00Z")!
    c.clock = { instant }
    c.concurrentWriteRetries = 0
    c.bulkMaxOperations = 50
    return c
}()
let logger = Logger(label: "fuzz-bulk", factory: { _ in SwiftLogNoOpLogHandler() })

/// Runs async work to completion from libFuzzer's synchronous callback (a plain thread, not one of
/// the concurrency pool's, so blocking it is safe).
final class Outcome: @unchecked Sendable {
    var result: Result<JSONObject, SCIMError>?
    let done = DispatchSemaphore(value: 0)
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzBulk(_ start: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    guard let body = try? JSONParser().parse(Fuzz.bytes(start, count)) else { return 0 }
    let outcome = Outcome()
    Task {
        do throws(SCIMError) {
            let store = InMemoryDirectoryStore()
            do { try await store.createTenant(tenant) } catch { fatalError("fuzz set-up: \(error)") }
            let service = try SCIMService(store: store, registry: Fuzz.registry, configuration: configuration, logger: logger)
            outcome.result = .success(try await service.bulk(request, body: body))
        } catch {
            outcome.result = .failure(error)
        }
        outcome.done.signal()
    }
    outcome.done.wait()
    switch outcome.result! {
    case .failure(let error):
        Fuzz.requireClientError(error, "bulk \(Fuzz.excerpt(body))")
    case .success(let response):
        let sent = body.objectValue?.value(forKeyIgnoringCase: "Operations")?.arrayValue?.count ?? 0
        let results = response["Operations"]?.arrayValue ?? []
        Fuzz.require(results.count <= sent, "more results than operations: \(Fuzz.excerpt(body))")
        for result in results {
            guard let status = result["status"]?.stringValue, let code = Int(status) else {
                fatalError("a bulk result without a status: \(Fuzz.excerpt(result)) for \(Fuzz.excerpt(body))")
            }
            // 5xx inside a bulk response would mean the service failed on bad input.
            Fuzz.require((200..<500).contains(code), "bulk operation answered \(code): \(Fuzz.excerpt(result))")
        }
    }
    return 0
}

/// The `main` SwiftPM links (it renames an executable's entry point to `<Module>_main`).
@_cdecl("FuzzBulk_main")
public func fuzzBulkMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    Fuzz.main(argc, argv, fuzzBulk)
}
