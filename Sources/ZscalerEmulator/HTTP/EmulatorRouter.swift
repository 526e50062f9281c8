import Hummingbird

/// Mounts every API family on its path prefix with its edge middleware, and the control routes
/// when enabled.
enum EmulatorRouter {
    static func build(_ core: EmulatorCore) -> Router<EmulatorContext> {
        let router = Router(context: EmulatorContext.self)

        let legacy = router.group("api/v1").add(middleware: ZscalerEdgeMiddleware(core: core, family: .ziaLegacy))
        ZIAAuthRoutes(core: core).register(on: legacy)
        ZIADirectoryRoutes(core: core, family: .ziaLegacy).register(on: legacy)

        let oneAPI = router.group("zia/api/v1").add(middleware: ZscalerEdgeMiddleware(core: core, family: .ziaOneAPI))
        ZIADirectoryRoutes(core: core, family: .ziaOneAPI).register(on: oneAPI)

        let token = router.group().add(middleware: ZscalerEdgeMiddleware(core: core, family: .oneAPIToken))
        OneAPITokenRoutes(core: core).register(on: token)

        let zpa = router.group().add(middleware: ZscalerEdgeMiddleware(core: core, family: .zpaAdmin))
        ZPAAdminRoutes(core: core, family: .zpaAdmin).register(on: zpa)

        let zpaOneAPI = router.group("zpa").add(middleware: ZscalerEdgeMiddleware(core: core, family: .zpaOneAPI))
        ZPAAdminRoutes(core: core, family: .zpaOneAPI).register(on: zpaOneAPI)

        let scim = router.group("scim/1/{idpId}/v2").add(middleware: ZscalerEdgeMiddleware(core: core, family: .zpaSCIM))
        ZPASCIMRoutes(core: core).register(on: scim)

        if core.configuration.controlEnabled { ControlRoutes(core: core).register(on: router) }
        return router
    }
}
