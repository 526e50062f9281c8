import Foundation

/// Saves the emulator's state to a file after changes (debounced) and at shutdown, and loads it
/// at start. Writes go to a temporary file that is renamed over the old one, so a crash mid-save
/// never leaves a half-written state file.
final class StatePersistence: Sendable {
    let path: String
    private let debounce: Duration
    private let stream: AsyncStream<Void>
    private let continuation: AsyncStream<Void>.Continuation

    init(path: String, debounce: Duration) {
        self.path = path
        self.debounce = debounce
        (stream, continuation) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
    }

    /// Notes that the state changed; a burst of changes becomes one save.
    func markDirty() { continuation.yield() }

    /// Saves after each burst of changes until cancelled or finished.
    func run(snapshot: @Sendable () -> EmulatorState, onError: @Sendable (String) -> Void) async {
        for await _ in stream {
            try? await Task.sleep(for: debounce)
            do { try save(snapshot()) } catch { onError("\(error)") }
        }
    }

    func finish() { continuation.finish() }

    func save(_ state: EmulatorState) throws(EmulatorConfigurationError) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        do {
            try encoder.encode(state).write(to: URL(fileURLWithPath: path), options: .atomic)
        } catch {
            throw .init("cannot save state to \(path): \(error.localizedDescription)")
        }
    }

    /// The saved state, or `nil` when there is no file yet.
    static func load(path: String) throws(EmulatorConfigurationError) -> EmulatorState? {
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        do {
            let state = try decoder.decode(EmulatorState.self, from: Data(contentsOf: URL(fileURLWithPath: path)))
            guard state.formatVersion == EmulatorState.formatVersion else {
                throw EmulatorConfigurationError(
                    "state file \(path) has format \(state.formatVersion); expected \(EmulatorState.formatVersion)")
            }
            return state
        } catch let error as EmulatorConfigurationError {
            throw error
        } catch {
            throw .init("cannot load state from \(path): \(error)")
        }
    }
}
