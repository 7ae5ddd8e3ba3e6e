"""Errors raised by `reports`.

ReportError                 anything `reports` refuses.
├── ReportSetupError        a font, key or certificate file is unusable; raised at start-up.
└── TimestampUnavailable    the time-stamping authority did not answer; nothing was issued.
"""

from __future__ import annotations


class ReportError(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class ReportSetupError(ReportError):
    pass


class TimestampUnavailable(ReportError):
    pass
