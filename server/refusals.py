"""Refusals the HTTP layer answers itself, each GraphQL-shaped with a stable code and status.

    MALFORMED_REQUEST  400  the body is not one GraphQL request (bad UTF-8 or JSON, too deep,
                            several operations and no `operationName`, two `Authorization`s)
    METHOD_NOT_ALLOWED 405  a mutation sent with GET (`Allow: POST`)
    RATE_LIMITED       429  too many creating mutations or rejected submissions in a window
    OVERLOADED         503  the worker's store slots and its queue are full (back-pressure)
    STORE_UNAVAILABLE  503  the store is down, restarting or did not answer in time

Clients read one error format whatever refused them; a 429 or 503 carries `Retry-After`.
"""

from __future__ import annotations

from starlette.responses import JSONResponse

MALFORMED_REQUEST = "MALFORMED_REQUEST"
METHOD_NOT_ALLOWED = "METHOD_NOT_ALLOWED"
RATE_LIMITED = "RATE_LIMITED"
OVERLOADED = "OVERLOADED"
STORE_UNAVAILABLE = "STORE_UNAVAILABLE"

STATUS_OF_CODE: dict[str, int] = {
    MALFORMED_REQUEST: 400,
    METHOD_NOT_ALLOWED: 405,
    RATE_LIMITED: 429,
    OVERLOADED: 503,
    STORE_UNAVAILABLE: 503,
}

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
