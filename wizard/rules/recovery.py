"""Password recovery by the registered mobile: one-time codes, masks and the decoy answer (pure: key, time given)."""

import hashlib
import hmac
from dataclasses import dataclass
from datetime import datetime
from datetime import timedelta

CODE_DIGITS = 6
CODE_MINUTES = 10
CODE_LIFETIME = timedelta(minutes=CODE_MINUTES)
CODE_ATTEMPTS = 5  # wrong entries before a code is void
VERIFIED_LIFETIME = timedelta(minutes=15)  # from a right code to the new password
# Iranian mobile operators' prefixes after "09": a decoy mask must look like a real number.
_OPERATOR_PREFIXES = ("01", "02", "03", "05", "10", "11", "12", "13", "14", "15", "16", "17", "18", "19",
                      "20", "21", "22", "30", "33", "35", "36", "37", "38", "39", "90", "91", "92", "93", "94",
                      "98", "99")


def new_code(randbelow) -> str:
    """Six digits, leading zeros kept: randbelow is secrets.randbelow (or a test's stand-in)."""
    return f"{randbelow(10 ** CODE_DIGITS):0{CODE_DIGITS}d}"


def code_digest(key: bytes, code: str) -> str:
    """Kept instead of the code: keyed, so a copy of the table alone does not give a 6-digit code away."""
    return hmac.new(key, b"recovery:" + code.encode(), hashlib.sha256).hexdigest()


def code_matches(key: bytes, stored: str, typed: str) -> bool:
    return hmac.compare_digest(code_digest(key, typed), stored)


def mask_mobile(mobile: str) -> str:
    """09121234567 → 0912***4567: enough for the holder to recognise, too little to call."""
    return f"{mobile[:4]}***{mobile[-4:]}"


def decoy_mobile(key: bytes, typed_key: str) -> str:
    """A mobile number that looks real, the same every time for the same typed name: shown (masked) when there
    is no account, or none this way can recover, so the answer never tells who has an account here."""
    digest = hmac.new(key, b"decoy:" + typed_key.encode(), hashlib.sha256).digest()
    prefix = _OPERATOR_PREFIXES[digest[0] % len(_OPERATOR_PREFIXES)]
    rest = "".join(str(byte % 10) for byte in digest[1:8])
    return f"09{prefix}{rest}"


@dataclass(frozen=True)
class CodeState:
    """What a stored code allows now."""

    usable: bool
    reason: str | None  # "used", "expired" or "exhausted" when not usable


def code_state(now: datetime, expires_at: datetime, attempts: int, used: bool) -> CodeState:
    if used:
        return CodeState(False, "used")
    if now >= expires_at:
        return CodeState(False, "expired")
    if attempts >= CODE_ATTEMPTS:
        return CodeState(False, "exhausted")
    return CodeState(True, None)


def verified_still(now: datetime, verified_at: datetime) -> bool:
    """A right code lets the holder choose a new password for a short while only."""
    return now < verified_at + VERIFIED_LIFETIME

