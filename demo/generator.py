"""Realistic, reproducible demo data (DESIGN.md §8): a pure generator of subjects with their
records, in batches so that memory stays flat.

Every draw comes from one `random.Random(seed)`, so a seed always gives the same data, and a run
with more subjects begins with the subjects of a shorter one. `demo.seed` writes it.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from contextlib import suppress
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from demo.records import Case, commitment_type_for, record_values, theme_of
from demo.subjects import Profile, SubjectFactory, basic_values
from demo.units import Document, Unit, document_kind, document_number, source_unit
from domain.calendar import DateWindow
from domain.catalogue import Catalogue, CatalogueItem, Category
from domain.disclosure import Severity, disclosure_period, tolerated
from domain.identifiers import SubjectKind
from domain.records import Record, RecordStatus
from domain.subjects import Subject

BATCH_SIZE = 500  # subjects per batch, with their records
# The first catalogue version takes effect on 2020-01-24: nothing is recorded before it.
DECIDED_FROM = date(2020, 1, 24)
DECIDED_TO = date(2021, 6, 30)
RECORDS_PER_SUBJECT = (1, 9)  # drawn uniformly: five on average
KIND_WEIGHTS = {
    SubjectKind.NATURAL_PERSON: 45,
    SubjectKind.LEGAL_PERSON: 45,
    SubjectKind.OTHER_ORGANIZATION: 10,
}
OPT_OUT_SHARE = 0.03  # of natural persons (Shenzhen regulation art. 39)
SERIOUS_SHARE = 0.25  # of dishonesty records, except tolerable ones
OTHER_UNIT_SHARE = 0.15  # of records of items several unit types may submit, e.g. judgments
_DECIDED_DAYS = (DECIDED_TO - DECIDED_FROM).days + 1
_NEW_ITEMS_PER_SUBJECT = 3


@dataclass(frozen=True)
class DemoBatch:
    """Some subjects and every record about them."""

    subjects: list[Subject]
    records: list[Record]


def generate_demo(
    catalogue: Catalogue,
    *,
    subjects: int,
    seed: int,
    epidemic_window: DateWindow,
    created_at: datetime,
    batch_size: int = BATCH_SIZE,
) -> Iterator[DemoBatch]:
    """Yield `subjects` subjects and their records, at most `batch_size` subjects at a time.

    The batch size does not change the data: subjects are drawn one after another.
    """
    if subjects < 0:
        raise ValueError("the number of demo subjects cannot be negative")
    generator = _Generator(catalogue, random.Random(seed), epidemic_window, created_at)
    for start in range(0, subjects, batch_size):
        yield generator.batch(min(batch_size, subjects - start))


class _Generator:
    """The state of one run: its random source, counters and the items not used yet."""

    def __init__(
        self,
        catalogue: Catalogue,
        rng: random.Random,
        epidemic_window: DateWindow,
        created_at: datetime,
    ) -> None:
        self._catalogue = catalogue
        self._rng = rng
        self._window = epidemic_window
        self._created_at = created_at
        self._people = SubjectFactory(rng)
        self._items = [i for i in catalogue.items if i.category is not Category.BASIC]
        self._themes = {i.code: theme_of(i) for i in self._items}
        self._basic: dict[SubjectKind, CatalogueItem] = {}
        for kind in SubjectKind:
            with suppress(LookupError):  # a catalogue without basic items for a kind
                self._basic[kind] = catalogue.basic_item(kind)
        self._unused = {i.code for i in self._items}
        self._run = f"{rng.getrandbits(32):08X}"  # keeps source record ids apart between seeds
        self._serials: dict[str, int] = {}
        self._numbers: dict[tuple[str, Document, int], int] = {}
        self._made = 0

    def batch(self, size: int) -> DemoBatch:
        subjects: list[Subject] = []
        records: list[Record] = []
        for _ in range(size):
            subject, profile = self._subject()
            subjects.append(subject)
            records.extend(self._record(item, subject, profile) for item in self._items_of(subject))
        return DemoBatch(subjects=subjects, records=records)

    def _subject(self) -> tuple[Subject, Profile]:
        rng = self._rng
        kinds = tuple(KIND_WEIGHTS)
        # The first subjects take each kind in turn, so a small run still has every kind.
        if self._made < len(kinds):
            kind = kinds[self._made]
        else:
            kind = rng.choices(kinds, weights=tuple(KIND_WEIGHTS.values()))[0]
        self._made += 1
        profile = self._people.profile(kind)
        basic_item = self._basic.get(kind)
        subject = Subject(
            id=f"s-{rng.getrandbits(64):016x}",
            kind=kind,
            identifier=profile.identifier,
            name=profile.name,
            basic={} if basic_item is None else basic_values(basic_item, profile),
            opted_out=kind is SubjectKind.NATURAL_PERSON and rng.random() < OPT_OUT_SHARE,
            created_at=self._created_at,
        )
        return subject, profile

    def _items_of(self, subject: Subject) -> list[CatalogueItem]:
        """The items of a subject's records; the first of each item come early in the run."""
        applicable = [
            item
            for item in self._items
            if subject.kind in item.subject_kinds
            # Shenzhen regulation art. 39: such records are not recorded for those who refused.
            and not (subject.opted_out and item.opt_out_allowed)
        ]
        if not applicable:
            return []
        count = self._rng.randint(*RECORDS_PER_SUBJECT)
        new = [item for item in applicable if item.code in self._unused][:_NEW_ITEMS_PER_SUBJECT]
        chosen = new + [self._rng.choice(applicable) for _ in range(count - len(new))]
        self._unused.difference_update(item.code for item in chosen)
        return chosen

    def _record(self, item: CatalogueItem, subject: Subject, profile: Profile) -> Record:
        rng = self._rng
        decided = DECIDED_FROM + timedelta(days=rng.randrange(_DECIDED_DAYS))
        epidemic_related = rng.random() < self._epidemic_share(item, decided)
        severity = None
        if item.category is Category.DISHONEST:
            serious = not item.epidemic_tolerable and rng.random() < SERIOUS_SHARE
            severity = Severity.SERIOUS if serious else Severity.GENERAL
        commitment_type = commitment_type_for(item, epidemic_related, rng)
        unit_type = item.source_unit_types[0]
        if len(item.source_unit_types) > 1 and rng.random() < OTHER_UNIT_SHARE:
            unit_type = rng.choice(item.source_unit_types[1:])
        theme = self._themes[item.code]
        unit = source_unit(
            unit_type,
            theme=theme,
            district=profile.district,
            commitment_type=commitment_type,
            rng=rng,
        )
        document = document_kind(
            unit_type,
            commitment=item.category is Category.COMMITMENT,
            tolerable=item.epidemic_tolerable,
        )
        serial = self._number(unit, document, decided)
        number = document_number(unit, document, decided.year, serial)
        case = Case(
            item=item,
            theme=theme,
            profile=profile,
            decided=decided,
            unit=unit,
            document=document,
            document_number=number,
            severity=severity,
            epidemic_related=epidemic_related,
            commitment_type=commitment_type,
            epidemic_window=self._window,
        )
        return Record(
            id=f"r-{rng.getrandbits(64):016x}",
            subject_id=subject.id,
            subject_kind=subject.kind,
            item_code=item.code,
            catalogue_version=self._catalogue.version,
            category=item.category,
            severity=severity,
            source_unit=unit.code,
            source_record_id=self._source_record_id(unit, decided),
            document_number=number,
            decision_date=decided,
            epidemic_related=epidemic_related,
            data_items=record_values(case, rng, self._people),
            disclosure=disclosure_period(
                rules=self._catalogue.disclosure_rules,
                family=item.disclosure_rule,
                clause=item.clause,
                decision_date=decided,
                severity=severity or Severity.GENERAL,
                dishonest=item.category is Category.DISHONEST,
                epidemic_related=epidemic_related,
                epidemic_window=self._window,
                tolerable=item.epidemic_tolerable,
            ),
            status=self._status(item, decided, epidemic_related),
            created_at=self._created_at,
        )

    def _status(self, item: CatalogueItem, decided: date, epidemic_related: bool) -> RecordStatus:
        """Notice 三(十): a tolerated matter is excused, as when a unit submits it."""
        excused = tolerated(
            tolerable=item.epidemic_tolerable,
            decision_date=decided,
            epidemic_related=epidemic_related,
            epidemic_window=self._window,
        )
        return RecordStatus.EXCUSED if excused else RecordStatus.ACTIVE

    def _epidemic_share(self, item: CatalogueItem, decided: date) -> float:
        """Most records of the notice's items in the window are about the epidemic; few after."""
        if item.epidemic_tolerable:
            return 0.5
        return 0.9 if decided in self._window else 0.1

    def _number(self, unit: Unit, document: Document, decided: date) -> int:
        """The next number in a unit's series for the year, from a random start."""
        key = (unit.code, document, decided.year)
        number = self._numbers.get(key) or self._rng.randint(1, 60)
        self._numbers[key] = number + 1
        return number

    def _source_record_id(self, unit: Unit, decided: date) -> str:
        serial = self._serials.get(unit.code, 0) + 1
        self._serials[unit.code] = serial
        return f"{decided.year}-{self._run}-{serial:06d}"
