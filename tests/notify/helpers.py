"""What the file provider "sent" in a test (tests/conftest.make_app points SMS_FILE_PATH into the test's folder)."""

from wizard.notify.providers import read_outbox


def sent(app) -> list[dict]:
    """Every message the file provider wrote, in order: {"id", "mobile", "text"}."""
    return read_outbox(app.config["SMS_FILE_PATH"])


def sent_to(app, mobile: str) -> list[str]:
    return [line["text"] for line in sent(app) if line["mobile"] == mobile]
