import io
import unittest

from pipeline import CacheError
from resp import (RedisClient, RedisError, RedisReplyError, encode_command, glob_escape,
                  read_reply)


class FakeSocket:
    """A socket whose replies are scripted bytes; records what was sent."""

    def __init__(self, replies, fail_send=False):
        self.reader = io.BytesIO(replies)
        self.sent = []
        self.fail_send = fail_send
        self.closed = False

    def sendall(self, data):
        if self.fail_send:
            raise BrokenPipeError(32, "Broken pipe")
        self.sent.append(data)

    def makefile(self, mode):
        return self.reader

    def close(self):
        self.closed = True


def client_with(*sockets):
    queue = list(sockets)
    return RedisClient("cache.example", 6379, connect=lambda: queue.pop(0))


class EncodingTests(unittest.TestCase):
    def test_encode_command(self):
        self.assertEqual(encode_command("SET", "k", b"v\r\n", "EX", 60),
                         b"*5\r\n$3\r\nSET\r\n$1\r\nk\r\n$3\r\nv\r\n\r\n$2\r\nEX\r\n$2\r\n60\r\n")
        self.assertEqual(encode_command("GET", "é"), b"*2\r\n$3\r\nGET\r\n$2\r\n\xc3\xa9\r\n")
        with self.assertRaises(TypeError):
            encode_command("GET", 1.5)

    def test_read_reply_types(self):
        self.assertEqual(read_reply(io.BytesIO(b"+OK\r\n")), b"OK")
        self.assertEqual(read_reply(io.BytesIO(b":42\r\n")), 42)
        self.assertEqual(read_reply(io.BytesIO(b"$5\r\nhe\r\nl\r\n")), b"he\r\nl")
        self.assertIsNone(read_reply(io.BytesIO(b"$-1\r\n")))
        self.assertEqual(read_reply(io.BytesIO(b"*2\r\n$1\r\na\r\n$-1\r\n")), [b"a", None])
        self.assertIsNone(read_reply(io.BytesIO(b"*-1\r\n")))

    def test_read_reply_errors(self):
        with self.assertRaises(RedisReplyError) as caught:
            read_reply(io.BytesIO(b"-WRONGTYPE bad\r\n"))
        self.assertEqual(str(caught.exception), "Redis error: WRONGTYPE bad")
        for truncated in (b"", b"$5\r\nab", b"+OK", b"$x\r\n", b"!3\r\n"):
            with self.assertRaises(RedisError):
                read_reply(io.BytesIO(truncated))

    def test_glob_escape(self):
        self.assertEqual(glob_escape("emb:"), "emb:")
        self.assertEqual(glob_escape("a*b?[c]\\"), "a\\*b\\?\\[c\\]\\\\")

    def test_redis_errors_are_cache_errors(self):
        self.assertTrue(issubclass(RedisError, CacheError))


class ClientTests(unittest.TestCase):
    def test_get_and_set(self):
        sock = FakeSocket(b"$5\r\nhello\r\n$-1\r\n+OK\r\n")
        client = client_with(sock)
        self.assertEqual(client.get("hash:1"), b"hello")
        self.assertIsNone(client.get("hash:2"))
        client.set("hash:1", b"v", 600)
        self.assertEqual(sock.sent[2], b"*5\r\n$3\r\nSET\r\n$6\r\nhash:1\r\n$1\r\nv\r\n$2\r\nEX\r\n$3\r\n600\r\n")

    def test_set_rejects_unexpected_reply(self):
        client = client_with(FakeSocket(b"$-1\r\n"))
        with self.assertRaises(RedisError):
            client.set("k", b"v", 1)

    def test_scan_prefix_walks_the_cursor_and_skips_vanished_and_repeated_keys(self):
        replies = (
            b"*2\r\n$1\r\n7\r\n*2\r\n$5\r\nemb:a\r\n$5\r\nemb:b\r\n"  # SCAN 0 -> cursor 7
            b"*2\r\n$1\r\nA\r\n$-1\r\n"                              # MGET emb:a emb:b (b expired)
            b"*2\r\n$1\r\n0\r\n*2\r\n$5\r\nemb:a\r\n$5\r\nemb:c\r\n"  # SCAN 7 -> done, a repeated
            b"*1\r\n$1\r\nC\r\n"                                     # MGET emb:c
        )
        sock = FakeSocket(replies)
        client = client_with(sock)
        self.assertEqual(list(client.scan_prefix("emb:", count=2)), [("emb:a", b"A"), ("emb:c", b"C")])
        self.assertEqual(sock.sent[0], encode_command("SCAN", "0", "MATCH", "emb:*", "COUNT", 2))
        self.assertEqual(sock.sent[1], encode_command("MGET", "emb:a", "emb:b"))
        self.assertEqual(sock.sent[2], encode_command("SCAN", b"7", "MATCH", "emb:*", "COUNT", 2))
        self.assertEqual(sock.sent[3], encode_command("MGET", "emb:c"))

    def test_reconnects_once_after_a_broken_connection(self):
        stale, fresh = FakeSocket(b"", fail_send=True), FakeSocket(b"$1\r\nv\r\n")
        client = client_with(stale, fresh)
        self.assertEqual(client.get("k"), b"v")
        self.assertTrue(stale.closed)
        self.assertEqual(fresh.sent, [encode_command("GET", "k")])

    def test_gives_up_after_the_second_failure(self):
        client = client_with(FakeSocket(b"", fail_send=True), FakeSocket(b"", fail_send=True))
        with self.assertRaises(RedisError) as caught:
            client.get("k")
        self.assertIn("cannot talk to Redis at cache.example:6379", str(caught.exception))

    def test_connection_refused_is_a_redis_error(self):
        def refuse():
            raise ConnectionRefusedError(111, "Connection refused")

        client = RedisClient("cache.example", 6379, connect=refuse)
        with self.assertRaises(RedisError):
            client.get("k")

    def test_error_reply_is_not_retried(self):
        sock = FakeSocket(b"-ERR wrong\r\n")
        client = client_with(sock)
        with self.assertRaises(RedisReplyError):
            client.get("k")
        self.assertEqual(len(sock.sent), 1)
        self.assertFalse(sock.closed)


if __name__ == "__main__":
    unittest.main()
