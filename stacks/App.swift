import FormationConstructs

/// This repository's app: every stack, for every environment.
public enum FormationApp {
    /// The rules every template of this app must pass besides the built-in checks.
    public static let rules: [any TemplateRule] = RulePack.rules

    /// Builds the app. Each call builds a fresh tree (synthesis is deterministic, so two apps
    /// built this way synthesize to identical bytes).
    public static func make(environments: [Environment] = Environment.all) -> App {
        let app = App(schemas: .bundled, rules: rules)
        for environment in environments {
            CustomerServiceAgentStack.add(to: app, environment)
            BedrockCacheStack.add(to: app, environment)
            EksAmiUpdateStack.add(to: app, environment)
        }
        return app
    }
}
