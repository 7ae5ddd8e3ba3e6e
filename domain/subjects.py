"""Credit subjects (信用主体): the people and organisations a file is kept about."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field

from domain.catalogue import PublicAttribute
from domain.identifiers import SubjectKind


class Subject(BaseModel):
    """A subject with its basic data items (基础信息), keyed as in the catalogue's BASIC item."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str = Field(pattern=r"^[A-Za-z0-9_\-]{1,64}$")
    kind: SubjectKind
    identifier: str
    name: str = Field(min_length=1, max_length=200)
    basic: dict[str, str] = Field(default_factory=dict)
    # Shenzhen regulation art. 39: a person may refuse the recording of commendations,
    # volunteering and donations about them.
    opted_out: bool = False
    created_at: datetime


def met(kind: SubjectKind, level: PublicAttribute, *, on_display: bool) -> bool:
    """Whether a viewer at `level` for a subject may be shown the subject at all.

    Invariant: a viewer below AUTHORIZED meets a natural person only through a record on
    public display (`on_display`). 信用中国 has no person search, and listing persons with
    nothing disclosed publishes personal information for no purpose (PIPL arts. 6, 73;
    Shenzhen regulation art. 38). Organisations are public subjects; the person itself, a
    holder of its grant and whole-file viewers meet anyone.
    """
    if kind is not SubjectKind.NATURAL_PERSON:
        return True
    return on_display or level.allows(PublicAttribute.AUTHORIZED)
