#!/usr/bin/env python3
"""Writes SAM's specification as Formation validates it, from the pinned aws-sam-translator.

aws-sam-translator's wheel does not carry the unified `schema.json` of SAM's GitHub repository;
it carries the pydantic models that schema is generated from (samtranslator/internal/schema_source)
and the function that generates it (`schema.get_schema`). This script calls that function, as
SAM's own `make schema` does, and then does what SAM's `extend_with_cfn_schema` does with its
CloudFormation schema: each pass-through property (`__samPassThrough`, a property SAM copies to
the CloudFormation resource it generates) gets the schema of that CloudFormation property, here
taken from the registry schemas of the pinned cfn-lint (the ones Formation validates
CloudFormation resources with). A pass-through whose CloudFormation property the registry does not
have stays open (any value) and is counted.

Writes:
  data/sam/schemas.json                                one registry-style schema per AWS::Serverless::*
                                                       type (Properties' rules, documentation dropped),
                                                       read by scripts/refresh-registry.py for the
                                                       registry bundle's SAM row
  Sources/Formation/Validation/ServerlessSpec.swift    the Globals sections and the properties each
                                                       accepts, their merge rules, the logical IDs SAM
                                                       generates and the referable properties

Per type, the `Fn::GetAtt` names are the ones cfn-lint gives its SAM schema (its readOnlyProperties:
the attributes of the CloudFormation resource SAM generates under the same logical ID) and, as
patterns, the translator's referable properties (`MyFunction.Version.Arn`, `MyApi.Stage`).

    python3 scripts/refresh-sam-schema.py 1.115.0 1.58.0          # write
    python3 scripts/refresh-sam-schema.py 1.115.0 1.58.0 --check  # fail if it would change
"""
import copy
import importlib.util
import json
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import refresh_common  # noqa: E402 (the scripts directory)

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SCHEMAS = os.path.join(ROOT, "data", "sam", "schemas.json")
SPEC = os.path.join(ROOT, "Sources", "Formation", "Validation", "ServerlessSpec.swift")
PREFIX = "samtranslator__internal__schema_source__"
DROPPED = {"title", "markdownDescription", "description"}
# How SAM's documentation (each property's markdownDescription in the translator's schema) says a
# property goes unchanged to the CloudFormation resource SAM generates.
DOCUMENTED_PASS_THROUGH = re.compile(
    r"\*CloudFormation compatibility\*: This property is passed directly to the \[`(\w+)`\]\([^)]*\) property of an `(AWS::\w+::\w+)` resource")


def fail(message):
    print(f"refresh-sam-schema: {message}", file=sys.stderr)
    sys.exit(1)


def swift_string(text):
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


class Registry:
    """The pinned cfn-lint's us-east-1 registry schemas, for pass-through properties."""

    def __init__(self):
        spec = importlib.util.find_spec("cfnlint")
        base = os.path.join(os.path.dirname(spec.origin), "data", "schemas")
        self.resources = os.path.join(base, "resources")
        with open(os.path.join(base, "providers", "us-east-1.json"), encoding="utf-8") as handle:
            self.table = json.load(handle)
        with open(os.path.join(base, "providers", "sam.json"), encoding="utf-8") as handle:
            self.sam_table = json.load(handle)
        self.cache = {}

    def schema(self, type_name, table=None):
        digest = (table or self.table).get(type_name)
        if digest is None:
            return None
        if digest not in self.cache:
            with open(os.path.join(self.resources, digest + ".json"), encoding="utf-8") as handle:
                self.cache[digest] = json.load(handle)
        return self.cache[digest]

    def getatt_names(self, sam_type):
        from cfnlint.schema import Schema
        from cfnlint.schema._getatts import GetAtts

        schema = self.schema(sam_type, self.sam_table)
        return [] if schema is None else sorted(GetAtts(Schema(schema)).attrs.data.keys())


def strip(node):
    """`node` without documentation keys (recursively); property maps keep every name."""
    if isinstance(node, list):
        return [strip(item) for item in node]
    if not isinstance(node, dict):
        return node
    out = {}
    for key, value in node.items():
        if key in ("properties", "patternProperties", "definitions") and isinstance(value, dict):
            out[key] = {name: strip(child) for name, child in value.items()}
        elif key not in DROPPED:
            out[key] = strip(value)
    return out


def short(name):
    return name[len(PREFIX):] if name.startswith(PREFIX) else name


def main():
    args = [arg for arg in sys.argv[1:] if not arg.startswith("--")]
    if len(args) != 2:
        fail("usage: refresh-sam-schema.py AWS_SAM_TRANSLATOR_VERSION CFN_LINT_VERSION [--check]")
    pin, cfn_lint_pin = args
    check = "--check" in sys.argv[1:]
    refresh_common.require_pin("refresh-sam-schema", "aws-sam-translator", pin)
    refresh_common.require_pin("refresh-sam-schema", "cfn-lint", cfn_lint_pin)

    from samtranslator.internal.schema_source import schema as sam_schema
    from samtranslator.model import sam_resources
    from samtranslator.model.naming import GeneratedLogicalId
    from samtranslator.model.preferences import deployment_preference_collection as preferences
    from samtranslator.plugins.globals import globals as sam_globals

    full = sam_schema.get_schema(sam_schema.SamModel)
    definitions = full["definitions"]
    registry = Registry()
    passthrough = {"resolved": 0, "open": [], "renamed": [], "documented": 0}

    def cfn_property(path):
        """The registry's schema of the CloudFormation property at SAM's schemaPath, with the
        definitions it refers to (renamed `Type.Definition`), or None."""
        if len(path) < 4 or path[0] != "definitions":
            return None
        owner = path[1]
        type_name, _, definition = owner.partition(".")
        cfn = registry.schema(type_name)
        if cfn is None:
            return None
        rest = path[2:]
        if definition:
            node = cfn.get("definitions", {}).get(definition)
            if rest[:1] == ["properties"] and node is not None:
                node = node.get("properties", {}).get(rest[1]) if len(rest) == 2 else None
            else:
                node = None
        else:
            node = None
            if rest[:3] == ["properties", "Properties", "properties"] and len(rest) == 4:
                node = cfn.get("properties", {}).get(rest[3])
        if node is None:
            return None
        extra = {}

        def rename(value):
            if isinstance(value, list):
                return [rename(item) for item in value]
            if not isinstance(value, dict):
                return value
            out = {}
            for key, child in value.items():
                if key == "$ref" and isinstance(child, str) and child.startswith("#/definitions/"):
                    name = child[len("#/definitions/"):]
                    qualified = f"{type_name}.{name}"
                    if qualified not in extra:
                        extra[qualified] = None
                        extra[qualified] = rename(cfn["definitions"][name])
                    out[key] = "#/definitions/" + qualified
                elif key in ("properties", "patternProperties", "definitions") and isinstance(child, dict):
                    out[key] = {name: rename(grand) for name, grand in child.items()}
                else:
                    out[key] = rename(child)
            return out

        return rename(node), extra

    cfn_definitions = {}

    def resolve(node, where, name=None):
        """`node` (the schema of property `name`, if it is one) with pass-through properties
        replaced by CloudFormation's schema, `$ref`s renamed, documentation dropped."""
        if isinstance(node, list):
            return [resolve(item, where) for item in node]
        if not isinstance(node, dict):
            return node
        documented = DOCUMENTED_PASS_THROUGH.search(node.get("markdownDescription", "")) if name else None
        if ("__samPassThrough" not in node and documented and documented.group(1) == name
                and node.get("allOf") == [{"$ref": "#/definitions/PassThroughProp"}]):
            # SAM's own documentation of the property says where it goes, in the words its
            # schema uses for every pass-through property; the marker is missing only.
            node = dict(node, __samPassThrough={"schemaPath": ["definitions", documented.group(2), "properties",
                                                               "Properties", "properties", name]})
            passthrough["documented"] += 1
        if "__samPassThrough" in node:
            schema_path = node["__samPassThrough"]["schemaPath"]
            # A property SAM renames on the way (EndpointConfiguration's Type becomes RestApi's
            # Types, a list) is rewritten by the translator: CloudFormation's schema is not its.
            found = cfn_property(schema_path) if name is None or schema_path[-1] == name else None
            if found is None and name is not None and schema_path[-1] != name:
                passthrough["renamed"].append(f"{where} ({'.'.join(schema_path[1:])})")
                return {}
            if found is None:
                passthrough["open"].append(f"{where} ({'.'.join(node['__samPassThrough']['schemaPath'][1:])})")
                return {}
            passthrough["resolved"] += 1
            schema, extra = found
            for name, value in extra.items():
                cfn_definitions[name] = strip(value)
            return strip(schema)
        out = {}
        for key, value in node.items():
            if key == "$ref" and isinstance(value, str) and value.startswith("#/definitions/"):
                target = value[len("#/definitions/"):]
                out[key] = "#/definitions/" + short(target)
            elif key in ("properties", "patternProperties", "definitions") and isinstance(value, dict):
                out[key] = {name: resolve(child, f"{where}.{name}", name if key == "properties" else None)
                            for name, child in value.items()}
            elif key not in DROPPED:
                out[key] = resolve(value, where)
        return out

    resolved_definitions = {short(name): resolve(body, short(name)) for name, body in definitions.items()}

    def reachable(start):
        """The definitions `start` refers to, transitively."""
        seen = set()
        stack = [start]
        while stack:
            node = stack.pop()
            if isinstance(node, list):
                stack.extend(node)
            elif isinstance(node, dict):
                for key, value in node.items():
                    if key == "$ref" and isinstance(value, str) and value.startswith("#/definitions/"):
                        name = value[len("#/definitions/"):]
                        if name not in seen:
                            seen.add(name)
                            body = resolved_definitions.get(name, cfn_definitions.get(name))
                            if body is None:
                                fail(f"$ref {value} names no definition")
                            stack.append(body)
                    else:
                        stack.append(value)
        return seen

    referable = {}
    for name in dir(sam_resources):
        cls = getattr(sam_resources, name)
        resource_type = getattr(cls, "resource_type", None)
        if isinstance(resource_type, str) and resource_type.startswith("AWS::Serverless::"):
            referable[resource_type] = sorted(getattr(cls, "referable_properties", {}) or {})

    # The translator's own check of each top-level property (model/sam_resources.py
    # property_types) is what a deploy meets; where it accepts a kind of value the schema does
    # not (Api's EndpointConfiguration: "REGIONAL"), the schema is widened to that kind.
    classes = {}
    for name in dir(sam_resources):
        cls = getattr(sam_resources, name)
        resource_type = getattr(cls, "resource_type", None)
        if isinstance(resource_type, str) and resource_type.startswith("AWS::Serverless::") and hasattr(cls, "property_types"):
            classes[resource_type] = cls
    probes = [("string", "text"), ("integer", 1), ("number", 1.5), ("boolean", True), ("array", []), ("object", {"Key": "Value"})]

    def accepted_kinds(property_type):
        kinds = set()
        for kind, sample in probes:
            try:
                ok = property_type.validate(sample)
            except Exception:  # noqa: BLE001 (a validator refuses by raising)
                ok = False
            if ok is not False:
                kinds.add(kind)
        if "integer" in kinds:
            kinds.discard("boolean")  # Python's bool is an int: a probe cannot tell them apart
        return kinds

    def schema_kinds(node, definitions_of, depth=0):
        if depth > 20 or not isinstance(node, dict):
            return {"string", "integer", "number", "boolean", "array", "object"}
        if "$ref" in node:
            return schema_kinds(definitions_of.get(node["$ref"].split("/")[-1], {}), definitions_of, depth + 1)
        if "type" in node:
            types = node["type"] if isinstance(node["type"], list) else [node["type"]]
            kinds = set(types)
            if "number" in kinds:
                kinds.add("integer")
            return kinds
        for key in ("anyOf", "oneOf"):
            if key in node:
                return set().union(*(schema_kinds(branch, definitions_of, depth + 1) for branch in node[key]))
        if "allOf" in node:
            return set.intersection(*(schema_kinds(branch, definitions_of, depth + 1) for branch in node["allOf"]))
        if "enum" in node:
            return {"string" if isinstance(v, str) else "boolean" if isinstance(v, bool) else "integer" if isinstance(v, int)
                    else "number" if isinstance(v, float) else "array" if isinstance(v, list) else "object" for v in node["enum"]}
        return {"string", "integer", "number", "boolean", "array", "object"}

    widened = []
    narrowed = []
    all_definitions = dict(resolved_definitions)
    all_definitions.update(cfn_definitions)

    schemas = {}
    for name, body in sorted(definitions.items()):
        if not (name.startswith(PREFIX) and name.endswith("__Resource")) or "any_cfn_resource" in name:
            continue
        type_name = body["properties"]["Type"]["enum"][0]
        reference = body["properties"].get("Properties", {}).get("$ref", "")
        if not reference.startswith("#/definitions/"):
            fail(f"{type_name} has no Properties definition")
        properties_definition = resolved_definitions[short(reference[len("#/definitions/"):])]
        schema = {
            "typeName": type_name,
            "additionalProperties": properties_definition.get("additionalProperties", False),
            "properties": properties_definition.get("properties", {}),
        }
        cls = classes.get(type_name)
        for prop, property_type in sorted((cls.property_types if cls else {}).items()):
            node = schema["properties"].get(prop)
            if node is None:
                continue
            accepted = accepted_kinds(property_type)
            if len(accepted) >= 5:
                continue  # no check of its own here (the translator validates it with the schema's model)
            # A map is accepted for intrinsic functions, which the schema already allows everywhere.
            missing = accepted - {"object"} - schema_kinds(node, all_definitions)
            if missing:
                schema["properties"][prop] = {"anyOf": [node, {"type": sorted(missing)}]}
                widened.append(f"{type_name}.{prop} (+{'/'.join(sorted(missing))})")
            # SAM's models write "or an intrinsic function" as a bare object branch
            # (SamIntrinsicable). Where the translator's check refuses a plain map, that branch
            # stands for intrinsic functions only, which Formation accepts anywhere: drop it, so
            # `AutoPublishAlias: {Ref: Stage, Extra: Bad}` is refused as the translator refuses it.
            if "object" not in accepted and isinstance(node.get("anyOf"), list) and {"type": "object"} in node["anyOf"]:
                rest = [branch for branch in node["anyOf"] if branch != {"type": "object"}]
                if rest:
                    kept = {key: value for key, value in node.items() if key != "anyOf"}
                    schema["properties"][prop] = dict(kept, **(rest[0] if len(rest) == 1 and not kept else {"anyOf": rest}))
                    narrowed.append(f"{type_name}.{prop}")
        if properties_definition.get("required"):
            schema["required"] = properties_definition["required"]
        used = reachable(schema)
        if used:
            schema["definitions"] = {name: resolved_definitions.get(name, cfn_definitions.get(name)) for name in sorted(used)}
        attributes = registry.getatt_names(type_name)
        attributes += [f"{prop}(\\..*)?" for prop in referable.get(type_name, [])]
        schema["formationGetAtt"] = sorted(set(attributes))
        schemas[type_name] = schema

    missing_referable = sorted(set(referable) - set(schemas))
    if missing_referable:
        fail(f"the translator's resource classes {missing_referable} have no schema")

    document = {"source": f"aws-sam-translator {pin}", "schemas": schemas}
    schemas_text = (json.dumps(document, separators=(",", ":"), sort_keys=True, ensure_ascii=False) + "\n").encode("utf-8")

    # Globals: the sections and properties the translator accepts, and its merge rules.
    globals_lines = []
    for resource_type, properties in sam_globals.Globals.supported_properties.items():
        if resource_type in sam_globals.Globals.unreleased_resource_types:
            continue
        section = resource_type[len("AWS::Serverless::"):]
        unreleased = set(sam_globals.Globals.unreleased_properties.get(resource_type, []))
        names = []
        for prop in properties:
            if prop not in names and prop not in unreleased:
                names.append(prop)
        rules = sorted((key[len(section) + 1:], op.value) for key, op in sam_globals.CUSTOM_STRATEGIES.items()
                       if key.startswith(section + "."))
        rule_text = ", ".join(f"{swift_string(path)}: .{'replace' if op == 'replace' else 'pruneAndMerge'}"
                              for path, op in rules) or ":"
        globals_lines.append(f"        Section(name: {swift_string(section)}, type: {swift_string(resource_type)},\n"
                             f"                properties: [{', '.join(swift_string(p) for p in names)}],\n"
                             f"                rules: [{rule_text}]),")
        for _, op in rules:
            if op not in ("replace", "prune_and_merge"):
                fail(f"merge rule {op} is new: teach ServerlessGlobals about it")

    generated = sorted({
        GeneratedLogicalId.implicit_api(),
        GeneratedLogicalId.implicit_http_api(),
        preferences.CODEDEPLOY_APPLICATION_LOGICAL_ID,
        preferences.CODE_DEPLOY_SERVICE_ROLE_LOGICAL_ID,
    })
    referable_lines = [f"        {swift_string(t)}: [{', '.join(swift_string(p) for p in props)}],"
                       for t, props in sorted(referable.items()) if props]

    spec = f"""// Generated by scripts/refresh-sam-schema.py from aws-sam-translator {pin}
// (plugins/globals/globals.py, model/naming.py, model/preferences/, model/sam_resources.py).
// Do not edit: run `make schemas`.

/// What SAM's translator does with a template beyond its resource schemas (those are in the
/// registry bundle's SAM row): the Globals it accepts and how it merges them, the logical IDs it
/// generates outside any resource's, and the properties `Ref`/`Fn::GetAtt` may name after a dot.
enum ServerlessSpec {{
    /// The translator that this file and data/sam/schemas.json come from.
    static let translator = {swift_string("aws-sam-translator " + pin)}

    /// How a Globals value merges with a resource's value of the same property, where SAM's
    /// default (maps merge, lists concatenate, the resource's scalar wins) does not apply.
    enum MergeRule: Sendable {{
        /// The resource's value replaces the global one.
        case replace
        /// Only the resource's keys survive; shared keys merge.
        case pruneAndMerge
    }}

    /// One section of Globals (`Function`) and the properties it accepts.
    struct Section: Sendable {{
        let name: String
        let type: String
        let properties: [String]
        /// Merge rules by dotted property path below the section.
        let rules: [String: MergeRule]
    }}

    /// In the translator's order.
    static let globals: [Section] = [
{chr(10).join(globals_lines)}
    ]

    /// Logical IDs SAM generates for the template as a whole (the implicit APIs, CodeDeploy's
    /// application and role); other generated resources are named after their SAM resource.
    static let generatedLogicalIDs: Set<String> = [{', '.join(swift_string(name) for name in generated)}]

    /// The properties `Ref`/`Fn::GetAtt` may name after a SAM resource's logical ID and a dot
    /// (`MyFunction.Version`), by type.
    static let referableProperties: [String: [String]] = [
{chr(10).join(referable_lines)}
    ]
}}
""".encode("utf-8")

    if check:
        stale = [path for path, payload in ((SCHEMAS, schemas_text), (SPEC, spec))
                 if not os.path.exists(path) or open(path, "rb").read() != payload]
        if stale:
            fail("out of date (run `make schemas`): " + ", ".join(os.path.relpath(p, ROOT) for p in stale))
        print(f"refresh-sam-schema: data/sam/schemas.json and ServerlessSpec.swift are what aws-sam-translator {pin} gives")
        return
    refresh_common.write_atomically(SCHEMAS, schemas_text)
    refresh_common.write_atomically(SPEC, spec)
    print(f"refresh-sam-schema: {len(schemas)} SAM types ({len(schemas_text)} bytes), {len(globals_lines)} Globals sections, "
          f"{passthrough['resolved']} pass-through properties with CloudFormation's schema "
          f"({passthrough['documented']} of them known from SAM's documentation of the property), "
          f"{len(passthrough['renamed'])} renamed by SAM left open, "
          f"{len(passthrough['open'])} not in the registry left open: {', '.join(passthrough['open']) or 'none'}; "
          f"widened to what the translator accepts: {', '.join(widened) or 'none'}; "
          f"plain maps refused as the translator refuses them: {', '.join(narrowed) or 'none'}")


if __name__ == "__main__":
    main()
