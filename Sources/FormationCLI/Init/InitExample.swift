import Formation
import FormationResources

/// The example app `formation init` writes, built here in process so that `init` can write its
/// committed snapshots: `ProjectFiles.exampleStack` is the same code as Swift source for the new
/// project. The repository's test builds a project made by `init` and runs its tests, which
/// compare that source's synthesis with these snapshots byte for byte, so the two cannot drift.
enum InitExample {
    /// One environment: its name and what differs between environments.
    struct Environment {
        var name: String
        var regions: [String]
        var logRetentionDays: Int

        static let all = [
            Environment(name: "dev", regions: ["us-east-1"], logRetentionDays: 14),
            Environment(name: "prd", regions: ["us-east-1"], logRetentionDays: 365),
        ]
    }

    /// The app of a project named `name`: its example stack for every environment.
    static func make(name: String) -> App {
        let app = App()
        for environment in Environment.all {
            add(to: app, name: name, environment)
        }
        return app
    }

    /// Keep in step with `ProjectFiles.exampleStack` (the project's tests check it).
    static func add(to app: App, name: String, _ env: Environment) {
        let stack = app.stack("\(name)-\(env.name)", description: "\(name) (\(env.name)): uploads bucket, topic and logs",
                              environment: env.name, regions: env.regions)

        let topic = stack.add("UploadsTopic", SNS.Topic(kmsMasterKeyId: "alias/aws/sns"))

        let bucket = stack.add("UploadsBucket", S3.Bucket(
            bucketEncryption: .init(serverSideEncryptionConfiguration: [
                .init(serverSideEncryptionByDefault: .init(sseAlgorithm: .aes256)),
            ]),
            publicAccessBlockConfiguration: .init(
                blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true),
            versioningConfiguration: .init(status: .enabled)
        )).retainOnDelete()

        stack.add("AppLogs", Logs.LogGroup(retentionInDays: .literal(env.logRetentionDays)))

        stack.output("BucketName", bucket.ref, description: "Where uploads go")
        stack.output("TopicArn", topic.ref, description: "Subscribe here to hear of uploads")
    }
}
