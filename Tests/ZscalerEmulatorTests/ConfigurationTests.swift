import Foundation
import Logging
import Synchronization
import TestSupport
import Testing

@testable import ZscalerEmulator

/// The emulator's configuration, read through swift-configuration from flags, `ZSCALER_EMULATOR_…`
/// environment variables and a JSON file: typed, unknown keys refused with the key named, secrets
/// never printed.
@Suite struct ConfigurationTests {
    typealias Sources = EmulatorConfigurationSources

    func file(_ json: String, name: String = "test.json") -> Sources.File { .init(name: name, data: Data(json.utf8)) }

    /// The error `body` throws (recording an issue when it throws none).
    func refusal(_ body: () throws(EmulatorConfigurationError) -> EmulatorConfiguration) -> EmulatorConfigurationError? {
        do {
            let configuration = try body()
            Issue.record("expected a refusal, got a configuration with timeScale \(configuration.timeScale)")
            return nil
        } catch {
            return error
        }
    }

    @Test func aGoodFileSetsEveryKindOfValue() throws {
        let json = """
            {
              "host": "::1", "port": 8443, "publicScheme": "https", "timeScale": 1, "controlEnabled": true,
              "statePath": "/tmp/emulator-state.json", "randomSeed": 7,
              "sessions": {"idleTimeoutSeconds": 60, "absoluteTimeoutSeconds": null},
              "zia": {"duplicateStatus": 400, "oneIdentityEnabled": true},
              "rateLimits": {
                "enforce": false,
                "ziaLight": [{"limit": 4, "seconds": 1}],
                "oneAPIGateway": {"limit": 100},
                "zia": [{"method": "GET", "path": "/status", "windows": [{"limit": 3, "seconds": 3600}]}]
              },
              "faults": {"serverErrorRate": 0.5, "pathPrefix": "/api/v1"},
              "credentials": {"ziaAPIKey": "configured-api-key-0001"}
            }
            """
        let configuration = try EmulatorConfiguration.load(Sources(file: file(json)))
        #expect(configuration.host == "::1")
        #expect(configuration.port == 8443)
        #expect(configuration.publicScheme == .https)
        #expect(configuration.timeScale == 1)  // an integer in JSON is a fine number
        #expect(configuration.controlEnabled)
        #expect(configuration.statePath == "/tmp/emulator-state.json")
        #expect(configuration.randomSeed == 7)
        #expect(configuration.sessions.idleTimeoutSeconds == 60)
        #expect(configuration.sessions.absoluteTimeoutSeconds == nil)  // null clears an optional setting
        #expect(configuration.sessions.timestampToleranceSeconds == 3600)  // untouched keys keep their defaults
        #expect(configuration.zia.duplicateStatus == 400 && configuration.zia.oneIdentityEnabled)
        #expect(configuration.rateLimits.enforce == false)
        #expect(configuration.rateLimits.ziaLight == [.perSecond(4)])
        #expect(configuration.rateLimits.oneAPIGateway == .init(limit: 100, seconds: 60))  // objects merge over the default
        #expect(configuration.rateLimits.zia == [EmulatedRateRule("GET", "/status", [.perHour(3)])])
        #expect(configuration.faults.serverErrorRate == 0.5 && configuration.faults.pathPrefix == "/api/v1")
        #expect(configuration.credentials.ziaAPIKey?.revealed == "configured-api-key-0001")
        #expect(configuration.credentials.zpaClientSecret == nil)
    }

    @Test func flagsBeatTheEnvironmentWhichBeatsTheFileWhichBeatsTheBase() throws {
        var base = EmulatorConfiguration()
        base.port = 9443
        let json = #"{"port": 1001, "timeScale": 0.5, "host": "127.0.0.2", "maxBodyBytes": 2048}"#
        let environment = [
            "ZSCALER_EMULATOR_PORT": "1002", "ZSCALER_EMULATOR_TIME_SCALE": "0.25", "PATH": "/usr/bin", "ZSCIM_PORT": "8080",
        ]
        let configuration = try EmulatorConfiguration.load(
            Sources(flags: ["port": .int(1003)], environment: environment, file: file(json)), over: base)
        #expect(configuration.port == 1003)  // flag
        #expect(configuration.timeScale == 0.25)  // environment
        #expect(configuration.host == "127.0.0.2")  // file
        #expect(configuration.maxBodyBytes == 2048)
        #expect(try EmulatorConfiguration.load(Sources(), over: base).port == 9443)  // base
    }

    @Test func unknownKeysAreRefusedNamingTheKeyAndWhatIsAllowed() {
        let topLevel = refusal { () throws(EmulatorConfigurationError) in
            try EmulatorConfiguration.load(patch: Data(#"{"timeScal":1}"#.utf8))
        }
        #expect(topLevel?.key == "timeScal")
        #expect(topLevel?.description.contains("unknown key timeScal") == true)
        #expect(topLevel?.description.contains("timeScale") == true)  // the allowed keys are listed

        let nested = refusal { () throws(EmulatorConfigurationError) in
            try EmulatorConfiguration.load(Sources(file: file(#"{"sessions":{"idleTimeout":5}}"#)))
        }
        #expect(nested?.key == "sessions.idleTimeout")
        #expect(nested?.description.contains("test.json") == true)
        #expect(nested?.description.contains("in sessions") == true)
        #expect(nested?.description.contains("idleTimeoutSeconds") == true)

        let insideWindows = refusal { () throws(EmulatorConfigurationError) in
            try EmulatorConfiguration.load(Sources(file: file(#"{"rateLimits":{"ziaLight":[{"limit":2,"seconds":1,"burst":3}]}}"#)))
        }
        #expect(insideWindows?.key == "rateLimits.ziaLight")
        #expect(insideWindows?.description.contains("[0].burst") == true)

        let groupNotObject = refusal { () throws(EmulatorConfigurationError) in
            try EmulatorConfiguration.load(Sources(file: file(#"{"sessions":5}"#)))
        }
        #expect(groupNotObject?.key == "sessions")

        let environment = refusal { () throws(EmulatorConfigurationError) in
            try EmulatorConfiguration.load(Sources(environment: ["ZSCALER_EMULATOR_PROT": "1"]))
        }
        #expect(environment?.key == "ZSCALER_EMULATOR_PROT")
        #expect(environment?.description.contains("did you mean ZSCALER_EMULATOR_PORT?") == true)
        #expect(environment?.description.contains("ZSCALER_EMULATOR_SESSIONS_MAX_TOKENS") == true)  // and what is allowed

        let flag = refusal { () throws(EmulatorConfigurationError) in try EmulatorConfiguration.load(Sources(flags: ["prot": .int(1)])) }
        #expect(flag?.key == "prot")
    }

    @Test func wrongTypesAreRefusedNamingTheKey() {
        let cases: [(Sources, key: String, says: String)] = [
            (Sources(file: file(#"{"timeScale":"fast"}"#)), "timeScale", "must be a number"),
            (Sources(file: file(#"{"port":true}"#)), "port", "must be an integer"),
            (Sources(file: file(#"{"port":80.5}"#)), "port", "must be an integer"),
            (Sources(file: file(#"{"controlEnabled":"yes"}"#)), "controlEnabled", "must be true or false"),
            (Sources(file: file(#"{"sessions":{"idleTimeoutSeconds":null}}"#)), "sessions.idleTimeoutSeconds", "cannot be null"),
            (Sources(file: file(#"{"publicScheme":"ftp"}"#)), "publicScheme", "one of http, https"),
            (Sources(file: file(#"{"rateLimits":{"ziaLight":[{"limit":"two","seconds":1}]}}"#)), "rateLimits.ziaLight", "[0].limit"),
            (Sources(file: file(#"{"randomSeed":-1}"#)), "randomSeed", "0 or more"),
            (Sources(environment: ["ZSCALER_EMULATOR_PORT": "abc"]), "port", "ZSCALER_EMULATOR_PORT"),
            (Sources(environment: ["ZSCALER_EMULATOR_RATE_LIMITS_ENFORCE": "maybe"]), "rateLimits.enforce", "true or false"),
            (Sources(environment: ["ZSCALER_EMULATOR_RATE_LIMITS_ZPA_READ": "[1,2"]), "rateLimits.zpaRead", "must be JSON"),
            (Sources(flags: ["port": .string("9443")]), "port", "must be an integer"),
            (Sources(file: file(#"{"timeScale":0}"#)), "timeScale", "positive"),  // right type, refused by validate()
        ]
        for (sources, key, says) in cases {
            let error = refusal { () throws(EmulatorConfigurationError) in try EmulatorConfiguration.load(sources) }
            #expect(error?.key == key, "\(key)")
            #expect(error?.description.contains(says) == true, "\(key): \(error?.description ?? "")")
        }
        let notJSON = refusal { () throws(EmulatorConfigurationError) in try EmulatorConfiguration.load(patch: Data("{".utf8)) }
        #expect(notJSON?.description.contains("not valid JSON") == true)
    }

    /// Each key is read from the variable its name gives (a name the provider would not look up
    /// would leave the value silently at its default) and from a file.
    @Test(arguments: EmulatorConfiguration.keys.map(\.path))
    func everyKeyIsReadFromTheEnvironmentAndFromAFile(path: String) throws {
        let key = try #require(EmulatorConfiguration.keys.first { $0.path == path })
        let defaults = EmulatorConfiguration()
        let (text, json) = sample(for: key, default: key.render(defaults))
        let fromEnvironment = try EmulatorConfiguration.load(Sources(environment: [key.environmentName: text]))
        #expect(key.render(fromEnvironment) != key.render(defaults), "\(key.environmentName)=\(text)")
        var nested = json
        for component in path.split(separator: ".").reversed() { nested = "{\(EmulatorJSON.string(String(component)).text): \(nested)}" }
        let fromFile = try EmulatorConfiguration.load(Sources(file: file(nested)))
        #expect(key.render(fromFile) == key.render(fromEnvironment))
    }

    /// A value unlike the default for each kind of key: as environment text and as JSON.
    private func sample(for key: ConfigurationKey, default current: String) -> (text: String, json: String) {
        switch key.kind {
        case .int: return ("7", "7")
        case .double: return ("0.25", "0.25")
        case .bool: return current == "true" ? ("false", "false") : ("true", "true")
        case .string:
            let text = key.isSecret ? "sample-secret-value" : "sample"
            return (text, EmulatorJSON.string(text).text)
        case .choice(let values):
            let value = values.first { $0 != current } ?? values[0]
            return (value, EmulatorJSON.string(value).text)
        case .json:
            let window = #"{"limit":3,"seconds":2}"#
            let text =
                switch key.path {
                case "rateLimits.zia": #"[{"method":"GET","path":"/x","windows":[\#(window)]}]"#
                case "rateLimits.oneAPIGateway": window
                default: "[\(window)]"
                }
            return (text, text)
        }
    }

    /// A new stored property without a key would be impossible to configure: the table must list
    /// every leaf of the struct.
    @Test func theKeyTableCoversEveryStoredProperty() {
        func leaves(_ value: Any, _ prefix: String) -> [String] {
            let mirror = Mirror(reflecting: value)
            guard mirror.displayStyle == .struct, !mirror.children.isEmpty else { return [prefix] }
            return mirror.children.flatMap { child in
                leaves(child.value, prefix.isEmpty ? child.label ?? "?" : "\(prefix).\(child.label ?? "?")")
            }
        }
        #expect(Set(leaves(EmulatorConfiguration(), "")) == Set(EmulatorConfiguration.keys.map(\.path)))
        #expect(Set(EmulatorConfiguration.keys.map(\.environmentName)).count == EmulatorConfiguration.keys.count)
        let names = Dictionary(uniqueKeysWithValues: EmulatorConfiguration.keys.map { ($0.path, $0.environmentName) })
        #expect(names["sessions.idleTimeoutSeconds"] == "ZSCALER_EMULATOR_SESSIONS_IDLE_TIMEOUT_SECONDS")
        #expect(names["credentials.ziaAPIKey"] == "ZSCALER_EMULATOR_CREDENTIALS_ZIA_API_KEY")
        #expect(names["rateLimits.oneAPIGateway"] == "ZSCALER_EMULATOR_RATE_LIMITS_ONE_API_GATEWAY")
        #expect(names["rateLimits.zpaSCIM"] == "ZSCALER_EMULATOR_RATE_LIMITS_ZPA_SCIM")
    }

    @Test func secretsNeverAppearWhenTheConfigurationIsPrintedOrLogged() async throws {
        let fromFile = "file-secret-api-key-0123"
        let fromEnvironment = "environment-secret-password-0123"
        let accessLog = CapturingLogHandler.Store()
        let configuration = try EmulatorConfiguration.load(
            Sources(
                environment: ["ZSCALER_EMULATOR_CREDENTIALS_ZIA_ADMIN_PASSWORD": fromEnvironment],
                file: file(#"{"controlEnabled": true, "credentials": {"ziaAPIKey": "\#(fromFile)"}}"#)),
            accessLog: { accessLog.append($0) })
        #expect(configuration.credentials.ziaAPIKey?.revealed == fromFile)
        #expect(configuration.credentials.ziaAdminPassword?.revealed == fromEnvironment)

        var dumped = ""
        dump(configuration, to: &dumped)
        let printed = [
            configuration.description, String(reflecting: configuration), "\(configuration)", dumped,
            "\(configuration.credentials)", accessLog.text,
        ]
        for text in printed {
            #expect(!text.contains(fromFile) && !text.contains(fromEnvironment), "\(text)")
        }
        #expect(configuration.description.contains("credentials.ziaAPIKey = <redacted>"))
        #expect(configuration.description.contains("credentials.zpaClientSecret = null"))
        #expect(accessLog.text.contains("credentials.ziaAPIKey"))  // the read is logged, its value is not

        // A secret of the wrong type is refused without echoing it.
        let wrongType = refusal { () throws(EmulatorConfigurationError) in
            try EmulatorConfiguration.load(Sources(file: file(#"{"credentials":{"zpaClientSecret":123456789012}}"#)))
        }
        #expect(wrongType?.key == "credentials.zpaClientSecret")
        #expect(wrongType?.description.contains("123456789012") == false)

        // Nor does the running emulator print them: its banner and its log.
        let (logger, logged) = CapturingLogHandler.logger()
        var adjusted = configuration
        adjusted.port = 0
        let emulator = try ZscalerEmulator(configuration: adjusted, seed: .generated(userCount: 1), logger: logger)
        let port = try await emulator.start()
        let banner = emulator.banner(port: port)
        await emulator.stop()
        for text in [banner, logged.text] {
            #expect(!text.contains(fromFile) && !text.contains(fromEnvironment), "\(text)")
        }
        #expect(banner.contains("<from configuration>"))
        #expect(banner.contains(SeedFixture.testCredentials.zpaClientSecret))  // the seed's fakes are still shown
    }

    @Test func configuredSecretsReplaceTheSeedsForClients() async throws {
        let password = "Configured-Passw0rd!"
        let apiKey = "ConfiguredKey0123"
        let zpaSecret = "configured-zpa-secret"
        try await withEmulator({
            $0.credentials.ziaAPIKey = EmulatorSecret(apiKey)
            $0.credentials.ziaAdminPassword = EmulatorSecret(password)
            $0.credentials.zpaClientSecret = EmulatorSecret(zpaSecret)
        }) { h in
            let configured = try await h.send(.POST, "/api/v1/authenticatedSession", json: h.loginBody(apiKey: apiKey, password: password))
            #expect(configured.status == 200)
            let seeded = try await h.send(.POST, "/api/v1/authenticatedSession", json: h.loginBody())
            #expect(seeded.status == 400)
            let form = "client_id=\(h.credentials.zpaClientId)&client_secret=\(zpaSecret)"
            #expect(try await h.send(.POST, "/signin", body: form, contentType: "application/x-www-form-urlencoded").status == 200)
            #expect(h.emulator.seed.zpa.clientSecret == zpaSecret)
        }
        var short = testConfiguration()
        short.credentials.ziaAPIKey = EmulatorSecret("too-short")
        #expect(throws: EmulatorConfigurationError.self) { _ = try ZscalerEmulator(configuration: short, seed: .generated(userCount: 1)) }
    }
}
