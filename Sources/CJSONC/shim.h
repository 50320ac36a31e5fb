#ifndef FORMATION_CJSONC_SHIM_H
#define FORMATION_CJSONC_SHIM_H
#include <json-c/json.h>
#endif
