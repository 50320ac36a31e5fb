"""Finding and replacing the AMI id in the node class YAML, as text.

The file is edited as text rather than parsed and re-dumped, so comments, key order, quoting and
line endings stay exactly as the team wrote them and the pull request's diff is one line.
"""

import re

AMI_ID_PATTERN = re.compile(r"\bami-(?:[0-9a-f]{17}|[0-9a-f]{8})\b")


class AmiFileError(ValueError):
    """The file does not name exactly one AMI id."""


def is_ami_id(text):
    """Whether ``text`` is an AMI id (``ami-`` and 8 or 17 lowercase hex digits)."""
    return isinstance(text, str) and AMI_ID_PATTERN.fullmatch(text) is not None


def find_ami_ids(text):
    """The distinct AMI ids in ``text``, in order of first appearance."""
    seen = []
    for match in AMI_ID_PATTERN.finditer(text):
        if match.group(0) not in seen:
            seen.append(match.group(0))
    return seen


def current_ami_id(text):
    """The one AMI id the file names; AmiFileError when it names none or several."""
    ids = find_ami_ids(text)
    if not ids:
        raise AmiFileError("the file names no AMI id")
    if len(ids) > 1:
        raise AmiFileError("the file names %d different AMI ids (%s); expected one" % (len(ids), ", ".join(ids)))
    return ids[0]


def replace_ami_id(text, new_id):
    """(new text, old id): every occurrence of the file's one AMI id replaced by ``new_id``."""
    if not is_ami_id(new_id):
        raise AmiFileError("%r is not an AMI id" % (new_id,))
    old_id = current_ami_id(text)
    return AMI_ID_PATTERN.sub(lambda match: new_id if match.group(0) == old_id else match.group(0), text), old_id
