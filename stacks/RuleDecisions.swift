import FormationConstructs

/// Where this repository's stacks depart from a rule of the pack on purpose. Each reason is
/// written into the template (`Metadata: formation: suppress`) for reviewers, and a suppression
/// that stops matching a finding becomes a warning (FM1120).
enum RuleDecisions {
    /// FM4260 on a log group of named operational logs.
    static let namedLogGroup = """
        operational logs kept for RetentionInDays, not records; the group has a fixed name, so retaining it \
        would make re-creating the stack fail (the name would already exist)
        """
    /// FM4205 on an alarm and notification topic.
    static let notificationTopic = """
        carries alarm names and states (and pull request links) to email, nothing secret; CloudWatch alarms cannot \
        publish under the aws/sns key, so SSE would need a customer-managed key for data that leaves as plain email
        """

    /// Suppresses FM4260 on `group`, a named log group.
    static func keepOnlyWhileTheStackLives(_ group: Resource<Logs.LogGroup>) {
        group.suppress("FM4260", reason: namedLogGroup)
    }

    /// Suppresses FM4205 on the topic of `notifications`.
    static func plainNotifications(_ notifications: NotificationTopic) {
        notifications.topic.suppress("FM4205", reason: notificationTopic)
    }
}
