"""Serve the app on a loopback port in its own process (for the cross-process limiter test).

Prints "ready" once the socket listens, so the test waits on that line instead of sleeping."""

import os
import sys

from werkzeug.serving import make_server

from wizard import create_app

limit, prefix = os.environ["WIZARD_TEST_LIMITS"].split(";")
app = create_app({"WTF_CSRF_ENABLED": False, "LOGIN_ADDRESS_LIMIT": limit, "RATELIMIT_KEY_PREFIX": prefix})
server = make_server("127.0.0.1", int(sys.argv[1]), app, threaded=True)
print("ready", flush=True)
server.serve_forever()
