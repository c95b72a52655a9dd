"""Serve moto's DynamoDB one request at a time, for the dynamostore tests.

moto_server runs werkzeug with threaded=True, and moto's
TransactWriteItems neither locks nor isolates: it snapshots the table,
applies the operations and, when a condition fails, restores the snapshot,
undoing what concurrent requests committed meanwhile. Serving requests
one at a time makes every transaction atomic and isolated, as in DynamoDB.

Usage: python3 motoserver.py HOST PORT
"""

import sys

from moto.server import DomainDispatcherApplication, create_backend_app
from werkzeug.serving import run_simple

if __name__ == "__main__":
    run_simple(sys.argv[1], int(sys.argv[2]), DomainDispatcherApplication(create_backend_app), threaded=False)
