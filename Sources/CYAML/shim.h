#ifndef FORMATION_CYAML_SHIM_H
#define FORMATION_CYAML_SHIM_H
#include <yaml.h>
#endif
