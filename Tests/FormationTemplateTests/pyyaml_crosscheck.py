"""Loads a YAML file with PyYAML (CloudFormation short-form tags turned into long form) and a
JSON file with the json module, and checks they hold the same data, key order included.

Usage: python3 pyyaml_crosscheck.py FILE.yaml FILE.json
Exit 0 when equal; otherwise prints the first difference and exits 1.
"""
import json
import math
import sys

import yaml


class CloudFormationLoader(yaml.SafeLoader):
    pass


def _construct(node, loader):
    if isinstance(node, yaml.ScalarNode):
        return loader.construct_scalar(node)
    if isinstance(node, yaml.SequenceNode):
        return loader.construct_sequence(node, deep=True)
    return loader.construct_mapping(node, deep=True)


def _intrinsic(loader, tag_suffix, node):
    name = tag_suffix if tag_suffix in ("Ref", "Condition") else "Fn::" + tag_suffix
    value = _construct(node, loader)
    if name == "Fn::GetAtt" and isinstance(value, str):
        resource, _, attribute = value.partition(".")
        value = [resource, attribute]
    return {name: value}


CloudFormationLoader.add_multi_constructor("!", _intrinsic)


def _ordered_map(loader, node):
    loader.flatten_mapping(node)
    pairs = loader.construct_pairs(node, deep=True)
    return dict(pairs)


CloudFormationLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _ordered_map)


def same(a, b, path="$"):
    if isinstance(a, bool) or isinstance(b, bool):
        if type(a) is not type(b) or a != b:
            return f"{path}: {a!r} != {b!r}"
        return None
    if isinstance(a, dict) and isinstance(b, dict):
        if list(a.keys()) != list(b.keys()):
            return f"{path}: keys {list(a.keys())!r} != {list(b.keys())!r}"
        for key in a:
            problem = same(a[key], b[key], f"{path}.{key}")
            if problem:
                return problem
        return None
    if isinstance(a, list) and isinstance(b, list):
        if len(a) != len(b):
            return f"{path}: lengths {len(a)} != {len(b)}"
        for index, (x, y) in enumerate(zip(a, b)):
            problem = same(x, y, f"{path}[{index}]")
            if problem:
                return problem
        return None
    if isinstance(a, float) and isinstance(b, float):
        if a == b or (math.isnan(a) and math.isnan(b)):
            return None
        return f"{path}: {a!r} != {b!r}"
    if type(a) is not type(b) or a != b:
        return f"{path}: {a!r} ({type(a).__name__}) != {b!r} ({type(b).__name__})"
    return None


def main():
    yaml_path, json_path = sys.argv[1], sys.argv[2]
    with open(yaml_path, encoding="utf-8") as handle:
        from_yaml = yaml.load(handle, Loader=CloudFormationLoader)
    with open(json_path, encoding="utf-8") as handle:
        from_json = json.load(handle)
    problem = same(from_yaml, from_json)
    if problem:
        print("PyYAML and JSON disagree at " + problem)
        sys.exit(1)
    print("same")


if __name__ == "__main__":
    main()
