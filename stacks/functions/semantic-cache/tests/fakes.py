"""In-memory stand-ins for Redis and Bedrock that record what the pipeline asked of them."""

from pipeline import CacheError


class FakeCache:
    def __init__(self):
        self.store = {}
        self.ttls = {}
        self.calls = []

    def get(self, key):
        self.calls.append(("get", key))
        return self.store.get(key)

    def set(self, key, value, ttl_seconds):
        self.calls.append(("set", key))
        self.store[key] = value
        self.ttls[key] = ttl_seconds

    def scan_prefix(self, prefix):
        self.calls.append(("scan", prefix))
        return [(key, value) for key, value in self.store.items() if key.startswith(prefix)]


class BrokenCache:
    """A cache whose every operation fails, as when Redis is unreachable."""

    def __init__(self):
        self.calls = []

    def get(self, key):
        self.calls.append(("get", key))
        raise CacheError("connection refused")

    def set(self, key, value, ttl_seconds):
        self.calls.append(("set", key))
        raise CacheError("connection refused")

    def scan_prefix(self, prefix):
        self.calls.append(("scan", prefix))
        raise CacheError("connection refused")


class FakeModels:
    def __init__(self, vectors=None, default_vector=(1.0, 0.0, 0.0), answer="an answer"):
        self.vectors = dict(vectors or {})
        self.default_vector = list(default_vector)
        self.answer = answer
        self.calls = []

    def embed(self, text):
        self.calls.append(("embed", text))
        return list(self.vectors.get(text, self.default_vector))

    def generate(self, prompt):
        self.calls.append(("generate", prompt))
        return self.answer
