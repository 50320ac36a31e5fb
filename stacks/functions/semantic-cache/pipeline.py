"""The three-layer caching pipeline, with no AWS or Redis in it.

    prompt -> hash lookup -> semantic lookup -> compression -> model -> write-back
                  |                |
              hash_hit        semantic_hit

The cache and the models are passed in (see ``Cache`` and ``Models``), so every step runs in
unit tests with fakes. The original prompt is always what keys the cache; compression only
shapes what is sent to the model once both lookups have missed.
"""

import hashlib
import json
import math
import re
import struct

HASH_PREFIX = "hash:"
EMBED_PREFIX = "emb:"
DEFAULT_SIMILARITY_THRESHOLD = 0.90
DEFAULT_CACHE_TTL_SECONDS = 86400

# Phrases that cost tokens without changing the answer. Matched case-insensitively, on word
# boundaries, with any run of whitespace between words; longer phrases first.
FILLER_PHRASES = (
    "i was wondering if you could",
    "i was wondering if",
    "i would like you to",
    "i would like to know",
    "would you be able to",
    "as an ai language model",
    "as an ai",
    "could you please",
    "can you please",
    "please could you",
    "would you please",
    "if you don't mind",
    "if you do not mind",
    "thank you in advance",
    "thanks in advance",
    "kindly",
    "please",
)

_FILLER_PATTERN = re.compile(
    r"\b(?:"
    + "|".join(r"\s+".join(re.escape(word) for word in phrase.split())
               for phrase in sorted(FILLER_PHRASES, key=len, reverse=True))
    + r")\b",
    re.IGNORECASE,
)


class CacheError(Exception):
    """The cache could not be read or written (the pipeline treats it as a miss)."""


class ConfigError(ValueError):
    """An environment variable has a value the function cannot use."""


def normalize(prompt):
    """Lowercases and collapses every run of whitespace to one space (trimmed)."""
    return " ".join(prompt.lower().split())


def compute_hash(prompt):
    """The SHA-256 hex digest of the normalized prompt's UTF-8 bytes."""
    return hashlib.sha256(normalize(prompt).encode("utf-8")).hexdigest()


def hash_key(prompt):
    """The exact-match cache key: ``hash:<sha256>``."""
    return HASH_PREFIX + compute_hash(prompt)


def embedding_key(prompt):
    """The semantic cache key: ``emb:<sha256>``."""
    return EMBED_PREFIX + compute_hash(prompt)


def cosine_similarity(a, b):
    """Cosine of the angle between two vectors; 0.0 for a zero vector or unequal lengths."""
    if len(a) != len(b) or not a:
        return 0.0
    dot = math.fsum(x * y for x, y in zip(a, b))
    norm_a = math.sqrt(math.fsum(x * x for x in a))
    norm_b = math.sqrt(math.fsum(y * y for y in b))
    if norm_a == 0.0 or norm_b == 0.0:
        return 0.0
    return dot / (norm_a * norm_b)


def compress(prompt):
    """Removes filler phrases and collapses whitespace, keeping the rest of the text as written.

    Returns the prompt with whitespace collapsed when nothing but filler would be left.
    """
    stripped = _FILLER_PATTERN.sub(" ", prompt)
    compressed = " ".join(stripped.split()).lstrip(",;: ")
    if not compressed:
        return " ".join(prompt.split())
    return compressed


def pack_vector(vector):
    """Packs floats as little-endian float32."""
    return struct.pack("<%df" % len(vector), *vector)


def unpack_vector(data):
    """Unpacks little-endian float32s; raises ValueError when the length is not a multiple of 4."""
    if len(data) % 4:
        raise ValueError("a packed vector has a multiple of 4 bytes, not %d" % len(data))
    return list(struct.unpack("<%df" % (len(data) // 4), data))


def pack_entry(vector, response):
    """One semantic cache entry: float32 count (uint32 LE), the vector, the UTF-8 response."""
    return struct.pack("<I", len(vector)) + pack_vector(vector) + response.encode("utf-8")


def unpack_entry(data):
    """The (vector, response) of an entry written by ``pack_entry``; ValueError when malformed."""
    if len(data) < 4:
        raise ValueError("a cache entry has at least 4 bytes")
    (count,) = struct.unpack_from("<I", data, 0)
    end = 4 + 4 * count
    if count == 0 or len(data) < end:
        raise ValueError("a cache entry declares %d floats but holds %d bytes" % (count, len(data)))
    vector = list(struct.unpack_from("<%df" % count, data, 4))
    return vector, data[end:].decode("utf-8")


def find_most_similar(query, entries):
    """The best (score, response) among ``(key, packed entry)`` pairs; (0.0, None) when none fit.

    Malformed entries and vectors of another dimension are skipped. Keys are visited in sorted
    order so ties resolve the same way every time.
    """
    best_score, best_response = 0.0, None
    for _, data in sorted(entries, key=lambda pair: pair[0]):
        try:
            vector, response = unpack_entry(data)
        except (ValueError, UnicodeDecodeError):
            continue
        score = cosine_similarity(query, vector)
        if score > best_score:
            best_score, best_response = score, response
    return best_score, best_response


class Settings:
    """The tunables, read from the environment."""

    def __init__(self, similarity_threshold=DEFAULT_SIMILARITY_THRESHOLD,
                 cache_ttl_seconds=DEFAULT_CACHE_TTL_SECONDS):
        self.similarity_threshold = similarity_threshold
        self.cache_ttl_seconds = cache_ttl_seconds

    @classmethod
    def from_env(cls, env):
        """Reads SIMILARITY_THRESHOLD (0 < t <= 1, default 0.90) and CACHE_TTL_SECONDS (> 0)."""
        raw = env.get("SIMILARITY_THRESHOLD", "")
        threshold = DEFAULT_SIMILARITY_THRESHOLD
        if raw.strip():
            try:
                threshold = float(raw)
            except ValueError:
                raise ConfigError("SIMILARITY_THRESHOLD must be a number, not %r" % raw) from None
            if not 0.0 < threshold <= 1.0:
                raise ConfigError("SIMILARITY_THRESHOLD must be in (0, 1], not %r" % raw)
        raw = env.get("CACHE_TTL_SECONDS", "")
        ttl = DEFAULT_CACHE_TTL_SECONDS
        if raw.strip():
            try:
                ttl = int(raw)
            except ValueError:
                raise ConfigError("CACHE_TTL_SECONDS must be an integer, not %r" % raw) from None
            if ttl <= 0:
                raise ConfigError("CACHE_TTL_SECONDS must be positive, not %r" % raw)
        return cls(threshold, ttl)


def log_event(log, event, **fields):
    """Writes one JSON log line (CloudWatch Logs Insights can query the fields)."""
    log(json.dumps(dict({"event": event}, **fields), sort_keys=True))


def answer(prompt, cache, models, settings, log=print):
    """Runs the pipeline for one prompt and returns the result the function answers with.

    ``cache`` has ``get(key) -> bytes | None``, ``set(key, value, ttl_seconds)`` and
    ``scan_prefix(prefix) -> iterable of (key, bytes)``; it raises ``CacheError`` (or OSError)
    when it cannot be reached, which is logged and treated as a miss. ``models`` has
    ``embed(text) -> list of floats`` and ``generate(prompt) -> str``.
    """
    key = hash_key(prompt)

    # Layer 1: exact match of the normalized prompt.
    try:
        cached = cache.get(key)
    except (CacheError, OSError) as error:
        log_event(log, "cache_error", operation="get", error=str(error))
        cached = None
    if cached is not None:
        log_event(log, "cache", result="hash_hit")
        return {"response": cached.decode("utf-8", "replace"), "cache": "hash_hit"}

    # Layer 2: the most similar stored prompt, if similar enough.
    query = list(models.embed(prompt))
    try:
        entries = list(cache.scan_prefix(EMBED_PREFIX))
    except (CacheError, OSError) as error:
        log_event(log, "cache_error", operation="scan", error=str(error))
        entries = []
    score, response = find_most_similar(query, entries)
    if response is not None and score >= settings.similarity_threshold:
        log_event(log, "cache", result="semantic_hit", score=round(score, 4))
        return {"response": response, "cache": "semantic_hit", "score": round(score, 4)}

    # Layer 3: only now, compress what the model will read.
    compressed = compress(prompt)
    original_tokens, compressed_tokens = len(prompt.split()), len(compressed.split())
    log_event(log, "compression", original_tokens=original_tokens,
              compressed_tokens=compressed_tokens, saved=original_tokens - compressed_tokens)
    text = models.generate(compressed)

    # Write back both keys, each keyed by the original prompt.
    for write_key, value in ((key, text.encode("utf-8")),
                             (embedding_key(prompt), pack_entry(query, text))):
        try:
            cache.set(write_key, value, settings.cache_ttl_seconds)
        except (CacheError, OSError) as error:
            log_event(log, "cache_error", operation="set", error=str(error))
    log_event(log, "cache", result="miss", best_score=round(score, 4))
    return {"response": text, "cache": "miss"}
