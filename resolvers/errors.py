"""Expected errors of the API, each with a stable code in `extensions.code`.

    ApiError                 base: message for the client, code, optional field
    ├── InvalidArgument      BAD_USER_INPUT: an argument breaks a rule (names field and rule)
    │   ├── InvalidIdentifier INVALID_IDENTIFIER: a code or number fails its check character
    │   ├── InvalidCursor     INVALID_CURSOR: `after` is not a cursor this API issued
    │   ├── PageTooLarge      PAGE_SIZE: `first` is outside 0..100
    │   ├── BatchTooLarge     BATCH_TOO_LARGE: more items in one batch than allowed
    │   ├── NotInCatalogue    NOT_IN_CATALOGUE: a data item the catalogue item does not have
    │   ├── ConductOutsideEpidemic CONDUCT_OUTSIDE_EPIDEMIC: good behaviour's conduct date
    │   │                     is outside the epidemic window (notice 一(一))
    │   ├── ConductAfterDecision CONDUCT_AFTER_DECISION: conduct after the commendation
    │   ├── LevelAboveAuthority LEVEL_ABOVE_AUTHORITY: a commendation above its awarding level
    │   ├── UnsupportedFileType UNSUPPORTED_FILE_TYPE: an evidence file's content is not PDF,
    │   │                     JPEG or PNG, its name says another type, or it is empty
    │   ├── FileTooLarge      FILE_TOO_LARGE: an evidence file is over the configured size
    │   └── TooManyFiles      TOO_MANY_FILES: the repair application holds the most files
    ├── NotFound             NOT_FOUND: what a mutation names does not exist for this viewer
    ├── AlreadyRevoked       ALREADY_REVOKED: the record was revoked before
    ├── NotClearable         NOT_CLEARABLE: a filing clears no such record (三(十), not ACTIVE)
    ├── NotApplicable        NOT_APPLICABLE: the request does not apply to this kind of subject
    ├── RepairNotApplicable  REPAIR_NOT_APPLICABLE: not an active dishonesty record in disclosure
    ├── RepairTooEarly       REPAIR_TOO_EARLY: before the earliest repair date (in the message)
    ├── RepairAlreadyOpen    REPAIR_ALREADY_OPEN: the record has an application under review
    ├── ObjectionAlreadyOpen OBJECTION_ALREADY_OPEN: the record has a pending objection
    ├── NotOpen              NOT_OPEN: the application or objection is not awaiting a decision
    ├── AlreadyExtended      ALREADY_EXTENDED: a deadline is extended once only
    ├── DeadlinePassed       DEADLINE_PASSED: too late to extend the deadline
    ├── CatalogueVersionExists CATALOGUE_VERSION_EXISTS: a catalogue with this number is
    │                        published already
    ├── ProgrammesVersionExists PROGRAMMES_VERSION_EXISTS: a programmes version with this
    │                        number is published already
    ├── CalendarNotPublished CALENDAR_NOT_PUBLISHED: a working-day deadline falls in a year
    │                        whose holiday schedule the centre has not published
    ├── UnitNotAuthorized    UNIT_NOT_AUTHORIZED: the unit is not the one that does this (一(三))
    ├── CommitmentExists     COMMITMENT_EXISTS: the unit registered this number differently
    ├── CommitmentNotActive  COMMITMENT_NOT_ACTIVE: fulfilled already, nothing to fulfil or break
    ├── AlreadyViolated      ALREADY_VIOLATED: a breach of the commitment was reported already
    ├── BlacklistBasisInvalid BLACKLIST_BASIS_INVALID: a basis record cannot carry the listing
    ├── AlreadyListed        ALREADY_LISTED: an entry in force rests on one of these records
    ├── NotInForce           NOT_IN_FORCE: the blacklist entry was removed or has expired
    ├── RecordNotOnDisplay   RECORD_NOT_ON_DISPLAY: a case links only records on public display
    ├── ProgrammeUnknown     PROGRAMME_UNKNOWN: no incentive programme has this code
    ├── GrantRequired        GRANT_REQUIRED: no live grant from the subject to the viewer's org
    ├── Conflict             CONFLICT: other writers kept changing what this wrote; try again
    ├── ServiceUnavailable   SERVICE_UNAVAILABLE: a service the request needs did not answer
    │                        (the time-stamping authority); nothing was done, retry later
    ├── Forbidden            FORBIDDEN: the token lacks a scope (named in the message)
    ├── ForbiddenFilter      FORBIDDEN_FILTER: a lookup or filter by a value the viewer may
    │                        not see, refused so that answers cannot act as an oracle
    ├── CountNotOffered      COUNT_NOT_OFFERED: `totalCount` of a list that only a scan could
    │                        count (records on public display across subjects)
    └── RateLimited          RATE_LIMITED: too many in this window; `retryAfter` says when

graphql-core copies an original error's `extensions` onto the GraphQL error, and the schema's
error masking lets `ApiError` messages through while hiding everything else.
"""

from __future__ import annotations

from typing import Any, ClassVar

from pydantic import ValidationError

from domain.errors import ProblemCode


class ApiError(Exception):
    code: ClassVar[str] = "BAD_REQUEST"

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.extensions: dict[str, Any] = {"code": self.code}
        if field is not None:
            self.extensions["field"] = field


class InvalidArgument(ApiError):
    code = "BAD_USER_INPUT"


class InvalidIdentifier(InvalidArgument):
    code = "INVALID_IDENTIFIER"


class InvalidCursor(InvalidArgument):
    code = "INVALID_CURSOR"


class PageTooLarge(InvalidArgument):
    code = "PAGE_SIZE"


class BatchTooLarge(InvalidArgument):
    code = "BATCH_TOO_LARGE"


class AlreadyRevoked(ApiError):
    code = "ALREADY_REVOKED"


class NotInCatalogue(InvalidArgument):
    code = "NOT_IN_CATALOGUE"


class ConductOutsideEpidemic(InvalidArgument):
    code = "CONDUCT_OUTSIDE_EPIDEMIC"


class ConductAfterDecision(InvalidArgument):
    code = "CONDUCT_AFTER_DECISION"


class LevelAboveAuthority(InvalidArgument):
    code = "LEVEL_ABOVE_AUTHORITY"


class UnsupportedFileType(InvalidArgument):
    code = "UNSUPPORTED_FILE_TYPE"


class FileTooLarge(InvalidArgument):
    code = "FILE_TOO_LARGE"


class TooManyFiles(InvalidArgument):
    code = "TOO_MANY_FILES"


class NotClearable(ApiError):
    code = "NOT_CLEARABLE"


class NotApplicable(ApiError):
    code = "NOT_APPLICABLE"


class RepairNotApplicable(ApiError):
    code = "REPAIR_NOT_APPLICABLE"


class RepairTooEarly(ApiError):
    code = "REPAIR_TOO_EARLY"


class RepairAlreadyOpen(ApiError):
    code = "REPAIR_ALREADY_OPEN"


class ObjectionAlreadyOpen(ApiError):
    code = "OBJECTION_ALREADY_OPEN"


class NotOpen(ApiError):
    code = "NOT_OPEN"


class AlreadyExtended(ApiError):
    code = "ALREADY_EXTENDED"


class DeadlinePassed(ApiError):
    code = "DEADLINE_PASSED"


class CatalogueVersionExists(ApiError):
    code = "CATALOGUE_VERSION_EXISTS"


class ProgrammesVersionExists(ApiError):
    code = "PROGRAMMES_VERSION_EXISTS"


class CalendarNotPublished(ApiError):
    code = "CALENDAR_NOT_PUBLISHED"


class UnitNotAuthorized(ApiError):
    code = "UNIT_NOT_AUTHORIZED"


class CommitmentExists(ApiError):
    code = "COMMITMENT_EXISTS"


class CommitmentNotActive(ApiError):
    code = "COMMITMENT_NOT_ACTIVE"


class AlreadyViolated(ApiError):
    code = "ALREADY_VIOLATED"


class BlacklistBasisInvalid(ApiError):
    code = "BLACKLIST_BASIS_INVALID"


class AlreadyListed(ApiError):
    code = "ALREADY_LISTED"


class NotInForce(ApiError):
    code = "NOT_IN_FORCE"


class RecordNotOnDisplay(ApiError):
    code = "RECORD_NOT_ON_DISPLAY"


class ProgrammeUnknown(ApiError):
    code = "PROGRAMME_UNKNOWN"


class GrantRequired(ApiError):
    code = "GRANT_REQUIRED"


class NotFound(ApiError):
    code = "NOT_FOUND"


class Conflict(ApiError):
    code = "CONFLICT"


class ServiceUnavailable(ApiError):
    code = "SERVICE_UNAVAILABLE"


class Forbidden(ApiError):
    code = "FORBIDDEN"


class ForbiddenFilter(ApiError):
    code = "FORBIDDEN_FILTER"


class CountNotOffered(ApiError):
    code = "COUNT_NOT_OFFERED"


class RateLimited(ApiError):
    code = "RATE_LIMITED"

    def __init__(self, message: str, *, retry_after: int) -> None:
        super().__init__(message)
        self.extensions["retryAfter"] = retry_after


def invalid_argument(exc: ValidationError, names: dict[str, str]) -> InvalidArgument:
    """The first problem of a model built from arguments, naming the argument and the rule."""
    error = exc.errors()[0]
    field = str(error["loc"][0]) if error["loc"] else ""
    argument = names.get(field, field or "input")
    return InvalidArgument(f"{argument}: {error['msg']}", field=argument)


# The refusals with a code of their own among the rules a record must keep (domain.errors);
# any other broken rule is BAD_USER_INPUT.
_PROBLEM_ERRORS: dict[ProblemCode, type[ApiError]] = {
    ProblemCode.NOT_IN_CATALOGUE: NotInCatalogue,
    ProblemCode.UNIT_NOT_AUTHORIZED: UnitNotAuthorized,
    ProblemCode.LEVEL_ABOVE_AUTHORITY: LevelAboveAuthority,
    ProblemCode.CONDUCT_OUTSIDE_EPIDEMIC: ConductOutsideEpidemic,
    ProblemCode.CONDUCT_AFTER_DECISION: ConductAfterDecision,
}


def problem_error(code: ProblemCode, message: str, *, field: str) -> ApiError:
    """A rule a whole record breaks (a correction, a reported breach), refused with the code
    a submitted record gets for it, so a client branches the same way on every write."""
    return _PROBLEM_ERRORS.get(code, InvalidArgument)(message, field=field)
