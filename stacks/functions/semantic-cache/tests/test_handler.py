import io
import json
import unittest

import handler
import pipeline


class FakeBedrock:
    def __init__(self, embedding=(0.1, 0.2), text="hello"):
        self.embedding = list(embedding)
        self.text = text
        self.requests = []

    def invoke_model(self, **kwargs):
        self.requests.append(("invoke_model", kwargs))
        return {"body": io.BytesIO(json.dumps({"embedding": self.embedding, "inputTextTokenCount": 3}).encode())}

    def converse(self, **kwargs):
        self.requests.append(("converse", kwargs))
        return {"output": {"message": {"role": "assistant", "content": [{"text": self.text}]}},
                "stopReason": "end_turn"}


class FakeRedis:
    def __init__(self, host, port):
        self.host, self.port = host, port


ENV = {
    "REDIS_HOST": "master.cache.example",
    "REDIS_PORT": "6380",
    "GENERATION_MODEL_ID": "amazon.nova-micro-v1:0",
    "EMBEDDING_MODEL_ID": "amazon.titan-embed-text-v2:0",
}


class HandlerTests(unittest.TestCase):
    def test_extract_prompt(self):
        self.assertEqual(handler.extract_prompt({"prompt": "  hi  "}), "hi")
        self.assertEqual(handler.extract_prompt({"body": json.dumps({"prompt": "from api"})}), "from api")
        for event in ({}, {"prompt": 3}, {"body": "not json"}, {"body": "[1]"}, None, "prompt"):
            self.assertEqual(handler.extract_prompt(event), "")

    def test_empty_prompt_is_answered_without_touching_aws(self):
        self.assertEqual(handler.lambda_handler({"prompt": "   "}, None),
                         {"error": "the event needs a non-empty string 'prompt'"})

    def test_bedrock_requests(self):
        client = FakeBedrock(embedding=[1, 2], text="answer")
        models = handler.BedrockModels(client, "gen-model", "embed-model", max_tokens=64)
        self.assertEqual(models.embed("text"), [1.0, 2.0])
        self.assertEqual(models.generate("prompt"), "answer")
        (_, embed), (_, converse) = client.requests
        self.assertEqual(embed["modelId"], "embed-model")
        self.assertEqual(json.loads(embed["body"]), {"inputText": "text", "normalize": True})
        self.assertEqual(converse["modelId"], "gen-model")
        self.assertEqual(converse["messages"], [{"role": "user", "content": [{"text": "prompt"}]}])
        self.assertEqual(converse["inferenceConfig"], {"maxTokens": 64})

    def test_empty_model_answers_raise(self):
        models = handler.BedrockModels(FakeBedrock(embedding=[], text=""), "g", "e")
        with self.assertRaises(ValueError):
            models.embed("x")
        with self.assertRaises(ValueError):
            models.generate("x")

    def test_build_reads_the_environment(self):
        cache, models, settings = handler.build(dict(ENV, SIMILARITY_THRESHOLD="0.85"),
                                                boto3_client=FakeBedrock(), redis_factory=FakeRedis)
        self.assertEqual((cache.host, cache.port), ("master.cache.example", 6380))
        self.assertEqual((models.generation_model_id, models.embedding_model_id),
                         ("amazon.nova-micro-v1:0", "amazon.titan-embed-text-v2:0"))
        self.assertEqual(settings.similarity_threshold, 0.85)

    def test_build_names_the_missing_or_bad_variable(self):
        cases = [
            ({k: v for k, v in ENV.items() if k != "REDIS_HOST"}, "REDIS_HOST must be set"),
            (dict(ENV, GENERATION_MODEL_ID=" "), "GENERATION_MODEL_ID must be set"),
            (dict(ENV, REDIS_PORT="tls"), "REDIS_PORT must be a port number, not 'tls'"),
            (dict(ENV, MAX_OUTPUT_TOKENS="0"), "MAX_OUTPUT_TOKENS must be a positive integer, not '0'"),
        ]
        for env, message in cases:
            with self.assertRaises(pipeline.ConfigError) as caught:
                handler.build(env, boto3_client=FakeBedrock(), redis_factory=FakeRedis)
            self.assertEqual(str(caught.exception), message)


if __name__ == "__main__":
    unittest.main()
