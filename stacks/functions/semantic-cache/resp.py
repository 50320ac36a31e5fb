"""A small Redis client (RESP2 over TLS) using only the standard library.

The Lambda Python runtime ships boto3 but not redis-py; this client does the four commands the
cache needs (GET, SET with EX, SCAN, MGET) so the function's package is only its own files.
"""

import socket
import ssl

from pipeline import CacheError


class RedisError(CacheError):
    """Redis could not be reached, or its reply could not be read."""


class RedisReplyError(RedisError):
    """Redis answered a command with an error reply (the connection is still usable)."""


def encode_command(*args):
    """A command as a RESP array of bulk strings."""
    parts = [b"*%d\r\n" % len(args)]
    for arg in args:
        if isinstance(arg, bytes):
            data = arg
        elif isinstance(arg, str):
            data = arg.encode("utf-8")
        elif isinstance(arg, int) and not isinstance(arg, bool):
            data = str(arg).encode("ascii")
        else:
            raise TypeError("a Redis argument is bytes, str or int, not %s" % type(arg).__name__)
        parts.append(b"$%d\r\n%s\r\n" % (len(data), data))
    return b"".join(parts)


def _line(reader):
    line = reader.readline()
    if not line.endswith(b"\r\n"):
        raise RedisError("the connection closed in the middle of a reply")
    return line[:-2]


def _integer(text):
    try:
        return int(text)
    except ValueError:
        raise RedisError("malformed reply length or integer %r" % text) from None


def read_reply(reader):
    """Reads one reply from a buffered binary stream: bytes, int, None, list, or raises."""
    line = _line(reader)
    if not line:
        raise RedisError("empty reply line")
    kind, rest = line[:1], line[1:]
    if kind == b"+":
        return rest
    if kind == b"-":
        raise RedisReplyError("Redis error: " + rest.decode("utf-8", "replace"))
    if kind == b":":
        return _integer(rest)
    if kind == b"$":
        length = _integer(rest)
        if length < 0:
            return None
        data = reader.read(length + 2)
        if len(data) != length + 2 or not data.endswith(b"\r\n"):
            raise RedisError("the connection closed in the middle of a reply")
        return data[:-2]
    if kind == b"*":
        count = _integer(rest)
        if count < 0:
            return None
        return [read_reply(reader) for _ in range(count)]
    raise RedisError("unexpected reply type %r" % kind)


def glob_escape(text):
    """Escapes the characters SCAN MATCH treats as a pattern."""
    return "".join("\\" + c if c in "*?[]\\" else c for c in text)


class RedisClient:
    """One connection, opened on first use and reopened once if it has gone stale."""

    def __init__(self, host, port=6379, tls=True, timeout=2.0, connect=None):
        self.host = host
        self.port = port
        self.tls = tls
        self.timeout = timeout
        self._connect = connect or self._open_socket
        self._sock = None
        self._reader = None

    def _open_socket(self):
        sock = socket.create_connection((self.host, self.port), timeout=self.timeout)
        if self.tls:
            context = ssl.create_default_context()
            sock = context.wrap_socket(sock, server_hostname=self.host)
        return sock

    def close(self):
        """Closes the connection (the next command opens a new one)."""
        for closable in (self._reader, self._sock):
            if closable is not None:
                try:
                    closable.close()
                except OSError:
                    pass
        self._sock = self._reader = None

    def _roundtrip(self, payload):
        if self._sock is None:
            self._sock = self._connect()
            self._reader = self._sock.makefile("rb")
        self._sock.sendall(payload)
        return read_reply(self._reader)

    def execute(self, *args):
        """Sends one command and returns its reply.

        A connection that fails (a Lambda environment thawed after the server dropped it, say)
        is reopened and the command sent once more; every command used here is idempotent.
        An error reply from Redis is raised as ``RedisReplyError`` without a retry.
        """
        payload = encode_command(*args)
        try:
            return self._roundtrip(payload)
        except RedisReplyError:
            raise
        except (OSError, RedisError):
            self.close()
        try:
            return self._roundtrip(payload)
        except RedisReplyError:
            raise
        except (OSError, RedisError) as error:
            self.close()
            raise RedisError("cannot talk to Redis at %s:%s: %s" % (self.host, self.port, error)) from error

    # The cache interface the pipeline uses.

    def get(self, key):
        """The value at ``key`` (bytes) or None."""
        return self.execute("GET", key)

    def set(self, key, value, ttl_seconds):
        """Stores ``value`` at ``key`` for ``ttl_seconds``."""
        reply = self.execute("SET", key, value, "EX", int(ttl_seconds))
        if reply != b"OK":
            raise RedisError("SET answered %r" % reply)

    def scan_prefix(self, prefix, count=500):
        """Yields ``(key, value)`` for every key starting with ``prefix`` (SCAN, then MGET)."""
        cursor = b"0"
        seen = set()
        pattern = glob_escape(prefix) + "*"
        while True:
            reply = self.execute("SCAN", cursor, "MATCH", pattern, "COUNT", count)
            if not isinstance(reply, list) or len(reply) != 2:
                raise RedisError("SCAN answered %r" % (reply,))
            cursor, keys = reply
            fresh = [key for key in keys if key not in seen]
            seen.update(fresh)
            if fresh:
                values = self.execute("MGET", *fresh)
                for key, value in zip(fresh, values):
                    if value is not None:
                        yield key.decode("utf-8", "replace"), value
            if cursor == b"0":
                return
