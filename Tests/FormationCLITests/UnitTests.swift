import Formation
import Testing
@testable import FormationCLI

/// The pure pieces of the command line, tested in-process.
@Suite struct UnitTests {
    @Test func editDistance() {
        #expect(EditDistance.between("", "abc") == 3)
        #expect(EditDistance.between("kitten", "sitting") == 3)
        #expect(EditDistance.between("Stack-dev", "Stack-dev") == 0)
        #expect(StackSelection.closest(to: "stack-dve", among: ["Stack-dev", "Stack-prd"]) == "Stack-dev")
        #expect(StackSelection.closest(to: "completely-else", among: ["Stack-dev"]) == nil)
    }

    @Test func unknownStackMessages() {
        let app = App()
        for name in ["Api-dev", "Api-prd", "Web-dev"] { app.stack(name) }
        #expect(StackSelection.unknownStackMessage("api", in: app) == "no stack named 'api'; did you mean one of 'Api-dev', 'Api-prd'?")
        #expect(StackSelection.unknownStackMessage("Web", in: app).hasPrefix("no stack named 'Web'; did you mean 'Web-dev'?"))
        #expect(StackSelection.unknownStackMessage("Wbe-dev", in: app).hasPrefix("no stack named 'Wbe-dev'; did you mean 'Web-dev'?"))
        #expect(StackSelection.unknownStackMessage("Database", in: app) == "no stack named 'Database'; the stacks are 'Api-dev', 'Api-prd', 'Web-dev'")
    }

    @Test func shellQuoting() {
        #expect(ShellQuoting.quote("Plain-word_1.2/x:y,z=w@v%+") == "Plain-word_1.2/x:y,z=w@v%+")
        #expect(ShellQuoting.quote("") == "''")
        #expect(ShellQuoting.quote("two words") == "'two words'")
        #expect(ShellQuoting.quote("it's") == #"'it'\''s'"#)
        #expect(ShellQuoting.quote("$HOME") == "'$HOME'")
        #expect(ShellQuoting.quote("=cmd") == "'=cmd'")
        #expect(ShellQuoting.quote("~user") == "'~user'")
    }

    static func template(_ resources: [(String, String, OrderedMap)], transform: Bool = false) -> Template {
        var map = OrderedMap()
        for (id, type, properties) in resources {
            map[id] = ["Type": .string(type), "Properties": .map(properties)]
        }
        return Template.canonical(transform: transform ? "AWS::Serverless-2016-10-31" : nil, resources: map)
    }

    @Test func capabilities() {
        #expect(DeployPlan.capabilities(for: Self.template([("T", "AWS::SNS::Topic", [:])])) == [])
        #expect(DeployPlan.capabilities(for: Self.template([("R", "AWS::IAM::Role", [:])])) == ["CAPABILITY_IAM"])
        #expect(DeployPlan.capabilities(for: Self.template([("P", "AWS::IAM::Policy", ["PolicyName": "inline"])])) == ["CAPABILITY_IAM"])
        for (type, property) in [("AWS::IAM::Role", "RoleName"), ("AWS::IAM::User", "UserName"), ("AWS::IAM::Group", "GroupName"),
                                 ("AWS::IAM::ManagedPolicy", "ManagedPolicyName"), ("AWS::IAM::InstanceProfile", "InstanceProfileName")] {
            let named = Self.template([("A", "AWS::IAM::Role", [:]), ("B", type, [property: .fn(.sub("x-${AWS::Region}", nil))])])
            #expect(DeployPlan.capabilities(for: named) == ["CAPABILITY_NAMED_IAM"], "\(type)")
        }
        #expect(DeployPlan.capabilities(for: Self.template([("T", "AWS::SNS::Topic", [:])], transform: true)) == ["CAPABILITY_AUTO_EXPAND"])
    }

    @Test func textTableAlignment() {
        var table = TextTable(columns: [.init("NAME"), .init("N", rightAligned: true), .init("LAST")])
        table.append(["a", "100", "x"])
        table.append(["longer", "7", ""])
        #expect(table.rendered() == "NAME      N  LAST\na       100  x\nlonger    7\n")
    }
}
