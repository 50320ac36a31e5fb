"""Prints, as JSON, where PyYAML's composer says each mapping key and sequence item of a YAML
file starts: [[path, line, column], ...], 1-based, columns in characters; a path is a list of
components, each a list of code points (so no key is altered on the way: NUL, lone surrogates). Tags are ignored (composition does not construct), so CloudFormation short forms
are read as the nodes they are written as.

Usage: python3 pyyaml_positions.py FILE.yaml
"""
import json
import sys

import yaml


def walk(node, path, out):
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            child = path + [key.value]
            out.append([[[ord(c) for c in part] for part in child], key.start_mark.line + 1, key.start_mark.column + 1])
            walk(value, child, out)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            child = path + [str(index)]
            out.append([[[ord(c) for c in part] for part in child], item.start_mark.line + 1, item.start_mark.column + 1])
            walk(item, child, out)


with open(sys.argv[1], encoding="utf-8") as handle:
    root = yaml.compose(handle, Loader=yaml.SafeLoader)
positions = []
walk(root, [], positions)
json.dump(positions, sys.stdout)
