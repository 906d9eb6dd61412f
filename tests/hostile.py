"""A seeded generator of hostile form input, and a driver that sends it to every form a page shows.

The driver reads each form off the page as a browser would (its action, method and every named control
with its current value), then sends variations: values replaced by hostile strings, controls dropped,
repeated or invented, integer ids in the URL and query swapped for out-of-range ones, multipart bodies,
malformed encodings. Each request counts as one input; any answer of 500 or more is a finding.
"""

import io
import random
from dataclasses import dataclass
from dataclasses import field
from urllib.parse import quote
from urllib.parse import urlencode
from urllib.parse import urlsplit

from bs4 import BeautifulSoup
from werkzeug.datastructures import MultiDict

ATOMS = [
    "", " ", "\t", "0", "00", "1", "-1", "+1", "1.5", "1e9", "1,000", "۱٬۰۰۰", "NaN", "inf", "-0", "0x1f",
    "²", "³", "½", "٣", "۱۲۳", "१२३", "５", "9" * 19, str(2**63), str(2**64), "9" * 309, "9" * 4301,
    "\x00", "\r\n", "\n", "\r", "\x1b[31m", "\x7f", "\u0085", "\u2028", "\u202e", "\u200c", "\u200f", "\ufeff",
    "\ufffd", "\U0001f600", "\U0001f468\u200d\U0001f469\u200d\U0001f467", "ـــ", "ﻻ", "ي ك",
    "<script>alert(1)</script>", "\"><img src=x onerror=alert(1)>", "javascript:alert(1)", "{{7*7}}", "${7*7}",
    "'; DROP TABLE users; --", "' OR '1'='1", "\\", "%00", "%0d%0aSet-Cookie: x=y", "../../../etc/passwd",
    "=HYPERLINK(\"http://evil.example\")", "@SUM(1+1)", "//evil.example", "/\t/evil.example", "https://evil.example",
    "1399/07/01", "1403/12/30", "1403/13/01", "0000/00/00", "9999/99/99", "1399-7-1", "1399/07/01 25:61",
    "07:30", "8:00", "۸:۰۰", "24:00", "23:59", "09121234567", "۰۹۱۲۱۲۳۴۵۶۷", "0012345679", "1435678901",
    "yes", "no", "on", "y", "true", "owned", "leased", "manager", "bachelor", "fa", "en", "de", "save", "add",
    "remove-0", "remove-1", "remove-" + "9" * 30, "remove-²", "remove--1", "fa\x00", "ABCDEFGHJKMN",
]
EXTRA_NAMES = [
    "csrf_token", "version", "action", "next", "lang", "holder_name", "national_code", "license_number",
    "province", "office_type", "staff-99-full_name", "staff-49-national_code", "staff-" + "9" * 25 + "-role",
    "staff-²-full_name", "staff-0-start_date-day", "", " ", "\x00", "a" * 300, "__proto__", "q", "page", "area",
]
QUERY_NAMES = ["page", "area", "q", "type", "province", "status", "version", "next", "restore", "unticked", "code",
               "who", "action", "since", "until", "outcome"]
HOSTILE_IDS = ["0", "-1", "²", "٣", str(2**63 - 1), str(2**63), str(10**30), "9" * 4301, "1.0", "1e3", "%20"]


def hostile_value(rng: random.Random) -> str:
    pick = rng.random()
    if pick < 0.55:
        return rng.choice(ATOMS)
    if pick < 0.8:
        return "".join(rng.choice(ATOMS) for _ in range(rng.randint(2, 4)))
    if pick < 0.95:
        return "".join(chr(rng.choice([rng.randint(0x20, 0x7e), rng.randint(0x600, 0x6ff), rng.randint(0, 0x2fff),
                                       rng.randint(0xe000, 0x10ffff)])) for _ in range(rng.randint(1, 40)))
    return rng.choice(["ی", "9", "<", "\u200c"]) * rng.choice([300, 5_000, 70_000])


@dataclass
class Form:
    """A form as the page shows it: where it goes, how, and its controls' names with their values."""

    action: str
    method: str
    controls: list[tuple[str, str]]
    options: dict[str, list[str]] = field(default_factory=dict)
    files: list[str] = field(default_factory=list)

    @property
    def name(self) -> str:
        return f"{self.method} {self.action}"


def forms_on(html: bytes, page_url: str) -> list[Form]:
    found = []
    for element in BeautifulSoup(html, "html.parser").select("form"):
        action = element.get("action") or page_url
        controls, options, files = [], {}, []
        for control in element.select("input[name], select[name], textarea[name], button[name]"):
            name = control["name"]
            if control.name == "select":
                options[name] = [o.get("value", o.get_text()) for o in control.select("option")]
                chosen = control.select_one("option[selected]") or control.select_one("option")
                controls.append((name, chosen.get("value", "") if chosen else ""))
            elif control.get("type") == "file":
                files.append(name)
            elif control.get("type") in ("radio", "checkbox") and not control.has_attr("checked"):
                options.setdefault(name, []).append(control.get("value", "on"))
            elif control.name == "textarea":
                controls.append((name, control.get_text()))
            elif control.name != "button":
                controls.append((name, control.get("value", "")))
            else:
                options.setdefault(name, []).append(control.get("value", ""))
        found.append(Form(action, (element.get("method") or "get").upper(), controls, options, files))
    return found


def hostile_pairs(rng: random.Random, form: Form) -> list[tuple[str, str]]:
    """The form's own controls, each kept, dropped, repeated, replaced by a hostile value or by one of its
    options; sometimes with invented names added."""
    pairs = []
    names = [*form.controls, *((name, rng.choice(values)) for name, values in form.options.items())]
    for name, value in names:
        roll = rng.random()
        if roll < 0.1:
            continue
        if roll < 0.45:
            value = hostile_value(rng)
        elif roll < 0.55 and name in form.options:
            value = rng.choice(form.options[name])
        pairs.append((name, value))
        if rng.random() < 0.05:
            pairs.append((name, hostile_value(rng)))
    for _extra in range(rng.choice([0, 0, 0, 1, 3])):
        pairs.append((rng.choice(EXTRA_NAMES), hostile_value(rng)))
    return pairs


def hostile_url(rng: random.Random, url: str) -> str:
    """The URL with, now and then, an integer path segment swapped for a hostile id and hostile query parameters."""
    parts = urlsplit(url)
    path = parts.path
    if rng.random() < 0.15:
        segments = path.split("/")
        numeric = [i for i, s in enumerate(segments) if s.isascii() and s.isdigit()]
        if numeric:
            segments[rng.choice(numeric)] = rng.choice(HOSTILE_IDS)
            path = "/".join(segments)
    query = parts.query
    if rng.random() < 0.2:
        extra = "&".join(f"{rng.choice(QUERY_NAMES)}={_quoted(rng, hostile_value(rng)[:300])}"
                         for _ in range(rng.randint(1, 3)))
        query = f"{query}&{extra}" if query else extra
    return f"{path}?{query}" if query else path


def _quoted(rng: random.Random, text: str) -> str:
    """Percent-encoded, or now and then raw (as a hand-typed address would be)."""
    return quote(text, safe="") if rng.random() < 0.9 else text.replace(" ", "+").replace("&", "%26")[:50]


def send(client, rng: random.Random, form: Form):
    """One hostile submission of the form; returns (response, what was sent) for the report."""
    url = hostile_url(rng, form.action)
    pairs = hostile_pairs(rng, form)
    roll = rng.random()
    if form.method == "GET":
        url = f"{url}{'&' if '?' in url else '?'}{urlencode(pairs)}" if pairs else url
        return client.get(url), (url, pairs)
    if roll < 0.04:
        body = rng.choice([b"--X\r\nContent-Disposition: form-data\r\n\r\nv\r\n--X--\r\n",
                           b"--X\r\nContent-Disposition: form-data; filename=\"a\"\r\n\r\nv\r\n--X--\r\n",
                           b"--X\r\nContent-Disposition: form-data; name=\"\xff\xfe\"\r\n\r\nv\r\n--X--\r\n",
                           b"--X\r\n\r\n--X", b"--Y\r\nbroken"])
        return client.post(url, data=body, content_type="multipart/form-data; boundary=X"), (url, body)
    if roll < 0.08:
        body = rng.choice([b"a=%ZZ&b=%", b"\xff\xfe=\xff", b"version=" + b"9" * 5000, b"&&&==&", b"a" * 100_000])
        return client.post(url, data=body, content_type="application/x-www-form-urlencoded"), (url, body)
    data = MultiDict(pairs)
    for name in form.files:
        if rng.random() < 0.8:
            content = rng.choice([hostile_value(rng).encode("utf-8", "surrogatepass"), b"\xef\xbb\xbf" + b"a,b\n1,2\n",
                                  bytes(rng.randrange(256) for _ in range(rng.randint(0, 2000)))])
            data.add(name, (io.BytesIO(content), rng.choice(["offices.csv", "a.xlsx", "", "../x.csv", "x\x00.csv"])))
    if rng.random() < 0.15 or form.files:
        return client.post(url, data=data, content_type="multipart/form-data"), (url, pairs)
    return client.post(url, data=data), (url, pairs)


def fuzz(client, rng: random.Random, form: Form, inputs: int) -> list[str]:
    """Send `inputs` hostile submissions; a line for each answer of 500 or more."""
    findings = []
    for _number in range(inputs):
        response, sent = send(client, rng, form)
        if response.status_code >= 500:
            findings.append(f"{response.status_code} from {form.name}: {sent!r:.600}")
        response.close()
    return findings
