import Formation
import FormationResources

/// A CloudWatch metric: namespace, name, dimensions, statistic and period.
public struct Metric: Sendable {
    /// How datapoints are aggregated: a standard statistic or a percentile.
    public enum Aggregation: Sendable, Hashable {
        case statistic(CloudWatch.Alarm.Statistic)
        /// A percentile such as p99 (written as `ExtendedStatistic`).
        case percentile(Double)

        public static let sum = Aggregation.statistic(.sum)
        public static let average = Aggregation.statistic(.average)
        public static let maximum = Aggregation.statistic(.maximum)
        public static let p99 = Aggregation.percentile(99)
    }

    public var namespace: String
    public var name: String
    public var dimensions: [(name: String, value: Value<String>)]
    public var aggregation: Aggregation
    /// The period in seconds.
    public var period: Int

    public init(namespace: String, name: String, dimensions: [(name: String, value: Value<String>)] = [],
                aggregation: Aggregation, period: Int = 300) {
        self.namespace = namespace
        self.name = name
        self.dimensions = dimensions
        self.aggregation = aggregation
        self.period = period
    }
}

/// Alarm helpers: one alarm on one metric, notifying the given topics.
public enum MetricAlarm {
    /// Adds an alarm that fires when `metric` compared with `threshold` by `comparison` holds for
    /// `evaluationPeriods` periods; actions go to `notify` (alarm and OK).
    @discardableResult
    public static func add(
        in scope: Construct, _ id: String,
        name: Value<String>? = nil,
        description: String? = nil,
        metric: Metric,
        threshold: Double,
        evaluationPeriods: Int,
        comparison: CloudWatch.Alarm.ComparisonOperator = .greaterThanThreshold,
        treatMissingData: CloudWatch.Alarm.TreatMissingData = .notBreaching,
        notify topics: [Value<String>] = []
    ) -> Resource<CloudWatch.Alarm> {
        var statistic: Value<CloudWatch.Alarm.Statistic>?
        var extended: Value<String>?
        switch metric.aggregation {
        case .statistic(let standard): statistic = .literal(standard)
        case .percentile(let p):
            let text = p.rounded() == p ? String(Int(p)) : NumberFormatting.shortest(p)
            extended = .literal("p\(text)")
        }
        let dimensions = metric.dimensions.map { CloudWatch.Alarm.Dimension(name: .literal($0.name), value: $0.value) }
        return scope.add(id, CloudWatch.Alarm(
            alarmActions: topics.isEmpty ? nil : .literal(topics),
            alarmDescription: description.map { .literal($0) },
            alarmName: name,
            comparisonOperator: .literal(comparison),
            dimensions: dimensions.isEmpty ? nil : .literal(dimensions),
            evaluationPeriods: .literal(evaluationPeriods),
            extendedStatistic: extended,
            metricName: .literal(metric.name),
            namespace: .literal(metric.namespace),
            okActions: topics.isEmpty ? nil : .literal(topics),
            period: .literal(metric.period),
            statistic: statistic,
            threshold: .literal(threshold),
            treatMissingData: .literal(treatMissingData)))
    }
}

/// An SNS topic with an email subscription, for alarm notifications.
public struct NotificationTopic {
    /// The construct node.
    public let node: Construct
    public let topic: Resource<SNS.Topic>
    public let subscription: Resource<SNS.Subscription>

    public init(in scope: Construct, _ id: String, displayName: String, email: Value<String>, encryptionKey: Value<String>? = nil) {
        node = scope.node(id)
        topic = node.add("Default", SNS.Topic(displayName: .literal(displayName), kmsMasterKeyId: encryptionKey))
        subscription = node.add("Email", SNS.Subscription(protocol: "email", topicArn: topic.ref, endpoint: email))
    }

    /// The topic's ARN (`Ref`).
    public var arn: Value<String> { topic.ref }
}
