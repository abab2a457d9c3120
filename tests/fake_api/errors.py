"""The API's error vocabulary: each ``error.type`` with its HTTP status and default message, and
the exceptions inside the fake that become an error response (``_ApiFailure``) or end an
exchange without one (``_Abort``). Every other module raises these; the server turns them into
the real API's error body."""

from __future__ import annotations


ERROR_STATUS = {
    "invalid_request_error": 400,
    "authentication_error": 401,
    "billing_error": 402,
    "permission_error": 403,
    "not_found_error": 404,
    "request_too_large": 413,
    "rate_limit_error": 429,
    "api_error": 500,
    "timeout_error": 504,
    "overloaded_error": 529,
}
STATUS_ERROR = {status: kind for kind, status in ERROR_STATUS.items()}
ERROR_MESSAGE = {
    "invalid_request_error": "Invalid request",
    "authentication_error": "invalid x-api-key",
    "billing_error": "Your credit balance is too low to access the Anthropic API.",
    "permission_error": "Your API key does not have permission to use the specified resource.",
    "not_found_error": "Not found",
    "request_too_large": "Request exceeds the maximum allowed number of bytes.",
    "rate_limit_error": "Number of requests has exceeded your rate limit.",
    "api_error": "Internal server error",
    "timeout_error": "Request timed out",
    "overloaded_error": "Overloaded",
}


class _ApiFailure(Exception):
    """Raised by validation: becomes an error response."""

    def __init__(
        self,
        status: int,
        type_: str,
        message: str,
        *,
        error_code: str | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.type = type_
        self.message = message
        self.error_code = error_code
        self.headers = headers or {}


def _invalid(message: str, error_code: str | None = None) -> _ApiFailure:
    return _ApiFailure(400, "invalid_request_error", message, error_code=error_code)


class _Abort(Exception):
    """The exchange cannot continue (server closing or client gone)."""
