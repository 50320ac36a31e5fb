// One import gives users the whole DSL: constructs, the core and the template model.
@_exported import Formation
