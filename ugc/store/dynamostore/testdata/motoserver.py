"""Serve moto's DynamoDB with one request in the backend at a time.

moto_server runs werkzeug with threaded=True, and moto's
TransactWriteItems neither locks nor isolates: it snapshots the table,
applies the operations and, when a condition fails, restores the
snapshot, undoing what concurrent requests committed meanwhile. This
server keeps werkzeug's threads (and HTTP/1.1 keep-alive connections) but
runs the moto application under one lock, so every request, and so every
transaction, is atomic and isolated, as in DynamoDB. (A single-threaded
werkzeug server would speak HTTP/1.0 and close every connection, which
under load makes clients resend requests whose responses they lost.)

Usage: python3 motoserver.py HOST PORT
"""

import sys
import threading

from moto.server import DomainDispatcherApplication, create_backend_app
from werkzeug.serving import run_simple

_lock = threading.Lock()
_app = DomainDispatcherApplication(create_backend_app)


def serialized(environ, start_response):
    with _lock:
        body = _app(environ, start_response)
        try:
            return [b"".join(body)]
        finally:
            if hasattr(body, "close"):
                body.close()


if __name__ == "__main__":
    run_simple(sys.argv[1], int(sys.argv[2]), serialized, threaded=True)
