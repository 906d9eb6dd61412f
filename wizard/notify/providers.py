"""SMS providers behind one interface: send(mobile, text, reference) → Receipt, or Rejected (the provider refused
this message for good: a bad number, no credit) or Unavailable (try again later: 5xx, timeout, no connection).

- file: appends one JSON line per message to a file (development and tests read what was "sent");
- console: prints it (development);
- http: a REST gateway of the kind Iranian providers offer: POST JSON {sender, receptor, message} with the API key
  in a header, answered with JSON {"status": 1, "messageid": …} (another status is a refusal with a message).
"""

import fcntl
import json
import os
import sys
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Receipt:
    provider_id: str
    delivered: bool = False  # the provider confirmed delivery to the handset (the file provider, at once)


class Rejected(Exception):
    """The provider will never send this message."""


class Unavailable(Exception):
    """The provider could not take the message now; a later attempt may succeed."""


class FileProvider:
    name = "file"

    def __init__(self, path: str | os.PathLike):
        self.path = Path(path)

    def send(self, mobile: str, text: str, reference: str) -> Receipt:
        line = json.dumps({"id": reference, "mobile": mobile, "text": text}, ensure_ascii=False) + "\n"
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self.path.open("a", encoding="utf-8") as stream:
            fcntl.flock(stream, fcntl.LOCK_EX)  # workers in several processes append to one file
            stream.write(line)
        return Receipt(provider_id=f"file-{reference}", delivered=True)


def read_outbox(path: str | os.PathLike) -> list[dict]:
    """What a file provider "sent", in order (tests and the load check read it)."""
    path = Path(path)
    if not path.exists():
        return []
    with path.open(encoding="utf-8") as stream:
        return [json.loads(line) for line in stream if line.strip()]


class ConsoleProvider:
    name = "console"

    def send(self, mobile: str, text: str, reference: str) -> Receipt:
        print(f"SMS to {mobile} [{reference}]: {text}", file=sys.stderr)
        return Receipt(provider_id=f"console-{reference}", delivered=True)


class HttpProvider:
    name = "http"

    def __init__(self, url: str, api_key: str, sender: str, timeout: float = 10, key_header: str = "apikey"):
        if not url.startswith(("https://", "http://")):
            raise ValueError("SMS_API_URL must be an http(s) URL")
        self.url, self.api_key, self.sender, self.timeout, self.key_header = url, api_key, sender, timeout, key_header

    def send(self, mobile: str, text: str, reference: str) -> Receipt:
        body = json.dumps({"sender": self.sender, "receptor": mobile, "message": text,
                           "localid": reference}, ensure_ascii=False).encode()
        request = urllib.request.Request(self.url, data=body, method="POST", headers={
            "Content-Type": "application/json; charset=utf-8", "Accept": "application/json",
            self.key_header: self.api_key})
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as reply:  # nosec B310: the URL's scheme is checked
                answer = _json(reply.read())
        except urllib.error.HTTPError as error:
            with error:
                answer = _json(error.read())
            reason = f"HTTP {error.code}: {answer.get('message') or error.reason}"
            if error.code >= 500 or error.code == 429:
                raise Unavailable(reason) from None
            raise Rejected(reason) from None
        except (urllib.error.URLError, TimeoutError, ConnectionError, OSError) as error:
            raise Unavailable(f"no answer: {getattr(error, 'reason', error)}") from None
        if answer.get("status") != 1 or not answer.get("messageid"):
            raise Rejected(f"status {answer.get('status')}: {answer.get('message') or 'refused'}")
        return Receipt(provider_id=str(answer["messageid"]))


def _json(raw: bytes) -> dict:
    try:
        answer = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        return {}
    return answer if isinstance(answer, dict) else {}


def from_config(config, instance_path: str):
    """The provider the configuration names (SMS_PROVIDER: file, console or http)."""
    name = config.get("SMS_PROVIDER") or "file"
    if name == "file":
        return FileProvider(config.get("SMS_FILE_PATH") or Path(instance_path) / "outbox.jsonl")
    if name == "console":
        return ConsoleProvider()
    if name == "http":
        return HttpProvider(config["SMS_API_URL"], config["SMS_API_KEY"], config["SMS_SENDER"],
                            timeout=float(config.get("SMS_TIMEOUT") or 10),
                            key_header=config.get("SMS_API_KEY_HEADER") or "apikey")
    raise ValueError(f"unknown SMS_PROVIDER {name!r}: file, console or http")
