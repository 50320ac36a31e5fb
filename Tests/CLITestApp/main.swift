import FormationCLI

FormationCLI.main(CLITestApp.make)
