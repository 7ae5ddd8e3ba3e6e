"""The viewer of a request and their access level for each subject (DESIGN.md §5)."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

from domain.masking import PublicAttribute


class Scope:
    """Token scopes, as in DESIGN.md §5."""

    SUBJECT_SELF = "subject:self"
    GRANTS_WRITE = "grants:write"
    REPAIR_APPLY = "repair:apply"
    FINANCING_READ = "financing:read"
    ELIGIBILITY_READ = "eligibility:read"
    RECORDS_READ = "records:read"
    RECORDS_SUBMIT = "records:submit"
    CATALOGUE_WRITE = "catalogue:write"
    REPAIR_REVIEW = "repair:review"
    BLACKLIST_WRITE = "blacklist:write"
    AUDIT_READ = "audit:read"
    RESTRICTED_READ = "restricted:read"
    CASES_WRITE = "cases:write"


class Viewer(BaseModel):
    """The holder of a request's token, or the anonymous portal viewer."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    sub: str | None = None
    scopes: frozenset[str] = frozenset()
    org: str | None = None
    unit: str | None = None
    subject_id: str | None = None
    token_id: str | None = None
    role: str | None = None
    purpose: str | None = None

    @classmethod
    def anonymous(cls) -> Viewer:
        return cls()

    @property
    def authenticated(self) -> bool:
        return self.sub is not None

    def has(self, scope: str) -> bool:
        return scope in self.scopes

    @property
    def base_level(self) -> PublicAttribute:
        """The level that holds for every subject, before grants and self-access."""
        if self.has(Scope.RESTRICTED_READ):
            return PublicAttribute.RESTRICTED
        if self.has(Scope.RECORDS_READ):
            return PublicAttribute.GOVERNMENT
        return PublicAttribute.PUBLIC

    def owns(self, subject_id: str) -> bool:
        """Whether this is the subject's own token."""
        return self.subject_id == subject_id and self.has(Scope.SUBJECT_SELF)

    def level_for(self, subject_id: str, *, granted: bool = False) -> PublicAttribute:
        """The viewer's level for one subject: raised to AUTHORIZED by self-access or a grant."""
        level = self.base_level
        if (self.owns(subject_id) or granted) and not level.allows(PublicAttribute.AUTHORIZED):
            return PublicAttribute.AUTHORIZED
        return level
