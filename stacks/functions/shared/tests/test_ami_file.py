import unittest

from ami_file import AmiFileError, current_ami_id, find_ami_ids, is_ami_id, replace_ami_id

NODECLASS = """\
apiVersion: karpenter.k8s.aws/v1
kind: EC2NodeClass
metadata:
  name: default
spec:
  role: KarpenterNodeRole   # the node role
  amiSelectorTerms:
    - id: "ami-0123456789abcdef0"
  tags:
    team: platform
"""


class AmiFileTests(unittest.TestCase):
    def test_is_ami_id(self):
        self.assertTrue(is_ami_id("ami-0123456789abcdef0"))
        self.assertTrue(is_ami_id("ami-12345678"))
        for text in ("ami-0123456789ABCDEF0", "ami-123", "ami-0123456789abcdef0x", "xami-12345678", None):
            self.assertFalse(is_ami_id(text))

    def test_current_ami_id(self):
        self.assertEqual(current_ami_id(NODECLASS), "ami-0123456789abcdef0")
        self.assertEqual(find_ami_ids("a: ami-12345678\nb: ami-12345678\n"), ["ami-12345678"])

    def test_replace_changes_exactly_one_line(self):
        new_text, old = replace_ami_id(NODECLASS, "ami-04b406d4e6eaca578")
        self.assertEqual(old, "ami-0123456789abcdef0")
        before, after = NODECLASS.splitlines(keepends=True), new_text.splitlines(keepends=True)
        changed = [(a, b) for a, b in zip(before, after) if a != b]
        self.assertEqual(changed, [('    - id: "ami-0123456789abcdef0"\n', '    - id: "ami-04b406d4e6eaca578"\n')])
        self.assertEqual(len(before), len(after))

    def test_replace_keeps_crlf_and_repeated_ids(self):
        text = "a: ami-12345678\r\n# pinned: ami-12345678\r\n"
        self.assertEqual(replace_ami_id(text, "ami-87654321")[0], "a: ami-87654321\r\n# pinned: ami-87654321\r\n")

    def test_errors(self):
        with self.assertRaises(AmiFileError) as caught:
            current_ami_id("spec: {}\n")
        self.assertEqual(str(caught.exception), "the file names no AMI id")
        with self.assertRaises(AmiFileError) as caught:
            current_ami_id("a: ami-12345678\nb: ami-87654321\n")
        self.assertEqual(str(caught.exception),
                         "the file names 2 different AMI ids (ami-12345678, ami-87654321); expected one")
        with self.assertRaises(AmiFileError) as caught:
            replace_ami_id(NODECLASS, "ami-XYZ")
        self.assertEqual(str(caught.exception), "'ami-XYZ' is not an AMI id")


if __name__ == "__main__":
    unittest.main()
