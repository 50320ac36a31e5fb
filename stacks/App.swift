import Formation
import FormationResources

/// This repository's app: every stack, for every environment.
public enum FormationApp {
    /// Builds the app. Each call builds a fresh tree (synthesis is deterministic, so two apps
    /// built this way synthesize to identical bytes).
    public static func make() -> App {
        let app = App(schemas: .bundled)
        for environment in ["dev", "stg", "prd"] {
            ExampleStack.add(to: app, environment: environment)
        }
        return app
    }
}

/// A small example stack that exercises the core until the real stacks land.
enum ExampleStack {
    static func add(to app: App, environment: String) {
        let stack = app.stack("FormationExampleStack-\(environment)",
                              description: "Formation example stack (\(environment))",
                              environment: environment)
        let retention = stack.parameter("RetentionDays", type: .number, default: 30)
        let key = stack.add("LogKey", KMS.Key(enableKeyRotation: true)).retainOnDelete()
        let group = stack.add("AppLogs", Logs.LogGroup(
            kmsKeyId: key.arn,
            logGroupName: "/formation/example/\(environment)",
            retentionInDays: retention.ref))
        stack.output("LogGroupName", group.ref, description: "The example log group")
    }
}
