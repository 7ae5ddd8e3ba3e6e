"""The Query root: each domain's reads, declared beside its types."""

from __future__ import annotations

import strawberry

from schema.audit import AuditQuery
from schema.blacklist import BlacklistQuery
from schema.calendar import CalendarQuery
from schema.cases import CaseQuery
from schema.catalogue import CatalogueQuery
from schema.commitments import CommitmentQuery
from schema.eligibility import EligibilityQuery
from schema.financing import FinancingQuery
from schema.grants import GrantQuery
from schema.objections import ObjectionQuery
from schema.public_lists import PublicListQuery
from schema.records import RecordQuery
from schema.repair import RepairQuery
from schema.reports import ReportQuery
from schema.subjects import SubjectQuery
from schema.viewer import ViewerQuery


@strawberry.type(
    description="Reads. What each field returns depends on who asks (the "
    "bearer token's role, org and scopes); records are masked by "
    "their public attribute (公开属性) for the viewer"
)
class Query(
    # The bases in order give the fields' order in the SDL.
    RepairQuery,
    ObjectionQuery,
    CommitmentQuery,
    BlacklistQuery,
    EligibilityQuery,
    FinancingQuery,
    ViewerQuery,
    CatalogueQuery,
    CalendarQuery,
    SubjectQuery,
    RecordQuery,
    PublicListQuery,
    GrantQuery,
    AuditQuery,
    CaseQuery,
    ReportQuery,
):
    pass
