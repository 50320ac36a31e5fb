import Formation
import FormationResources
import FormationTemplate
import Testing

/// The README's example of a reference across stacks, with a typed consumer.
@Suite struct CrossStackExampleTests {
    @Test func theReadmeExampleWiresAnExport() throws {
        let app = App(schemas: .bundled)
        let network = app.stack("Network-dev")
        let vpc = network.add("Vpc", RawResource(type: "AWS::EC2::VPC", properties: ["CidrBlock": "10.0.0.0/16"]))
        let service = app.stack("Service-dev")
        service.add("Group", EC2.SecurityGroup(groupDescription: "service", vpcId: vpc.ref))

        let syntheses = app.synthesize()
        for synthesis in syntheses {
            #expect(synthesis.diagnostics.isEmpty, "\(synthesis.stackName): \(synthesis.diagnostics)")
        }
        let serviceYAML = try syntheses[1].render(.yaml).text
        #expect(serviceYAML.contains("VpcId: !ImportValue Network-dev:Vpc\n"), "\(serviceYAML)")
        let networkYAML = try syntheses[0].render(.yaml).text
        #expect(networkYAML.hasSuffix("""
            Outputs:
              ExportVpc:
                Description: Imported by Service-dev
                Value: !Ref Vpc
                Export:
                  Name: Network-dev:Vpc

            """), "\(networkYAML)")
    }
}
