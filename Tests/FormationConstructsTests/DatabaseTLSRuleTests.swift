import Formation
import FormationConstructs
import FormationTemplate
import Testing

/// FM4241: databases whose parameter group (as the template shows it) lets clients connect
/// without TLS.
@Suite struct DatabaseTLSRuleTests {
    func findings(_ yaml: String) throws -> [String] {
        let template = try Template(document: YAMLParser.parse(yaml))
        return DatabaseTLSRule().check(template, ValidationContext(stackPath: "t.yaml")).map(\.description)
    }

    @Test func databasesThatAcceptPlainTextFail() throws {
        #expect(try findings("""
        Resources:
          Default:
            Type: AWS::RDS::DBInstance
            Properties: {Engine: mysql, DBInstanceClass: db.t3.micro}
          OldPostgres:
            Type: AWS::RDS::DBInstance
            Properties: {Engine: postgres, EngineVersion: "14.12", DBInstanceClass: db.t3.micro}
          Loose:
            Type: AWS::RDS::DBParameterGroup
            Properties: {Family: mysql8.0, Description: loose, Parameters: {require_secure_transport: "OFF"}}
          WithLoose:
            Type: AWS::RDS::DBInstance
            Properties: {Engine: MySQL, DBInstanceClass: db.t3.micro, DBParameterGroupName: !Ref Loose}
          Silent:
            Type: AWS::RDS::DBClusterParameterGroup
            Properties: {Family: aurora-mysql8.0, Description: silent, Parameters: {time_zone: UTC}}
          Cluster:
            Type: AWS::RDS::DBCluster
            Properties: {Engine: aurora-mysql, DBClusterParameterGroupName: !Ref Silent}
        """) == [
            "warning FM4241 t.yaml/Default: DBParameterGroupName: absent — the default parameter group of mysql does not set require_secure_transport, so clients may connect without TLS",
            "warning FM4241 t.yaml/OldPostgres: DBParameterGroupName: absent — the default parameter group of postgres does not set rds.force_ssl, so clients may connect without TLS",
            "warning FM4241 t.yaml/WithLoose: DBParameterGroupName: parameter group Loose sets require_secure_transport to \"OFF\" — clients may connect without TLS",
            "warning FM4241 t.yaml/Cluster: DBClusterParameterGroupName: parameter group Silent does not set require_secure_transport — clients may connect without TLS",
        ])
    }

    @Test func databasesThatForceTLSOrAreNotJudgedPass() throws {
        #expect(try findings("""
        Parameters:
          Group: {Type: String}
        Resources:
          Strict:
            Type: AWS::RDS::DBParameterGroup
            Properties: {Family: mysql8.0, Description: strict, Parameters: {require_secure_transport: "ON"}}
          WithStrict:
            Type: AWS::RDS::DBInstance
            Properties: {Engine: mysql, DBInstanceClass: db.t3.micro, DBParameterGroupName: !Ref Strict}
          PgStrict:
            Type: AWS::RDS::DBParameterGroup
            Properties: {Family: postgres14, Description: pg, Parameters: {rds.force_ssl: 1}}
          WithPgStrict:
            Type: AWS::RDS::DBInstance
            Properties: {Engine: postgres, EngineVersion: "14.12", DBInstanceClass: db.t3.micro, DBParameterGroupName: !Ref PgStrict}
          NewPostgres:
            Type: AWS::RDS::DBInstance
            Properties: {Engine: postgres, EngineVersion: "16.3", DBInstanceClass: db.t3.micro}
          LatestPostgres:
            Type: AWS::RDS::DBInstance
            Properties: {Engine: postgres, DBInstanceClass: db.t3.micro}
          FromParameter:
            Type: AWS::RDS::DBInstance
            Properties: {Engine: mysql, DBInstanceClass: db.t3.micro, DBParameterGroupName: !Ref Group}
          ByName:
            Type: AWS::RDS::DBInstance
            Properties: {Engine: mysql, DBInstanceClass: db.t3.micro, DBParameterGroupName: shared-strict}
          AuroraMember:
            Type: AWS::RDS::DBInstance
            Properties: {Engine: aurora-mysql, DBInstanceClass: db.r6g.large, DBClusterIdentifier: c}
          AuroraPostgres:
            Type: AWS::RDS::DBCluster
            Properties: {Engine: aurora-postgresql}
          Oracle:
            Type: AWS::RDS::DBInstance
            Properties: {Engine: oracle-ee, DBInstanceClass: db.m5.large}
        """) == [])
    }
}
