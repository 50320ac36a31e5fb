extension Parameter {
    /// `Ref` to the parameter seen as a value of another type: a String parameter where the
    /// schema has an enum (`instanceTenancy: tenancy.ref(as: EC2.VPC.InstanceTenancy.self)`), a
    /// Number parameter where it has a string. CloudFormation passes the parameter's value as it
    /// is; synthesis cannot check it against the enum, CloudFormation does at deploy time.
    public func ref<U>(as type: U.Type) -> Value<U> {
        .token(Token(.ref(name), stackName: stackName))
    }
}
