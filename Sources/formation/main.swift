import FormationCLI
import Stacks

FormationCLI.main { FormationApp.make() }
