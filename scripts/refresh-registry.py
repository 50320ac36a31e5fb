#!/usr/bin/env python3
"""Builds data/registry/registry.bin from the CloudFormation registry schemas bundled with cfn-lint.

Every resource schema of every region in the pinned cfn-lint's bundle (and SAM's resource schemas
from the pinned aws-sam-translator, written to data/sam/schemas.json by refresh-sam-schema.py), with cfn-lint's schema patches applied as cfn-lint applies them: the bundle's
schemas arrive patched (cfn-lint downloads them pre-enhanced), and the patch files still in the
package are applied with jsonpatch where their effect is not there yet (counted in the manifest). Each distinct schema is stored once,
minified and zlib-compressed, so a reader inflates only the types it uses. Per schema the
`Fn::GetAtt` attribute names are added as cfn-lint computes them (`cfnlint.schema._getatts`),
under the key `formationGetAtt`, so Formation never keeps its own copy of cfn-lint's tables.

Each schema is also stored compiled: Formation's validation table for it (the rules, the GetAtt
names, the create-only and write-only pointers), made by the Swift compiler itself
(`formation-codegen --compile-tables`, built here), so a run of `formation` reads a small table
instead of parsing and compiling the whole schema. A test checks that the stored tables are what
the compiler makes of the stored schemas today.

Also writes data/registry/manifest.txt (what is inside, for review) and the assembly file
Sources/CFormationRegistry/registry.S that embeds the bundle; that file carries the bundle's
SHA-256 so that a build notices a new bundle.

    python3 scripts/refresh-registry.py 1.58.0

Binary layout (all integers little-endian), read by FormationRegistry.RegistryBundle:

    magic          8 bytes  "FMREG002"
    header         7 x u32  typeCount T, regionCount R, schemaCount S, stringBytes,
                            dataBytes, metaOffset, metaLength
    typeNames      (T+1) x u32 offsets into the string table (sorted by byte order)
    regionNames    (R+1) x u32 offsets into the string table (sorted)
    schemas        S x (u32 dataOffset, u32 compressedLength, u32 rawLength,
                        u32 tableOffset, u32 tableCompressedLength, u32 tableRawLength):
                   the schema's JSON, then its compiled table (all zero: no table)
    matrix         (R+1) x T x u16: the schema of type t in region r (0xFFFF: absent);
                   row R is SAM's (types that exist under the SAM transform)
    strings        stringBytes bytes (UTF-8)
    data           dataBytes bytes: zlib streams
"""

import hashlib
import importlib.util
import json
import os
import struct
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import refresh_common as embedding  # noqa: E402 (the scripts directory)
import zlib

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT_DIR = os.path.join(ROOT, "data", "registry")
BUNDLE = os.path.join(OUT_DIR, "registry.bin")
MANIFEST = os.path.join(OUT_DIR, "manifest.txt")
SAM_SCHEMAS = os.path.join(ROOT, "data", "sam", "schemas.json")
ASSEMBLY = os.path.join(ROOT, "Sources", "CFormationRegistry", "registry.S")
MAGIC = b"FMREG002"
ABSENT = 0xFFFF

# Top-level schema keys that are documentation or provider plumbing: nothing validates with them
# and the generator does not read them.
ANNOTATIONS = {
    "sourceUrl", "documentationUrl", "propertyTransform", "examples", "$comment", "$schema",
    "resourceLink", "replacementStrategy", "handlers", "$id",
}


def fail(message):
    print(f"refresh-registry: {message}", file=sys.stderr)
    sys.exit(1)


def cfnlint_package(pin):
    embedding.require_pin("refresh-registry", "cfn-lint", pin)
    spec = importlib.util.find_spec("cfnlint")
    if spec is None or spec.origin is None:
        fail("cannot locate the cfnlint package")
    return os.path.dirname(spec.origin)


def load_json(path):
    try:
        with open(path, encoding="utf-8") as handle:
            return json.load(handle)
    except (OSError, ValueError) as error:
        fail(f"{path}: {error}")


def load_patches(schemas_dir):
    """The patch files left in cfn-lint's package, by the directory name cfn-lint derives from a
    type name (`aws_ec2_flowlog`), in cfn-lint's order (providers, then extensions; files sorted)."""
    patches = {}
    for kind in ("providers", "extensions"):
        base = os.path.join(schemas_dir, "patches", kind, "all")
        if not os.path.isdir(base):
            continue
        for directory in sorted(os.listdir(base)):
            folder = os.path.join(base, directory)
            if not os.path.isdir(folder):
                continue
            for filename in sorted(f for f in os.listdir(folder) if f.endswith(".json")):
                patches.setdefault(directory, []).append((os.path.join(folder, filename),
                                                          load_json(os.path.join(folder, filename))))
    return patches


MISSING = object()


def resolve(document, pointer):
    for raw in pointer.split("/")[1:]:
        token = raw.replace("~1", "/").replace("~0", "~")
        if isinstance(document, dict) and token in document:
            document = document[token]
        elif isinstance(document, list) and token.isdigit() and int(token) < len(document):
            document = document[int(token)]
        else:
            return MISSING
    return document


def apply_patches(type_name, schema, patches, counts):
    """Applies cfn-lint's JSON patches for `type_name` the way cfn-lint's schema update does
    (`jsonpatch`, file by file). Most arrive applied already in cfn-lint's bundle: an operation
    whose effect is already there is counted and skipped."""
    import jsonpatch  # a dependency of cfn-lint

    for path, operations in patches.get(type_name.lower().replace("::", "_").replace("-", "_"), []):
        for operation in operations:
            op, pointer = operation.get("op"), operation.get("path", "")
            found = resolve(schema, pointer)
            if (op == "remove" and found is MISSING) or (op in ("add", "replace") and found == operation.get("value")):
                counts["present"] += 1
                continue
            try:
                schema = jsonpatch.JsonPatch([operation]).apply(schema, in_place=False)
            except jsonpatch.JsonPatchException as error:
                fail(f"{path}: `{op} {pointer}` does not apply to {type_name}: {error}")
            counts["applied"] += 1
    return schema


def getatt_names(schema):
    from cfnlint.schema import Schema
    from cfnlint.schema._getatts import GetAtts

    return sorted(GetAtts(Schema(schema)).attrs.data.keys())


def main():
    if len(sys.argv) != 2:
        fail("usage: refresh-registry.py PINNED-CFN-LINT-VERSION")
    pin = sys.argv[1]
    package = cfnlint_package(pin)
    schemas_dir = os.path.join(package, "data", "schemas")
    providers_dir = os.path.join(schemas_dir, "providers")
    resources_dir = os.path.join(schemas_dir, "resources")
    schema_date = load_json(os.path.join(schemas_dir, "version.json")).get("schema_date", "")

    regions = {}
    sam = {}
    for name in sorted(os.listdir(providers_dir)):
        if not name.endswith(".json"):
            continue
        table = load_json(os.path.join(providers_dir, name))
        if not isinstance(table, dict):
            fail(f"{name} is not a type table")
        if name == "sam.json":
            continue  # SAM's types come from aws-sam-translator (data/sam/schemas.json) instead
        else:
            regions[name[:-len(".json")]] = table
    if "us-east-1" not in regions:
        fail(f"{providers_dir} lacks us-east-1.json")
    # SAM's types: the pinned aws-sam-translator's specification as scripts/refresh-sam-schema.py
    # wrote it (run first by `make schemas`), keyed "sam:" + type name in place of a cfn-lint hash.
    sam_schemas = load_json(SAM_SCHEMAS).get("schemas", {})
    if not sam_schemas:
        fail(f"{SAM_SCHEMAS} holds no schema; run scripts/refresh-sam-schema.py first")
    sam = {name: "sam:" + name for name in sam_schemas}

    # Each cfn-lint hash, read once, annotations dropped, GetAtt names added.
    prepared = {}
    patches = load_patches(schemas_dir)
    patch_counts = {"applied": 0, "present": 0}

    def prepare(type_name, digest):
        if digest in prepared:
            return prepared[digest]
        if digest.startswith("sam:"):
            schema = sam_schemas[digest[len("sam:"):]]
        else:
            schema = load_json(os.path.join(resources_dir, digest + ".json"))
        if schema.get("typeName") != type_name:
            fail(f"{digest}.json is the schema of {schema.get('typeName')}, not {type_name}")
        if not digest.startswith("sam:"):  # cfn-lint's patches are for its own copy of SAM's schema
            schema = apply_patches(type_name, schema, patches, patch_counts)
        slim = {key: value for key, value in schema.items() if key not in ANNOTATIONS}
        # SAM's schemas come with their attribute names (refresh-sam-schema.py says whence).
        slim["formationGetAtt"] = schema["formationGetAtt"] if "formationGetAtt" in schema else getatt_names(schema)
        text = json.dumps(slim, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
        prepared[digest] = text
        return text

    for table in list(regions.values()) + [sam]:
        for type_name, digest in table.items():
            prepare(type_name, digest)

    # Distinct schema texts, in a stable order (by content hash).
    distinct = sorted(set(prepared.values()), key=lambda text: hashlib.sha256(text).hexdigest())
    if len(distinct) >= ABSENT:
        fail("too many distinct schemas for 16-bit indices")
    index_of = {text: position for position, text in enumerate(distinct)}

    type_names = sorted({name for table in list(regions.values()) + [sam] for name in table},
                        key=lambda name: name.encode("utf-8"))
    region_names = sorted(regions)

    strings = bytearray()

    def add_string(text):
        offset = len(strings)
        strings.extend(text.encode("utf-8"))
        return offset

    type_offsets = [add_string(name) for name in type_names] + [len(strings)]
    region_offsets = [add_string(name) for name in region_names] + [len(strings)]
    meta = json.dumps({"cfnLint": pin, "schemaDate": schema_date}, separators=(",", ":"), sort_keys=True)
    meta_offset = add_string(meta)
    meta_length = len(strings) - meta_offset

    rows = []
    for table in [regions[name] for name in region_names] + [sam]:
        rows.append([index_of[prepared[table[name]]] if name in table else ABSENT for name in type_names])

    def layout(tables):
        data = bytearray()
        entries = []
        for position, text in enumerate(distinct):
            compressed = zlib.compress(text, 9)
            entry = [len(data), len(compressed), len(text)]
            data.extend(compressed)
            if tables is None:
                entry += [0, 0, 0]
            else:
                table = zlib.compress(tables[position], 9)
                entry += [len(data), len(table), len(tables[position])]
                data.extend(table)
            entries.append(entry)
        out = bytearray(MAGIC)
        out += struct.pack("<7I", len(type_names), len(region_names), len(distinct), len(strings), len(data),
                           meta_offset, meta_length)
        out += struct.pack(f"<{len(type_offsets)}I", *type_offsets)
        out += struct.pack(f"<{len(region_offsets)}I", *region_offsets)
        for entry in entries:
            out += struct.pack("<6I", *entry)
        for row in rows:
            out += struct.pack(f"<{len(row)}H", *row)
        out += strings
        out += data
        return bytes(out), len(data)

    # The schemas alone first; the Swift compiler makes the tables from that bundle.
    raw_bundle, _ = layout(None)
    tables = compile_tables(raw_bundle, len(distinct))
    bundle, data_length = layout(tables)
    digest = hashlib.sha256(bundle).hexdigest()

    os.makedirs(OUT_DIR, exist_ok=True)
    embedding.write_atomically(BUNDLE, bundle)

    us_east = regions["us-east-1"]
    services = sorted({name.split("::")[1] for name in us_east})
    raw_total = sum(len(text) for text in distinct)
    manifest = [
        "# The CloudFormation registry as Formation ships it: written by scripts/refresh-registry.py",
        "# (`make schemas`); do not edit.",
        f"source: cfn-lint {pin} (schema date {schema_date})",
        f"bundle: data/registry/registry.bin, {len(bundle)} bytes, sha256 {digest}",
        f"schemas: {len(distinct)} distinct ({raw_total} bytes minified; with their compiled tables "
        f"({sum(len(t) for t in tables)} bytes) {data_length} bytes compressed)",
        f"cfn-lint patch operations: {patch_counts['present']} found applied in its bundle, "
        f"{patch_counts['applied']} applied here",
        f"resource types: {len(type_names)} in all; {len(us_east)} in us-east-1 ({len(services)} services); "
        f"{len(sam)} SAM types",
        "regions (resource types):",
    ]
    for name in region_names:
        manifest.append(f"  {name} {len(regions[name])}")
    manifest.append(f"SAM types (under Transform: AWS::Serverless-2016-10-31), from {load_json(SAM_SCHEMAS).get('source')} (data/sam/schemas.json):")
    for name in sorted(sam):
        manifest.append(f"  {name}")
    embedding.write_atomically(MANIFEST, ("\n".join(manifest) + "\n").encode("utf-8"))
    embedding.write_atomically(ASSEMBLY, assembly(digest, len(bundle)).encode("utf-8"))
    print(f"refresh-registry: {len(type_names)} types, {len(region_names)} regions, {len(distinct)} schemas; "
          f"{len(bundle)} bytes in {os.path.relpath(BUNDLE, ROOT)} (cfn-lint {pin})")


def compile_tables(raw_bundle, count):
    """Formation's compiled table of every schema of `raw_bundle`, in order, made by
    `formation-codegen --compile-tables` (built here with SwiftPM)."""
    import subprocess
    import tempfile

    with tempfile.TemporaryDirectory() as scratch:
        raw_path = os.path.join(scratch, "raw.bin")
        out_path = os.path.join(scratch, "tables.jsonl")
        with open(raw_path, "wb") as handle:
            handle.write(raw_bundle)
        build = subprocess.run(["swift", "build", "--product", "formation-codegen"], cwd=ROOT,
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        if build.returncode != 0:
            fail("building formation-codegen failed:\n" + build.stdout[-4000:])
        bin_path = subprocess.run(["swift", "build", "--show-bin-path"], cwd=ROOT, stdout=subprocess.PIPE,
                                  text=True, check=True).stdout.strip()
        run = subprocess.run([os.path.join(bin_path, "formation-codegen"), "--compile-tables", raw_path, out_path],
                             stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        if run.returncode != 0:
            fail("compiling the schemas' tables failed:\n" + run.stdout[-4000:])
        with open(out_path, "rb") as handle:
            lines = handle.read().split(b"\n")
    if lines and lines[-1] == b"":
        lines.pop()
    if len(lines) != count:
        fail(f"formation-codegen wrote {len(lines)} tables for {count} schemas")
    return lines


def assembly(digest, size):
    return embedding.assembly("refresh-registry.py", "schemas", "data/registry/registry.bin", "registry", "registry bundle", digest, size)


if __name__ == "__main__":
    main()
