"""The API's errors: one JSON shape for every status, `{"error": {"status": 404, "code": "not_found", "message": …}}`.

`code` is stable and meant for programs; `message` is English text for the agency's developers. errors.py answers
every request under /api/ with these, so a wrong address or method under the API never gets an HTML page."""

import json

from flask import Response
from flask import request
from werkzeug.exceptions import HTTPException

PREFIX = "/api/"
REALM = "pishkhan-agencies"
CODES = {400: "bad_request", 401: "unauthorized", 403: "forbidden", 404: "not_found", 405: "method_not_allowed",
         406: "not_acceptable", 413: "too_large", 429: "too_many_requests", 500: "server_error",
         503: "unavailable"}
MESSAGES = {400: "The request could not be understood.", 404: "Nothing was found at this address.",
            405: "This method is not allowed here.", 429: "Too many requests: try again after Retry-After seconds.",
            500: "Something went wrong on the server.", 503: "The service is briefly unavailable."}
AUTH_PROBLEMS = {
    "missing": ("missing_token", "Send the agency's token as 'Authorization: Bearer <token>'."),
    "invalid": ("invalid_token", "The token is not valid."),
    "revoked": ("revoked_token", "The token has been revoked."),
}


def is_api_request() -> bool:
    return request.path.startswith(PREFIX)


def json_error(status: int, code: str | None = None, message: str | None = None, headers=None) -> Response:
    body = {"error": {"status": status, "code": code or CODES.get(status, "error"),
                      "message": message or MESSAGES.get(status, MESSAGES[400 if status < 500 else 500])}}
    response = Response(json.dumps(body, ensure_ascii=False), status=status, mimetype="application/json")
    for name, value in (headers or {}).items():
        response.headers[name] = value
    return response


def from_http(error: HTTPException) -> Response:
    status = error.code or 500
    headers = {name: value for name, value in error.get_headers() if name == "Allow"}  # a 405 names the methods
    return json_error(status, headers=headers)


def unauthorized(problem: str) -> Response:
    """401 with the challenge RFC 6750 asks for; a missing token gets no error code, as it says."""
    code, message = AUTH_PROBLEMS[problem]
    challenge = f'Bearer realm="{REALM}"'
    if problem != "missing":
        challenge += f', error="invalid_token", error_description="{message}"'
    return json_error(401, code, message, {"WWW-Authenticate": challenge})


def too_many(retry_after_seconds: int) -> Response:
    return json_error(429, headers={"Retry-After": str(max(1, retry_after_seconds))})
