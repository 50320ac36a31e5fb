import hashlib
import json
import struct
import unittest

import pipeline
from pipeline import (EMBED_PREFIX, HASH_PREFIX, ConfigError, Settings, answer, compress,
                      compute_hash, cosine_similarity, embedding_key, find_most_similar, hash_key,
                      normalize, pack_entry, pack_vector, unpack_entry, unpack_vector)
from tests.fakes import BrokenCache, FakeCache, FakeModels


class NormalizeAndHashTests(unittest.TestCase):
    def test_normalize_lowercases_and_collapses_whitespace(self):
        self.assertEqual(normalize("  What is   MACHINE\tLEARNING?\n "), "what is machine learning?")
        self.assertEqual(normalize(""), "")

    def test_hash_is_sha256_of_normalized_utf8(self):
        expected = hashlib.sha256(b"what is machine learning?").hexdigest()
        self.assertEqual(compute_hash("What is machine learning?"), expected)
        self.assertEqual(compute_hash("  What is   MACHINE LEARNING?  "), expected)
        self.assertEqual(compute_hash("¿Qué es ML?"), hashlib.sha256("¿qué es ml?".encode("utf-8")).hexdigest())

    def test_known_digest(self):
        # sha256("abc"), FIPS 180-2 appendix B.1.
        self.assertEqual(compute_hash("ABC"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")

    def test_different_prompts_hash_differently(self):
        self.assertNotEqual(compute_hash("what is ml?"), compute_hash("what is ai?"))

    def test_keys_have_prefixes(self):
        digest = compute_hash("x")
        self.assertEqual(hash_key("x"), "hash:" + digest)
        self.assertEqual(embedding_key("X "), "emb:" + digest)
        self.assertEqual((HASH_PREFIX, EMBED_PREFIX), ("hash:", "emb:"))


class CosineTests(unittest.TestCase):
    def test_values(self):
        self.assertAlmostEqual(cosine_similarity([1, 2, 3], [1, 2, 3]), 1.0)
        self.assertAlmostEqual(cosine_similarity([1, 2, 3], [2, 4, 6]), 1.0)
        self.assertAlmostEqual(cosine_similarity([1, 0], [0, 1]), 0.0)
        self.assertAlmostEqual(cosine_similarity([1, 0], [-1, 0]), -1.0)
        self.assertAlmostEqual(cosine_similarity([1, 1], [1, 0]), 0.7071067811865475)

    def test_degenerate_inputs_score_zero(self):
        self.assertEqual(cosine_similarity([0, 0], [1, 1]), 0.0)
        self.assertEqual(cosine_similarity([1, 2], [1, 2, 3]), 0.0)
        self.assertEqual(cosine_similarity([], []), 0.0)


class CompressTests(unittest.TestCase):
    def test_removes_filler_and_keeps_case_of_the_rest(self):
        self.assertEqual(compress("Could you please explain what machine learning is?"),
                         "explain what machine learning is?")
        self.assertEqual(compress("I was wondering if you could summarize AWS Lambda pricing"),
                         "summarize AWS Lambda pricing")
        self.assertEqual(compress("Please   list the EKS   versions, thanks in advance"),
                         "list the EKS versions,")

    def test_phrases_match_whole_words_only(self):
        self.assertEqual(compress("As an airline pilot, what is ETOPS?"), "As an airline pilot, what is ETOPS?")
        self.assertEqual(compress("I am pleased with Redis"), "I am pleased with Redis")

    def test_phrase_across_line_break(self):
        self.assertEqual(compress("Could you\nplease define RAG"), "define RAG")

    def test_only_filler_keeps_the_prompt(self):
        self.assertEqual(compress("  Could you please  "), "Could you please")


class PackingTests(unittest.TestCase):
    def test_vector_is_little_endian_float32(self):
        self.assertEqual(pack_vector([1.0]), b"\x00\x00\x80\x3f")
        self.assertEqual(pack_vector([1.0, -2.5]), struct.pack("<2f", 1.0, -2.5))
        self.assertEqual(unpack_vector(pack_vector([0.5, -1.25, 3.0])), [0.5, -1.25, 3.0])

    def test_unpack_vector_rejects_partial_floats(self):
        with self.assertRaises(ValueError):
            unpack_vector(b"\x00\x00\x80")

    def test_entry_round_trip(self):
        data = pack_entry([0.5, 0.25], "réponse")
        self.assertEqual(data[:4], b"\x02\x00\x00\x00")
        self.assertEqual(unpack_entry(data), ([0.5, 0.25], "réponse"))

    def test_malformed_entries_raise(self):
        for data in (b"", b"\x01\x00", struct.pack("<I", 3) + pack_vector([1.0]), struct.pack("<I", 0)):
            with self.assertRaises(ValueError):
                unpack_entry(data)

    def test_find_most_similar_skips_bad_entries_and_breaks_ties_by_key(self):
        entries = [
            ("emb:b", pack_entry([1.0, 0.0], "second")),
            ("emb:a", pack_entry([2.0, 0.0], "first")),
            ("emb:c", b"garbage"),
            ("emb:d", pack_entry([1.0, 0.0, 0.0], "other dimension")),
            ("emb:e", pack_entry([0.0, 1.0], "orthogonal")),
        ]
        self.assertEqual(find_most_similar([1.0, 0.0], entries), (1.0, "first"))
        self.assertEqual(find_most_similar([1.0, 0.0], []), (0.0, None))


class SettingsTests(unittest.TestCase):
    def test_defaults(self):
        settings = Settings.from_env({})
        self.assertEqual((settings.similarity_threshold, settings.cache_ttl_seconds), (0.90, 86400))

    def test_reads_environment(self):
        settings = Settings.from_env({"SIMILARITY_THRESHOLD": "0.8", "CACHE_TTL_SECONDS": "3600"})
        self.assertEqual((settings.similarity_threshold, settings.cache_ttl_seconds), (0.8, 3600))

    def test_rejects_bad_values_naming_the_variable(self):
        cases = [
            ({"SIMILARITY_THRESHOLD": "high"}, "SIMILARITY_THRESHOLD must be a number, not 'high'"),
            ({"SIMILARITY_THRESHOLD": "1.5"}, "SIMILARITY_THRESHOLD must be in (0, 1], not '1.5'"),
            ({"SIMILARITY_THRESHOLD": "0"}, "SIMILARITY_THRESHOLD must be in (0, 1], not '0'"),
            ({"CACHE_TTL_SECONDS": "1h"}, "CACHE_TTL_SECONDS must be an integer, not '1h'"),
            ({"CACHE_TTL_SECONDS": "-5"}, "CACHE_TTL_SECONDS must be positive, not '-5'"),
        ]
        for env, message in cases:
            with self.assertRaises(ConfigError) as caught:
                Settings.from_env(env)
            self.assertEqual(str(caught.exception), message)


class PipelineTests(unittest.TestCase):
    def setUp(self):
        self.logs = []
        self.settings = Settings(similarity_threshold=0.90, cache_ttl_seconds=600)

    def run_pipeline(self, prompt, cache, models):
        return answer(prompt, cache, models, self.settings, log=self.logs.append)

    def test_miss_calls_model_and_writes_back_both_keys_with_ttl(self):
        cache, models = FakeCache(), FakeModels(answer="ML is ...")
        result = self.run_pipeline("What is machine learning?", cache, models)
        self.assertEqual(result, {"response": "ML is ...", "cache": "miss"})
        key, emb = hash_key("What is machine learning?"), embedding_key("What is machine learning?")
        self.assertEqual(cache.store[key], b"ML is ...")
        self.assertEqual(unpack_entry(cache.store[emb]), ([1.0, 0.0, 0.0], "ML is ..."))
        self.assertEqual(cache.ttls, {key: 600, emb: 600})

    def test_hash_hit_short_circuits(self):
        cache, models = FakeCache(), FakeModels()
        self.run_pipeline("What is machine learning?", cache, models)
        cache.calls.clear()
        models.calls.clear()
        result = self.run_pipeline("  what IS machine   learning?  ", cache, models)
        self.assertEqual(result, {"response": "an answer", "cache": "hash_hit"})
        self.assertEqual(cache.calls, [("get", hash_key("what is machine learning?"))])
        self.assertEqual(models.calls, [])

    def test_semantic_hit_short_circuits(self):
        cache = FakeCache()
        cache.store[embedding_key("What is machine learning?")] = pack_entry([1.0, 0.0, 0.0], "cached answer")
        paraphrase = "How would you define machine learning?"
        models = FakeModels(vectors={paraphrase: [0.94, 0.3412, 0.0]})
        result = self.run_pipeline(paraphrase, cache, models)
        self.assertEqual(result["cache"], "semantic_hit")
        self.assertEqual(result["response"], "cached answer")
        self.assertEqual(result["score"], round(cosine_similarity([0.94, 0.3412, 0.0], [1.0, 0.0, 0.0]), 4))
        self.assertEqual(models.calls, [("embed", paraphrase)])
        self.assertEqual([call[0] for call in cache.calls], ["get", "scan"])

    def test_below_threshold_is_a_miss(self):
        cache = FakeCache()
        cache.store[embedding_key("What is machine learning?")] = pack_entry([1.0, 0.0, 0.0], "cached")
        models = FakeModels(vectors={"Explain Kubernetes": [0.8, 0.6, 0.0]})  # cosine 0.8
        result = self.run_pipeline("Explain Kubernetes", cache, models)
        self.assertEqual(result["cache"], "miss")
        self.assertEqual(models.calls[-1], ("generate", "Explain Kubernetes"))

    def test_threshold_is_inclusive(self):
        cache = FakeCache()
        cache.store[embedding_key("q")] = pack_entry([1.0, 0.0], "cached")
        models = FakeModels(vectors={"p": [0.8, 0.6]})
        self.settings = Settings(similarity_threshold=0.8, cache_ttl_seconds=1)
        self.assertEqual(self.run_pipeline("p", cache, models)["cache"], "semantic_hit")

    def test_compression_only_after_both_lookups_miss_and_keys_use_the_original(self):
        cache, models = FakeCache(), FakeModels()
        original = "Could you please explain what machine learning is?"
        self.run_pipeline(original, cache, models)
        self.assertEqual(models.calls, [("embed", original), ("generate", "explain what machine learning is?")])
        self.assertEqual(cache.calls, [
            ("get", hash_key(original)),
            ("scan", "emb:"),
            ("set", hash_key(original)),
            ("set", embedding_key(original)),
        ])
        self.assertNotIn(hash_key("explain what machine learning is?"), cache.store)
        compression = [json.loads(line) for line in self.logs if '"compression"' in line]
        self.assertEqual(compression, [{"event": "compression", "original_tokens": 8,
                                        "compressed_tokens": 5, "saved": 3}])

    def test_unreachable_cache_degrades_to_model_call(self):
        cache, models = BrokenCache(), FakeModels(answer="still answered")
        result = self.run_pipeline("What is ML?", cache, models)
        self.assertEqual(result, {"response": "still answered", "cache": "miss"})
        errors = [json.loads(line) for line in self.logs if "cache_error" in line]
        self.assertEqual([e["operation"] for e in errors], ["get", "scan", "set", "set"])

    def test_model_failure_propagates(self):
        class FailingModels(FakeModels):
            def generate(self, prompt):
                raise RuntimeError("throttled")

        cache = FakeCache()
        with self.assertRaises(RuntimeError):
            self.run_pipeline("What is ML?", cache, FailingModels())
        self.assertEqual(cache.store, {})


if __name__ == "__main__":
    unittest.main()
