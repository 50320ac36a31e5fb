import Testing
@testable import FormationConstructs

/// FM4252: secrets in EC2 user data, on templates it must fail and templates it must pass.
@Suite struct UserDataSecretRuleTests {
    func findings(_ yaml: String) throws -> [String] {
        let template = try Template(document: YAMLParser.parse(yaml))
        return UserDataSecretRule().check(template, ValidationContext(stackPath: "t.yaml")).map(\.description)
    }

    @Test func secretsInUserDataFail() throws {
        #expect(try findings("""
        Resources:
          Host:
            Type: AWS::EC2::Instance
            Properties:
              ImageId: ami-12345678
              UserData:
                Fn::Base64: !Sub |
                  #!/bin/bash
                  export DB_PASSWORD="hunter2"
                  /opt/app/start --region ${AWS::Region}
          Template:
            Type: AWS::EC2::LaunchTemplate
            Properties:
              LaunchTemplateData:
                UserData: !Base64 {"Fn::Join": ["", ["#!/bin/bash\\n", "aws configure set aws_access_key_id AKIAIOSFODNN7EXAMPLE\\n"]]}
          Config:
            Type: AWS::AutoScaling::LaunchConfiguration
            Properties:
              ImageId: ami-12345678
              InstanceType: t3.micro
              UserData: !Base64 "echo '{{resolve:secretsmanager:prod/db:SecretString:password}}' > /etc/app/db"
        """) == [
            "warning FM4252 t.yaml/Host: UserData: assigns a literal to DB_PASSWORD; user data is plain text",
            "warning FM4252 t.yaml/Template: LaunchTemplateData.UserData: holds a literal AWS access key ID; user data is plain text",
            "warning FM4252 t.yaml/Config: UserData: resolves a secret into the script; user data is plain text",
        ])
    }

    @Test func pointersAndFetchedSecretsPass() throws {
        #expect(try findings("""
        Parameters:
          Script: {Type: String}
        Resources:
          Fetches:
            Type: AWS::EC2::Instance
            Properties:
              ImageId: ami-12345678
              UserData:
                Fn::Base64: !Sub |
                  #!/bin/bash
                  SECRET_ARN=${AWS::StackName}-db
                  DB_PASSWORD=$(aws secretsmanager get-secret-value --secret-id "$SECRET_ARN" --query SecretString --output text)
                  TOKEN=""
                  PASSWORD_LENGTH=32
          FromParameter:
            Type: AWS::EC2::Instance
            Properties:
              ImageId: ami-12345678
              UserData: !Ref Script
        """) == [])
    }
}
