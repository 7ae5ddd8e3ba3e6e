"""The Mutation root: each domain's writes, declared beside its types.

Single-entity mutations return `Success | UserError`; batch mutations answer each item.
"""

from __future__ import annotations

import strawberry

from schema.blacklist import BlacklistMutation
from schema.calendar import CalendarMutation
from schema.cases import CaseMutation
from schema.catalogue import CatalogueMutation
from schema.commitments import CommitmentMutation
from schema.eligibility import EligibilityMutation
from schema.evidence import EvidenceMutation
from schema.grants import GrantMutation
from schema.objections import ObjectionMutation
from schema.records import FilingMutation
from schema.repair import RepairMutation
from schema.reports import ReportMutation
from schema.subjects import BasicDataMutation, RecordingPreferenceMutation
from schema.submission import SubmissionMutation


@strawberry.type(
    description="Writes. Each single-entity mutation returns its Success type or a "
    "UserError with a stable code; refusals of access are errors with "
    "extensions.code"
)
class Mutation(
    # The bases in order give the fields' order in the SDL.
    RepairMutation,
    EvidenceMutation,
    ObjectionMutation,
    RecordingPreferenceMutation,
    CaseMutation,
    CommitmentMutation,
    BlacklistMutation,
    GrantMutation,
    SubmissionMutation,
    BasicDataMutation,
    FilingMutation,
    ReportMutation,
    CatalogueMutation,
    CalendarMutation,
    EligibilityMutation,
):
    pass
