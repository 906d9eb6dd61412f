"""A local stand-in for an Iranian SMS gateway's REST API (a thread in the test process): it answers like the
provider (success, a refusal, a 5xx, a timeout) as the test scripts it, and records every request."""

import json
import threading
from http.server import BaseHTTPRequestHandler
from http.server import ThreadingHTTPServer

API_KEY = "test-api-key"


class FakeGateway:
    def __init__(self):
        self.requests: list[dict] = []
        self.script: list[str] = []  # what to answer next: "ok", "invalid", "credit", "5xx", "slow", "garbage"
        self._next_id = 1000
        self.released = threading.Event()  # set when the test ends: a "slow" answer waits for it
        gateway = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])).decode())
                gateway.requests.append({"headers": dict(self.headers), "body": body})
                answer = gateway.script.pop(0) if gateway.script else "ok"
                if self.headers.get("apikey") != API_KEY:
                    return self._answer(401, {"status": 401, "message": "کلید API نامعتبر است"})
                if answer == "slow":  # no answer until the test ends: the client's own timeout gives up first
                    gateway.released.wait()
                    return self._answer(200, {"status": 1, "messageid": "late"})
                if answer == "5xx":
                    return self._answer(503, {"status": 503, "message": "service unavailable"})
                if answer == "invalid":
                    return self._answer(400, {"status": 411, "message": "شماره گیرنده نامعتبر است"})
                if answer == "credit":
                    return self._answer(200, {"status": 418, "message": "اعتبار حساب کافی نیست"})
                if answer == "garbage":
                    return self._raw(200, b"<html>gateway error</html>")
                gateway._next_id += 1
                return self._answer(200, {"status": 1, "message": "ok", "messageid": gateway._next_id})

            def _answer(self, code, payload):
                self._raw(code, json.dumps(payload, ensure_ascii=False).encode())

            def _raw(self, code, data):
                self.send_response(code)
                self.send_header("Content-Type", "application/json; charset=utf-8")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                try:
                    self.wfile.write(data)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up (a timeout)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_port}/v1/sms/send"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.released.set()
        self.server.shutdown()
        self.server.server_close()
        self.thread.join()
