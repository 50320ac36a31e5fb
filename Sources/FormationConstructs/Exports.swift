// One import gives users the whole DSL: constructs, typed resources, the core and the template model.
@_exported import Formation
@_exported import FormationResources
