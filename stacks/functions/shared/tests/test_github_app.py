import base64
import hashlib
import json
import unittest

from github_app import (GitHubError, GitHubRepo, KeyFormatError, b64url, installation_token,
                        load_private_key, make_app_jwt, parse_credentials)
from tests.fake_github import FakeGitHub


def b64u_int(text):
    return int.from_bytes(base64.urlsafe_b64decode(text + "=" * (-len(text) % 4)), "big")


# RFC 7515 appendix A.2: an RS256 JWS with a published 2048-bit test key and signature.
A2_N = b64u_int(
    "ofgWCuLjybRlzo0tZWJjNiuSfb4p4fAkd_wWJcyQoTbji9k0l8W26mPddxHmfHQp-Vaw-4qPCJrcS2mJPMEzP1Pt0Bm4d4QlL-yRT-SFd2lZS-pC"
    "gNMsD1W_YpRPEwOWvG6b32690r2jZ47soMZo9wGzjb_7OMg0LOL-bSf63kpaSHSXndS5z5rexMdbBYUsLA9e-KXBdQOS-UTo7WTBEMa2R2CapHg6"
    "65xsmtdVMTBQY4uDZlxvb3qCo5ZwKh9kG4LT6_I5IhlJH7aGhyxXFvUK-DWNmoudF8NAco9_h9iaGNj8q2ethFkMLs91kzk2PAcDTW9gb54h4FRW"
    "yuXpoQ")
A2_E = 65537
A2_D = b64u_int(
    "Eq5xpGnNCivDflJsRQBXHx1hdR1k6Ulwe2JZD50LpXyWPEAeP88vLNO97IjlA7_GQ5sLKMgvfTeXZx9SE-7YwVol2NXOoAJe46sui395IW_GO-pW"
    "J1O0BkTGoVEn2bKVRUCgu-GjBVaYLU6f3l9kJfFNS3E0QbVdxzubSu3Mkqzjkn439X0M_V51gfpRLI9JYanrC4D4qAdGcopV_0ZHHzQlBjudU2Qv"
    "Xt4ehNYTCBr6XCLQUShb1juUO1ZdiYoFaFQT5Tw8bGUl_x_jTj3ccPDVZFD9pIuhLhBOneufuBiB4cS98l2SR_RQyGWSeWjnczT0QU91p1DhOVRu"
    "OopznQ")
A2_P = b64u_int(
    "4BzEEOtIpmVdVEZNCqS7baC4crd0pqnRH_5IB3jw3bcxGn6QLvnEtfdUdiYrqBdss1l58BQ3KhooKeQTa9AB0Hw_Py5PJdTJNPY8cQn7ouZ2KKDc"
    "mnPGBY5t7yLc1QlQ5xHdwW1VhvKn-nXqhJTBgIPgtldC-KDV5z-y2XDwGUc")
A2_Q = b64u_int(
    "uQPEfgmVtjL0Uyyx88GZFF1fOunH3-7cepKmtH4pxhtCoHqpWmT8YAmZxaewHgHAjLYsp1ZSe7zFYHj7C6ul7TjeLQeZD_YwD66t62wDmpe_HlB-"
    "TnBA-njbglfIsRLtXlnDzQkv5dTltRJ11BKBBypeeF6689rjcJIDEz9RWdc")
A2_SIGNING_INPUT = (b"eyJhbGciOiJSUzI1NiJ9.eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNv"
                    b"bS9pc19yb290Ijp0cnVlfQ")
A2_SIGNATURE = (
    "cC4hiUPoj9Eetdgtv3hF80EGrhuB__dzERat0XF9g2VtQgr9PJbu3XOiZj5RZmh7AAuHIm4Bh-0Qc_lF5YKt_O8W2Fp5jujGbds9uJdbF9CUAr7t"
    "1dnZcAcQjbKBYNX4BAynRFdiuB--f_nZLgrnbyTyWzO75vRK5h6xBArLIARNPvkSjtQBMHlb1L07Qe7K0GarZRmB_eSN9383LcOLn6_dO--xi12j"
    "zDwusC-eOkHWEsqtFZESc6BfI7noOPqvhJ1phCnvWh6IeYI2w9QOYEUipUTI8np6LbgGY9Fs98rqVt5AXLIhWkWywlVmtVrBp0igcN_IoypGlUPQ"
    "Ge77Rw")


def der_length(n):
    if n < 0x80:
        return bytes([n])
    raw = n.to_bytes((n.bit_length() + 7) // 8, "big")
    return bytes([0x80 | len(raw)]) + raw


def der(tag, body):
    return bytes([tag]) + der_length(len(body)) + body


def der_int(value):
    return der(0x02, value.to_bytes(value.bit_length() // 8 + 1, "big"))


def pkcs1_der():
    numbers = [0, A2_N, A2_E, A2_D, A2_P, A2_Q, A2_D % (A2_P - 1), A2_D % (A2_Q - 1), pow(A2_Q, -1, A2_P)]
    return der(0x30, b"".join(der_int(v) for v in numbers))


def pkcs8_der():
    algorithm = der(0x30, der(0x06, bytes.fromhex("2a864886f70d010101")) + der(0x05, b""))
    return der(0x30, der_int(0) + algorithm + der(0x04, pkcs1_der()))


def pem(label, data):
    body = base64.b64encode(data).decode()
    lines = [body[i:i + 64] for i in range(0, len(body), 64)]
    return "-----BEGIN %s-----\n%s\n-----END %s-----\n" % (label, "\n".join(lines), label)


PKCS1_PEM = pem("RSA PRIVATE KEY", pkcs1_der())


def verify(signature, message):
    """RSASSA-PKCS1-v1_5 SHA-256 verification with the A.2 public key, from first principles."""
    em = pow(int.from_bytes(signature, "big"), A2_E, A2_N).to_bytes(256, "big")
    digest_info = bytes.fromhex("3031300d060960864801650304020105000420") + hashlib.sha256(message).digest()
    return em == b"\x00\x01" + b"\xff" * (256 - len(digest_info) - 3) + b"\x00" + digest_info


class KeyAndSignatureTests(unittest.TestCase):
    def test_rfc7515_a2_signature(self):
        key = load_private_key(PKCS1_PEM)
        self.assertEqual((key.n, key.e, key.d), (A2_N, A2_E, A2_D))
        self.assertEqual(b64url(key.sign_sha256(A2_SIGNING_INPUT)), A2_SIGNATURE)

    def test_key_forms(self):
        forms = {
            "pkcs8": pem("PRIVATE KEY", pkcs8_der()),
            "base64 of pem": base64.b64encode(PKCS1_PEM.encode()).decode(),
            "escaped newlines": PKCS1_PEM.replace("\n", "\\n"),
            "crlf": PKCS1_PEM.replace("\n", "\r\n"),
        }
        for name, text in forms.items():
            with self.subTest(name):
                self.assertEqual(b64url(load_private_key(text).sign_sha256(A2_SIGNING_INPUT)), A2_SIGNATURE)

    def test_rejects_what_is_not_an_unencrypted_rsa_key(self):
        cases = {
            "garbage!": "the private key is neither a PEM nor a base64-encoded PEM",
            "-----BEGIN ENCRYPTED PRIVATE KEY-----\nAAAA\n-----END ENCRYPTED PRIVATE KEY-----":
                "the private key is encrypted; store it unencrypted in the secret",
            "-----BEGIN EC PRIVATE KEY-----\nAAAA\n-----END EC PRIVATE KEY-----":
                "no RSA PRIVATE KEY or PRIVATE KEY block in the private key",
            pem("RSA PRIVATE KEY", b"\x30\x03\x02\x01\x00"): "not a PKCS#1 RSAPrivateKey",
            pem("RSA PRIVATE KEY", pkcs1_der()[:100]): "truncated DER",
        }
        for text, message in cases.items():
            with self.assertRaises(KeyFormatError) as caught:
                load_private_key(text)
            self.assertEqual(str(caught.exception), message)

    def test_inconsistent_key_is_caught(self):
        key = load_private_key(PKCS1_PEM)
        key.dp += 2
        with self.assertRaises(KeyFormatError):
            key.sign_sha256(b"x")

    def test_app_jwt(self):
        token = make_app_jwt(12345, load_private_key(PKCS1_PEM), now=1_700_000_000)
        header, claims, signature = token.split(".")
        decode = lambda part: json.loads(base64.urlsafe_b64decode(part + "=" * (-len(part) % 4)))
        self.assertEqual(decode(header), {"alg": "RS256", "typ": "JWT"})
        self.assertEqual(decode(claims), {"iat": 1_699_999_940, "exp": 1_700_000_540, "iss": "12345"})
        raw = base64.urlsafe_b64decode(signature + "=" * (-len(signature) % 4))
        self.assertTrue(verify(raw, (header + "." + claims).encode()))
        self.assertFalse(verify(raw, (header + "." + claims + "x").encode()))

    def test_app_jwt_verifies_with_cryptography_when_installed(self):
        try:
            from cryptography.hazmat.primitives import hashes
            from cryptography.hazmat.primitives.asymmetric import padding, rsa
        except ImportError:
            self.skipTest("cryptography is not installed (the other tests cover RS256 on their own)")
        public = rsa.RSAPublicNumbers(A2_E, A2_N).public_key()
        token = make_app_jwt("7", load_private_key(PKCS1_PEM), now=1)
        signing_input, _, signature = token.rpartition(".")
        raw = base64.urlsafe_b64decode(signature + "=" * (-len(signature) % 4))
        public.verify(raw, signing_input.encode(), padding.PKCS1v15(), hashes.SHA256())  # raises if invalid


class CredentialTests(unittest.TestCase):
    def test_parse(self):
        secret = json.dumps({"app_id": 1, "installation_id": "2", "private_key": " key "})
        self.assertEqual(parse_credentials(secret), {"app_id": "1", "installation_id": "2", "private_key": "key"})

    def test_errors(self):
        for text, message in (("nope", "the GitHub App secret is not JSON"),
                              ("[]", "the GitHub App secret is not a JSON object"),
                              ('{"app_id": "1", "private_key": ""}',
                               "the GitHub App secret lacks installation_id, private_key")):
            with self.assertRaises(ValueError) as caught:
                parse_credentials(text)
            self.assertEqual(str(caught.exception), message)


API = "https://api.github.com"
REPO = API + "/repos/acme/infra"


class ApiTests(unittest.TestCase):
    def test_installation_token(self):
        github = FakeGitHub({("POST", API + "/app/installations/99/access_tokens"): (201, {"token": "ghs_x"})})
        self.assertEqual(installation_token("1", "99", load_private_key(PKCS1_PEM), transport=github, now=10), "ghs_x")
        headers = github.requests[0]["headers"]
        self.assertTrue(headers["Authorization"].startswith("Bearer eyJ"))
        self.assertEqual(headers["User-Agent"], "eks-ami-update-bot")
        self.assertEqual(headers["Accept"], "application/vnd.github+json")

    def test_failure_names_the_call_and_status(self):
        github = FakeGitHub({("POST", API + "/app/installations/99/access_tokens"):
                             (401, {"message": "A JSON web token could not be decoded"})})
        with self.assertRaises(GitHubError) as caught:
            installation_token("1", "99", load_private_key(PKCS1_PEM), transport=github)
        self.assertEqual(str(caught.exception), "POST %s/app/installations/99/access_tokens answered 401: "
                         "A JSON web token could not be decoded" % API)
        self.assertEqual(caught.exception.status, 401)

    def test_repository_calls(self):
        content = base64.b64encode("id: ami-0123456789abcdef0\n".encode()).decode()
        github = FakeGitHub({
            ("GET", REPO + "/contents/k8s/node%20class.yaml?ref=main"):
                (200, {"type": "file", "content": content[:10] + "\n" + content[10:], "sha": "blob1"}),
            ("GET", REPO + "/git/ref/heads/main"): (200, {"object": {"sha": "c0ffee"}}),
            ("POST", REPO + "/git/refs"): [(201, {}), (422, {"message": "Reference already exists"})],
            ("PUT", REPO + "/contents/k8s/node%20class.yaml"): (200, {"commit": {"sha": "c1"}}),
            ("POST", REPO + "/pulls"): [(201, {"number": 7, "html_url": "https://github.com/acme/infra/pull/7"}),
                                        (422, {"message": "A pull request already exists"})],
            ("GET", REPO + "/pulls?state=open&head=acme%3Aupdate%2Fx&base=main"):
                (200, [{"number": 7, "html_url": "https://github.com/acme/infra/pull/7"}]),
        })
        repo = GitHubRepo("acme", "infra", "ghs_x", transport=github)
        self.assertEqual(repo.read_file("k8s/node class.yaml", "main"), ("id: ami-0123456789abcdef0\n", "blob1"))
        self.assertEqual(repo.branch_head("main"), "c0ffee")
        self.assertTrue(repo.create_branch("update/x", "c0ffee"))
        self.assertFalse(repo.create_branch("update/x", "c0ffee"))
        self.assertEqual(repo.write_file("k8s/node class.yaml", "update/x", "é\n", "blob1", "msg"), "c1")
        put = github.requests[4]["json"]
        self.assertEqual(put, {"message": "msg", "content": base64.b64encode("é\n".encode()).decode(),
                               "sha": "blob1", "branch": "update/x"})
        first = repo.open_pull_request("update/x", "main", "title", "body")
        again = repo.open_pull_request("update/x", "main", "title", "body")
        self.assertEqual(first, again)
        self.assertEqual(github.requests[0]["headers"]["Authorization"], "Bearer ghs_x")

    def test_read_file_rejects_folders(self):
        github = FakeGitHub({("GET", REPO + "/contents/k8s?ref=main"): (200, [{"type": "file"}])})
        with self.assertRaises(GitHubError):
            GitHubRepo("acme", "infra", "t", transport=github).read_file("k8s", "main")


if __name__ == "__main__":
    unittest.main()
