"""Refusals the HTTP layer answers itself, each GraphQL-shaped with a stable code and status.

    MALFORMED_REQUEST  400  the body is not one GraphQL request (bad UTF-8 or JSON, too deep,
                            several operations and no `operationName`, two `Authorization`s)
    PREFLIGHT_REQUIRED 400  a multipart (file upload) request without a non-empty
                            `Apollo-Require-Preflight` or `X-Apollo-Operation-Name` header
    METHOD_NOT_ALLOWED 405  a mutation sent with GET (`Allow: POST`), or a method the path does
                            not take (`Allow` names those it does)
    NOT_FOUND          404  no such path
    RATE_LIMITED       429  too many creating mutations or rejected submissions in a window
    OVERLOADED         503  the worker's store slots and its queue are full (back-pressure)
    STORE_UNAVAILABLE  503  the store is down, restarting or did not answer in time

Clients read one error format whatever refused them; a 429 or 503 carries `Retry-After`.
"""

from __future__ import annotations

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse

MALFORMED_REQUEST = "MALFORMED_REQUEST"
METHOD_NOT_ALLOWED = "METHOD_NOT_ALLOWED"
PREFLIGHT_REQUIRED = "PREFLIGHT_REQUIRED"
RATE_LIMITED = "RATE_LIMITED"
OVERLOADED = "OVERLOADED"
STORE_UNAVAILABLE = "STORE_UNAVAILABLE"

STATUS_OF_CODE: dict[str, int] = {
    MALFORMED_REQUEST: 400,
    METHOD_NOT_ALLOWED: 405,
    PREFLIGHT_REQUIRED: 400,
    RATE_LIMITED: 429,
    OVERLOADED: 503,
    STORE_UNAVAILABLE: 503,
}

# Codes for the refusals of routing, by HTTP status.
HTTP_CODES = {404: "NOT_FOUND", 405: METHOD_NOT_ALLOWED}

STORE_UNAVAILABLE_MESSAGE = "the store is unavailable for a moment; retry later"


class Refused(Exception):
    """A request refused before or instead of its execution."""

    def __init__(
        self,
        code: str,
        message: str,
        *,
        retry_after: int | None = None,
        status: int | None = None,
    ) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.retry_after = retry_after
        self.status = status

    def response(self) -> JSONResponse:
        return refusal(self.code, self.message, retry_after=self.retry_after, status=self.status)


async def http_refusal(request: Request, error: Exception) -> JSONResponse:
    """Starlette's own 4xx (no such path, a method the path does not take) as a JSON body with
    a code, like every other refusal, instead of its plain text."""
    assert isinstance(error, HTTPException)
    code = HTTP_CODES.get(error.status_code, MALFORMED_REQUEST)
    response = refusal(code, str(error.detail), status=error.status_code)
    if error.headers:
        response.headers.update(error.headers)
    return response


def refusal(
    code: str, message: str, *, retry_after: int | None = None, status: int | None = None
) -> JSONResponse:
    """The response for a refusal: its status, a GraphQL-shaped body, `Retry-After` if known."""
    headers = {} if retry_after is None else {"Retry-After": str(retry_after)}
    status = status or STATUS_OF_CODE[code]
    if status == 405:
        headers["Allow"] = "POST"
    body = {"errors": [{"message": message, "extensions": {"code": code}}]}
    return JSONResponse(body, status_code=status, headers=headers)
