"""Lambda entry point of the caching pipeline: configuration, Bedrock and Redis wiring.

Environment:
  REDIS_HOST, REDIS_PORT      the replication group's primary endpoint (TLS in transit)
  GENERATION_MODEL_ID         the model that answers (Converse API)
  EMBEDDING_MODEL_ID          Titan Text Embeddings V2 (amazon.titan-embed-text-v2:0)
  SIMILARITY_THRESHOLD        semantic hit threshold, default 0.90
  CACHE_TTL_SECONDS           TTL of both cache keys, default 86400
  MAX_OUTPUT_TOKENS           answer length cap, default 512

Event: {"prompt": "..."} (or an API Gateway proxy event whose JSON body has "prompt").
Answer: {"response": "...", "cache": "hash_hit" | "semantic_hit" | "miss", "score"?: 0.94}.
"""

import json
import os

import pipeline

_state = {}


class BedrockModels:
    """Titan embeddings and a Converse-capable model, behind the pipeline's ``Models`` interface."""

    def __init__(self, client, generation_model_id, embedding_model_id, max_tokens=512):
        self.client = client
        self.generation_model_id = generation_model_id
        self.embedding_model_id = embedding_model_id
        self.max_tokens = max_tokens

    def embed(self, text):
        response = self.client.invoke_model(
            modelId=self.embedding_model_id,
            body=json.dumps({"inputText": text, "normalize": True}),
            contentType="application/json",
            accept="application/json",
        )
        payload = json.loads(response["body"].read())
        embedding = payload.get("embedding")
        if not isinstance(embedding, list) or not embedding:
            raise ValueError("the embedding model answered without an embedding")
        return [float(x) for x in embedding]

    def generate(self, prompt):
        response = self.client.converse(
            modelId=self.generation_model_id,
            messages=[{"role": "user", "content": [{"text": prompt}]}],
            inferenceConfig={"maxTokens": self.max_tokens},
        )
        blocks = response.get("output", {}).get("message", {}).get("content", [])
        text = "".join(block.get("text", "") for block in blocks)
        if not text:
            raise ValueError("the model answered with no text (stopReason %r)" % response.get("stopReason"))
        return text


def required(env, name):
    """The value of a required environment variable, or a ConfigError naming it."""
    value = env.get(name, "").strip()
    if not value:
        raise pipeline.ConfigError("%s must be set" % name)
    return value


def extract_prompt(event):
    """The prompt of a direct invocation or of an API Gateway proxy event; '' when absent."""
    if not isinstance(event, dict):
        return ""
    prompt = event.get("prompt")
    if prompt is None and isinstance(event.get("body"), str):
        try:
            body = json.loads(event["body"])
        except ValueError:
            return ""
        prompt = body.get("prompt") if isinstance(body, dict) else None
    return prompt.strip() if isinstance(prompt, str) else ""


def build(env, boto3_client=None, redis_factory=None):
    """The (cache, models, settings) the handler uses, from the environment."""
    settings = pipeline.Settings.from_env(env)
    port_text = env.get("REDIS_PORT", "6379").strip() or "6379"
    if not port_text.isdigit():
        raise pipeline.ConfigError("REDIS_PORT must be a port number, not %r" % port_text)
    max_tokens_text = env.get("MAX_OUTPUT_TOKENS", "512").strip() or "512"
    if not max_tokens_text.isdigit() or int(max_tokens_text) <= 0:
        raise pipeline.ConfigError("MAX_OUTPUT_TOKENS must be a positive integer, not %r" % max_tokens_text)
    if redis_factory is None:
        from resp import RedisClient as redis_factory
    cache = redis_factory(required(env, "REDIS_HOST"), int(port_text))
    if boto3_client is None:
        import boto3  # only in the Lambda runtime; unit tests pass a fake

        boto3_client = boto3.client("bedrock-runtime")
    models = BedrockModels(boto3_client, required(env, "GENERATION_MODEL_ID"),
                           required(env, "EMBEDDING_MODEL_ID"), int(max_tokens_text))
    return cache, models, settings


def lambda_handler(event, context):
    prompt = extract_prompt(event)
    if not prompt:
        return {"error": "the event needs a non-empty string 'prompt'"}
    if "wiring" not in _state:
        _state["wiring"] = build(os.environ)  # reused while the execution environment lives
    cache, models, settings = _state["wiring"]
    return pipeline.answer(prompt, cache, models, settings)
