"""Serve moto's DynamoDB with one request in the backend at a time.

moto_server runs werkzeug with threaded=True, and moto's
TransactWriteItems neither locks nor isolates: it snapshots the table,
applies the operations and, when a condition fails, restores the
snapshot, undoing what concurrent requests committed meanwhile. This
server keeps werkzeug's threads but runs the moto application under one
lock, so every request, and so every transaction, is atomic and
isolated, as in DynamoDB.

Under load, Go clients now and then fail to read a 200 response
("use of closed network connection", a client-side failure also seen
against AWS: aws/aws-sdk-go-v2#1825) and the SDK resends the request,
which the server had applied; the driver must cope, and the tests show
it does (retry_test.go).

moto also ignores TransactWriteItems' ClientRequestToken. The AWS SDKs
fill it in once per call and resend it on every retry, and DynamoDB
answers a retry of a committed transaction with the first success
instead of applying it again (for ten minutes). Without that, a retry
after a lost response fails its own conditions ("already voted"). This
server keeps the successful responses by token and replays them, and
refuses a token reused with other parameters as DynamoDB does.

Usage: python3 motoserver.py HOST PORT
"""

import collections
import hashlib
import io
import json
import sys
import threading
import time

from moto.server import DomainDispatcherApplication, create_backend_app
from werkzeug.serving import run_simple

_lock = threading.Lock()
_app = DomainDispatcherApplication(create_backend_app)

_TOKEN_TTL = 600  # seconds, as DynamoDB
_tokens = collections.OrderedDict()  # token -> (expires, digest, status, headers, body)


def _call(environ):
    """Runs the moto application; returns (status, headers, body)."""
    captured = {}

    def start_response(status, headers, exc_info=None):
        captured["status"], captured["headers"] = status, headers
        return lambda data: None

    body = _app(environ, start_response)
    try:
        data = b"".join(body)
    finally:
        if hasattr(body, "close"):
            body.close()
    return captured["status"], captured["headers"], data


def _transaction_token(environ, raw):
    """Returns the ClientRequestToken of a TransactWriteItems request, or None."""
    if not environ.get("HTTP_X_AMZ_TARGET", "").endswith(".TransactWriteItems"):
        return None
    try:
        token = json.loads(raw).get("ClientRequestToken")
    except (ValueError, AttributeError):
        return None
    return token if isinstance(token, str) and token else None


def serialized(environ, start_response):
    raw = environ["wsgi.input"].read(int(environ.get("CONTENT_LENGTH") or 0))
    environ["wsgi.input"] = io.BytesIO(raw)
    token = _transaction_token(environ, raw)
    with _lock:
        now = time.monotonic()
        while _tokens and next(iter(_tokens.values()))[0] < now:
            _tokens.popitem(last=False)
        if token is not None:
            params = json.loads(raw)
            params.pop("ClientRequestToken", None)
            digest = hashlib.sha256(json.dumps(params, sort_keys=True).encode()).hexdigest()
            seen = _tokens.get(token)
            if seen is not None:
                if seen[1] != digest:
                    body = json.dumps({
                        "__type": "com.amazonaws.dynamodb.v20120810#IdempotentParameterMismatchException",
                        "message": "The request uses the same client token as a previous, but non-identical request.",
                    }).encode()
                    start_response("400 Bad Request", [("Content-Type", "application/x-amz-json-1.0"),
                                                       ("Content-Length", str(len(body)))])
                    return [body]
                start_response(seen[2], seen[3])
                return [seen[4]]
        status, headers, data = _call(environ)
        if token is not None and status.startswith("200"):
            _tokens[token] = (now + _TOKEN_TTL, digest, status, headers, data)
    start_response(status, headers)
    return [data]


if __name__ == "__main__":
    run_simple(sys.argv[1], int(sys.argv[2]), serialized, threaded=True)
