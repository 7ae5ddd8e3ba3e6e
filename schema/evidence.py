"""Evidence files (证明材料) of repair applications, and the upload that attaches one."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

import strawberry
from strawberry.file_uploads import Upload
from strawberry.types import Info

from domain import evidence
from domain.evidence import FileType
from domain.repair import RepairMeasure
from resolvers import evidence as evidence_resolvers
from resolvers.context import Context
from resolvers.evidence import EvidenceGiven
from schema.enums import described
from schema.errors import UserError, mutation_result

described(
    FileType,
    "The kinds of evidence file accepted, told by the content's signature",
    {
        FileType.PDF: "PDF (application/pdf)",
        FileType.JPEG: "JPEG image (image/jpeg)",
        FileType.PNG: "PNG image (image/png)",
    },
)


@strawberry.type(
    description="证明材料: a file a subject attached to its repair application; listed and "
    "downloaded by the credit centre only"
)
class EvidenceFile:
    id: strawberry.ID = strawberry.field(description="The file's id")
    measure: RepairMeasure = strawberry.field(description="The measure the file shows")
    file_name: str = strawberry.field(description="The name it was uploaded under")
    file_type: FileType = strawberry.field(description="PDF, JPEG or PNG, by its content")
    media_type: str = strawberry.field(description="Its media type, as it is downloaded")
    size: int = strawberry.field(description="Its size in bytes")
    sha256: str = strawberry.field(description="The SHA-256 of its bytes, hexadecimal")
    description: str | None = strawberry.field(description="What the subject said it shows")
    uploaded_at: datetime = strawberry.field(description="When it was attached")
    download_path: str = strawberry.field(
        description="GET it here with a credit-centre token (repair:review)"
    )

    @classmethod
    def of(cls, file: evidence.EvidenceFile) -> EvidenceFile:
        return cls(
            id=strawberry.ID(file.id),
            measure=file.measure,
            file_name=file.file_name,
            file_type=file.file_type,
            media_type=file.file_type.media_type,
            size=file.size,
            sha256=file.sha256,
            description=file.description,
            uploaded_at=file.uploaded_at,
            download_path=evidence_resolvers.download_path(file),
        )


@strawberry.type(description="The file was stored with the application")
class AttachRepairEvidenceSuccess:
    evidence_file: EvidenceFile = strawberry.field(description="The file as stored")

    @classmethod
    def of(cls, file: evidence.EvidenceFile) -> AttachRepairEvidenceSuccess:
        return cls(evidence_file=EvidenceFile.of(file))


AttachRepairEvidenceResult = Annotated[
    AttachRepairEvidenceSuccess | UserError,
    strawberry.union(
        "AttachRepairEvidenceResult",
        description="AttachRepairEvidenceSuccess when stored, or a UserError saying why not",
    ),
]


async def application_evidence_files(
    info: Info[Context, None], *, application_id: str, subject_id: str
) -> list[EvidenceFile]:
    """`RepairApplication.evidenceFiles` (schema/repair.py): the centre's view of the files."""
    found = await evidence_resolvers.evidence_files(
        info.context, application_id=application_id, subject_id=subject_id
    )
    return [EvidenceFile.of(f) for f in found]


@strawberry.type
class EvidenceMutation:
    """Writes of evidence files: fields of the Mutation root (schema/mutation.py)."""

    @strawberry.mutation(
        description="A subject attaches an evidence file (PDF, JPEG or PNG) to its own repair "
        "application before it is decided; sent as a multipart request (GraphQL multipart "
        "request specification) with an Apollo-Require-Preflight header"
    )
    async def attach_repair_evidence(
        self,
        info: Info[Context, None],
        application: Annotated[
            strawberry.ID, strawberry.argument(description="The subject's own application")
        ],
        measure: Annotated[
            RepairMeasure, strawberry.argument(description="The measure the file shows")
        ],
        file: Annotated[
            Upload,
            strawberry.argument(
                description="The file: PDF, JPEG or PNG by content and name, within the size "
                "limit; at most 10 per application"
            ),
        ],
        description: Annotated[
            str | None, strawberry.argument(description="What it shows, 1 to 500 characters")
        ] = None,
    ) -> AttachRepairEvidenceResult:
        given = EvidenceGiven(
            application_id=str(application), measure=measure, description=description
        )
        return await mutation_result(
            evidence_resolvers.attach_repair_evidence(info.context, given, file),
            AttachRepairEvidenceSuccess.of,
        )
