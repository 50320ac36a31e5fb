"""GitHub App authentication and the few REST calls the AMI bot makes, standard library only.

A GitHub App authenticates with a JWT signed RS256 (RSASSA-PKCS1-v1_5 with SHA-256) by the App's
private key, then trades it for an installation token. The Lambda Python runtime has neither
PyJWT nor cryptography, so the signature is computed here with Python integers (RFC 8017 §8.2);
the tests check it against the RFC 7515 appendix A.2 vector.

HTTP goes through a ``transport(method, url, headers, body) -> (status, body bytes)`` callable;
the default uses urllib, tests pass a fake.
"""

import base64
import binascii
import hashlib
import json
import time
import urllib.error
import urllib.parse
import urllib.request

API_URL = "https://api.github.com"
USER_AGENT = "eks-ami-update-bot"

# DER of DigestInfo { AlgorithmIdentifier sha256, OCTET STRING (32 bytes) } before the digest.
_SHA256_DIGEST_INFO = bytes.fromhex("3031300d060960864801650304020105000420")
_RSA_ENCRYPTION_OID = bytes.fromhex("2a864886f70d010101")


class KeyFormatError(ValueError):
    """The private key is not an unencrypted RSA key in PEM (PKCS#1 or PKCS#8)."""


class GitHubError(Exception):
    """A GitHub API call failed; ``status`` is the HTTP status when there was one."""

    def __init__(self, message, status=None):
        super().__init__(message)
        self.status = status


# ---------------------------------------------------------------------------------------------
# Keys and RS256


class RsaPrivateKey:
    """The numbers of an RSA private key (CRT form)."""

    def __init__(self, n, e, d, p, q, dp, dq, qinv):
        self.n, self.e, self.d = n, e, d
        self.p, self.q, self.dp, self.dq, self.qinv = p, q, dp, dq, qinv

    @property
    def size_bytes(self):
        return (self.n.bit_length() + 7) // 8

    def sign_sha256(self, message):
        """The RSASSA-PKCS1-v1_5 SHA-256 signature of ``message`` (bytes)."""
        k = self.size_bytes
        digest_info = _SHA256_DIGEST_INFO + hashlib.sha256(message).digest()
        if k < len(digest_info) + 11:
            raise KeyFormatError("an RSA key of %d bits is too short for SHA-256 signatures" % self.n.bit_length())
        encoded = b"\x00\x01" + b"\xff" * (k - len(digest_info) - 3) + b"\x00" + digest_info
        m = int.from_bytes(encoded, "big")
        # Chinese remainder theorem: two half-size exponentiations.
        s1 = pow(m, self.dp, self.p)
        s2 = pow(m, self.dq, self.q)
        h = (self.qinv * (s1 - s2)) % self.p
        s = s2 + h * self.q
        if pow(s, self.e, self.n) != m:  # a corrupt key must not produce a bad signature silently
            raise KeyFormatError("the RSA key's numbers are inconsistent")
        return s.to_bytes(k, "big")


def _read_tlv(data, position):
    """(tag, value, next position) of the DER element at ``position``."""
    if position + 2 > len(data):
        raise KeyFormatError("truncated DER")
    tag = data[position]
    length = data[position + 1]
    position += 2
    if length & 0x80:
        count = length & 0x7F
        if count == 0 or count > 4 or position + count > len(data):
            raise KeyFormatError("unsupported DER length")
        length = int.from_bytes(data[position:position + count], "big")
        position += count
    end = position + length
    if end > len(data):
        raise KeyFormatError("truncated DER")
    return tag, data[position:end], end


def _read_sequence(data):
    tag, body, end = _read_tlv(data, 0)
    if tag != 0x30:
        raise KeyFormatError("expected a DER SEQUENCE")
    items, position = [], 0
    while position < len(body):
        item_tag, value, position = _read_tlv(body, position)
        items.append((item_tag, value))
    return items


def _pkcs1_numbers(der):
    items = _read_sequence(der)
    if len(items) < 9 or any(tag != 0x02 for tag, _ in items[:9]):
        raise KeyFormatError("not a PKCS#1 RSAPrivateKey")
    numbers = [int.from_bytes(value, "big") for _, value in items[:9]]
    if numbers[0] != 0:
        raise KeyFormatError("only two-prime RSA keys (version 0) are supported")
    return RsaPrivateKey(*numbers[1:])


def _pkcs8_numbers(der):
    items = _read_sequence(der)
    if len(items) < 3 or items[0][0] != 0x02 or items[1][0] != 0x30 or items[2][0] != 0x04:
        raise KeyFormatError("not a PKCS#8 PrivateKeyInfo")
    _, oid, _ = _read_tlv(items[1][1], 0)
    if oid != _RSA_ENCRYPTION_OID:
        raise KeyFormatError("the PKCS#8 key is not an RSA key")
    return _pkcs1_numbers(items[2][1])


def load_private_key(text):
    """The RSA key in ``text``: a PEM (``RSA PRIVATE KEY`` or ``PRIVATE KEY``), the same PEM
    base64-encoded once more (as a CloudFormation parameter often carries it), or a PEM whose
    line breaks were written as the two characters ``\\n``."""
    text = text.strip()
    if "-----BEGIN" not in text:
        try:
            text = base64.b64decode("".join(text.split()), validate=True).decode("ascii").strip()
        except (binascii.Error, ValueError, UnicodeDecodeError):
            raise KeyFormatError("the private key is neither a PEM nor a base64-encoded PEM") from None
    text = text.replace("\\n", "\n")
    if "ENCRYPTED" in text:
        raise KeyFormatError("the private key is encrypted; store it unencrypted in the secret")
    for label, reader in (("RSA PRIVATE KEY", _pkcs1_numbers), ("PRIVATE KEY", _pkcs8_numbers)):
        begin, end = "-----BEGIN %s-----" % label, "-----END %s-----" % label
        if begin in text and end in text:
            body = text.split(begin, 1)[1].split(end, 1)[0]
            try:
                der = base64.b64decode("".join(body.split()), validate=True)
            except (binascii.Error, ValueError):
                raise KeyFormatError("the PEM body is not base64") from None
            return reader(der)
    raise KeyFormatError("no RSA PRIVATE KEY or PRIVATE KEY block in the private key")


def b64url(data):
    """Base64url without padding (RFC 7515 §2)."""
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def make_app_jwt(app_id, key, now=None):
    """The JWT a GitHub App authenticates with: issued 60 s in the past, valid 9 minutes."""
    now = int(time.time() if now is None else now)
    header = b64url(json.dumps({"alg": "RS256", "typ": "JWT"}, separators=(",", ":")).encode())
    claims = b64url(json.dumps({"iat": now - 60, "exp": now + 540, "iss": str(app_id)},
                               separators=(",", ":")).encode())
    signing_input = header + "." + claims
    return signing_input + "." + b64url(key.sign_sha256(signing_input.encode("ascii")))


def parse_credentials(secret_string):
    """``{"app_id", "installation_id", "private_key"}`` from the secret's JSON text."""
    try:
        data = json.loads(secret_string)
    except ValueError:
        raise ValueError("the GitHub App secret is not JSON") from None
    if not isinstance(data, dict):
        raise ValueError("the GitHub App secret is not a JSON object")
    missing = [name for name in ("app_id", "installation_id", "private_key")
               if not str(data.get(name, "")).strip()]
    if missing:
        raise ValueError("the GitHub App secret lacks %s" % ", ".join(missing))
    return {name: str(data[name]).strip() for name in ("app_id", "installation_id", "private_key")}


# ---------------------------------------------------------------------------------------------
# HTTP


def urllib_transport(method, url, headers, body, timeout=15):
    """Sends one HTTPS request; returns (status, body bytes) for every HTTP status."""
    request = urllib.request.Request(url, data=body, method=method, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()
    except (urllib.error.URLError, OSError) as error:
        raise GitHubError("%s %s failed: %s" % (method, url, getattr(error, "reason", error))) from error


def _call(transport, method, url, authorization, payload=None, expected=(200,)):
    headers = {
        "Accept": "application/vnd.github+json",
        "X-GitHub-Api-Version": "2022-11-28",
        "User-Agent": USER_AGENT,
        "Authorization": authorization,
    }
    body = None
    if payload is not None:
        body = json.dumps(payload).encode("utf-8")
        headers["Content-Type"] = "application/json"
    status, raw = transport(method, url, headers, body)
    try:
        data = json.loads(raw.decode("utf-8")) if raw else None
    except ValueError:
        data = None
    if status not in expected:
        detail = data.get("message") if isinstance(data, dict) else None
        raise GitHubError("%s %s answered %s%s" % (method, url, status, ": " + detail if detail else ""), status)
    return data


def installation_token(app_id, installation_id, key, transport=urllib_transport, now=None, api=API_URL):
    """An installation access token (valid one hour) for the App's installation."""
    jwt = make_app_jwt(app_id, key, now)
    url = "%s/app/installations/%s/access_tokens" % (api, urllib.parse.quote(str(installation_id), safe=""))
    data = _call(transport, "POST", url, "Bearer " + jwt, expected=(201,))
    token = data.get("token") if isinstance(data, dict) else None
    if not token:
        raise GitHubError("the installation token answer has no token")
    return token


class GitHubRepo:
    """One repository, through an installation token."""

    def __init__(self, owner, name, token, transport=urllib_transport, api=API_URL):
        self.owner, self.name = owner, name
        self._auth = "Bearer " + token
        self._transport = transport
        self._base = "%s/repos/%s/%s" % (api, urllib.parse.quote(owner, safe=""), urllib.parse.quote(name, safe=""))

    def _request(self, method, path, payload=None, expected=(200,)):
        return _call(self._transport, method, self._base + path, self._auth, payload, expected)

    def read_file(self, path, ref):
        """(text, blob sha) of the UTF-8 file at ``path`` on ``ref``."""
        data = self._request("GET", "/contents/%s?ref=%s" % (urllib.parse.quote(path), urllib.parse.quote(ref, safe="")))
        if not isinstance(data, dict) or data.get("type") != "file" or "content" not in data:
            raise GitHubError("%s is not a file in %s/%s" % (path, self.owner, self.name))
        try:
            text = base64.b64decode(data["content"]).decode("utf-8")
        except (binascii.Error, ValueError, UnicodeDecodeError):
            raise GitHubError("%s is not UTF-8 text" % path) from None
        return text, data["sha"]

    def branch_head(self, branch):
        """The commit sha at the tip of ``branch``."""
        data = self._request("GET", "/git/ref/heads/" + urllib.parse.quote(branch))
        return data["object"]["sha"]

    def create_branch(self, branch, sha):
        """Creates ``branch`` at ``sha``; False when it already exists."""
        try:
            self._request("POST", "/git/refs", {"ref": "refs/heads/" + branch, "sha": sha}, expected=(201,))
        except GitHubError as error:
            if error.status == 422:
                return False
            raise
        return True

    def write_file(self, path, branch, text, blob_sha, message):
        """Commits ``text`` as the new contents of ``path`` on ``branch``; returns the commit sha."""
        data = self._request("PUT", "/contents/" + urllib.parse.quote(path), {
            "message": message,
            "content": base64.b64encode(text.encode("utf-8")).decode("ascii"),
            "sha": blob_sha,
            "branch": branch,
        }, expected=(200, 201))
        return data["commit"]["sha"]

    def open_pull_request(self, head, base, title, body):
        """Opens a pull request, or returns the open one for ``head``; ``{"number", "html_url"}``."""
        try:
            data = self._request("POST", "/pulls", {"title": title, "head": head, "base": base, "body": body},
                                 expected=(201,))
        except GitHubError as error:
            if error.status != 422:
                raise
            existing = self._request("GET", "/pulls?state=open&head=%s&base=%s" % (
                urllib.parse.quote(self.owner + ":" + head, safe=""), urllib.parse.quote(base, safe="")))
            if not existing:
                raise
            data = existing[0]
        return {"number": data["number"], "html_url": data["html_url"]}


def repo_from_secret(secret_string, owner, name, transport=urllib_transport, now=None):
    """A ``GitHubRepo`` authenticated as the App installation whose credentials are in the
    secret's JSON text (``app_id``, ``installation_id``, ``private_key``)."""
    credentials = parse_credentials(secret_string)
    key = load_private_key(credentials["private_key"])
    token = installation_token(credentials["app_id"], credentials["installation_id"], key, transport, now)
    return GitHubRepo(owner, name, token, transport)
