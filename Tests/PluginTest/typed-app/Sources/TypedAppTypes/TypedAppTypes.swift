// Typed Swift for the registry types in formation-types.txt, generated at build time by the
// FormationTypes plugin into this module. SwiftPM builds a target only if it has a source file of
// its own: this is that file.
