"""A scripted GitHub API for tests: routes (method, url) to answers and records every request."""

import json


class FakeGitHub:
    def __init__(self, routes):
        # {(method, url): (status, json) or [(status, json), ...] answered in turn}
        self.routes = {key: list(value) if isinstance(value, list) else [value] for key, value in routes.items()}
        self.requests = []

    def __call__(self, method, url, headers, body):
        self.requests.append({"method": method, "url": url, "headers": headers,
                              "json": json.loads(body) if body else None})
        answers = self.routes.get((method, url))
        if not answers:
            return 404, json.dumps({"message": "Not Found"}).encode()
        status, data = answers.pop(0) if len(answers) > 1 else answers[0]
        return status, json.dumps(data).encode()

    def calls(self):
        return [(request["method"], request["url"]) for request in self.requests]
