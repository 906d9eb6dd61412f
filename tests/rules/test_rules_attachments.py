"""An objection's attachment is told by its first bytes, and kept under a harmless name."""

import pytest

from wizard.rules import attachments

PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00"


@pytest.mark.parametrize(("head", "kind"), [
    (PDF, "application/pdf"),
    (PNG, "image/png"),
    (JPEG, "image/jpeg"),
    (b"<!doctype html><html><script>alert(1)</script>", None),  # an HTML page renamed .pdf
    (b"<html>%PDF-1.4", None),  # a signature further in does not count
    (b" %PDF-1.4", None),
    (b"GIF89a", None),
    (b"PK\x03\x04", None),  # a zip or an .xlsx
    (b"MZ\x90\x00", None),  # a Windows program
    (b"\x89PNG", None),  # cut short
    (b"", None),
])
def test_sniff(head, kind):
    assert attachments.sniff(head) == kind


@pytest.mark.parametrize(("typed", "kind", "name"), [
    ("report.pdf", "application/pdf", "report.pdf"),
    ("Scan.PDF", "application/pdf", "Scan.pdf"),
    ("../../etc/passwd", "application/pdf", "passwd.pdf"),
    ("C:\\Users\\me\\نامهٔ اداره.pdf", "application/pdf", "نامهٔ اداره.pdf"),
    ("page.html", "application/pdf", "page.pdf"),  # the real type decides the extension
    ("photo.jpeg", "image/jpeg", "photo.jpg"),
    ("photo", "image/png", "photo.png"),
    ("", "image/png", "attachment.png"),
    (None, "image/png", "attachment.png"),
    ("...", "image/png", "attachment.png"),
    ("a\x00b\r\n\"c\".pdf", "application/pdf", "abc.pdf"),
    ("\u202etxt.exe", "application/pdf", "txt.pdf"),  # a right-to-left override cannot disguise it
    ("x" * 500 + ".pdf", "application/pdf", "x" * 116 + ".pdf"),
])
def test_safe_name(typed, kind, name):
    assert attachments.safe_name(typed, kind) == name
    assert len(attachments.safe_name(typed, kind)) <= attachments.NAME_MAX
