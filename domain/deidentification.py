"""Masks judged together: what one viewer sees of a natural person must not identify them.

Shenzhen Social Credit Regulation 2023 art. 38 and PIPL art. 73: personal information is
de-identified before publication, which means the *combination* shown to one viewer, not each
value alone. A resident identity number (GB 11643-1999) is 18 characters: six region digits
(the GB/T 2260 division), eight birth-date digits (YYYYMMDD), a three-digit sequence whose last
digit is odd for men and even for women, and a check character computed from the other 17.
For every access level at which the catalogue does not show the number raw, this module counts
how many numbers still fit everything that level is shown of a person — the identifier's kept
characters, a birth date or month, a region from an address, a gender — across the basic item
and every item of records about persons, and divides by what linking the rest (a surname, a full
name, part of a mobile number) leaves. Fewer than `MIN_CANDIDATES` is an identification.

Levels that see the number raw are out of scope by definition: the catalogue entitles them to
identify the person (the subject itself, a holder of its grant, government sharing).
"""

from __future__ import annotations

from calendar import monthrange
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from operator import itemgetter

from domain.catalogue import Catalogue, CatalogueError, Category
from domain.data_items import DataItemSpec, IdentityPart
from domain.identifiers import SubjectKind
from domain.masking import Mask, MaskKind, PublicAttribute

# A guess at a person's number must be right less than once in 500 with what the viewer can
# link to it: "a few hundred" is the floor issue 8 names, and 500 leaves room for what the
# estimate cannot see (a known employer or school narrows a person further). It keeps what a
# portal may show (ID 6+4 alone: ~3,300 numbers; the district and the surname: ~365,000)
# and refuses what rebuilds a number (ID 6+4 with the birth month: ~3; a birth date with the
# district and the surname: ~10).
MIN_CANDIDATES = 500

ID_LENGTH = 18
_REGION = range(0, 6)
_BIRTH = range(6, 14)
_SEQUENCE = range(14, 17)
_CHECK = 17
# GB/T 2260 has about 3,200 county-level divisions; the divisions left once the first k region
# digits are known (8 areas, 34 provinces, ~340 prefectures, then a handful).
REGIONS_LEFT = (3200, 400, 95, 30, 9, 3, 1)
# A century of living residents' birthdays, in whole years: the estimate needs a span, not
# today's date.
BIRTH_SPAN = (date(1920, 1, 1), date(2019, 12, 31))
# Where the eight YYYYMMDD digits stand in an ISO date "YYYY-MM-DD".
_ISO_DIGITS = {0: 0, 1: 1, 2: 2, 3: 3, 5: 4, 6: 5, 8: 6, 9: 7}
_ISO_LENGTH = 10
# Linking what does not fit into the number: the median person's surname is shared by about
# 1 in 100 (the 100 commonest cover ~85%); a full name by about 1 in 100,000.
SURNAME_SHARE = 1 / 100
FULL_NAME_SHARE = 1 / 100_000
_MOBILE_LENGTH = 11
NAME_LENGTH = 3  # the commonest length of a Chinese name


def kept_positions(mask: Mask | None, length: int) -> frozenset[int]:
    """Which character positions of a fixed-layout value of `length` a mask leaves readable.

    None is the raw value. Mirrors `domain.masking.apply_mask`: KEEP stars a value no longer
    than front + back whole; DATE_MONTH keeps seven characters; NAME keeps the first.
    """
    if mask is None:
        return frozenset(range(length))
    match mask.kind:
        case MaskKind.KEEP:
            if length <= mask.front + mask.back:
                return frozenset()
            return frozenset(range(mask.front)) | frozenset(range(length - mask.back, length))
        case MaskKind.DATE_MONTH:
            return frozenset(range(min(7, length)))
        case MaskKind.NAME:
            return frozenset({0})
        case MaskKind.HIDDEN | MaskKind.ADDRESS:
            return frozenset()


@dataclass
class Knowledge:
    """What one viewer level learns of a person, pooled over every data item it is shown."""

    id_digits: set[int] = field(default_factory=set)
    birth_digits: set[int] = field(default_factory=set)
    region: bool = False
    gender: bool = False
    name_share: float = 1.0
    mobile_digits: set[int] = field(default_factory=set)
    shown: list[str] = field(default_factory=list)

    def learn(self, spec: DataItemSpec, mask: Mask | None) -> None:
        if spec.identity is None or (mask is not None and mask.kind is MaskKind.HIDDEN):
            return
        before = self.snapshot()
        match spec.identity:
            case IdentityPart.RESIDENT_ID:
                self.id_digits |= kept_positions(mask, ID_LENGTH)
            case IdentityPart.BIRTH_DATE:
                kept = kept_positions(mask, _ISO_LENGTH)
                self.birth_digits |= {_ISO_DIGITS[p] for p in kept if p in _ISO_DIGITS}
            case IdentityPart.REGION:
                # Any shown part of an address is taken to name its division: the ADDRESS mask
                # keeps exactly that, and a raw or cut address keeps at least as much.
                self.region = True
            case IdentityPart.GENDER:
                self.gender = True
            case IdentityPart.NAME:
                kept = kept_positions(mask, NAME_LENGTH)
                if kept:
                    # Any part of a name is taken to be the surname, the whole of it the name.
                    full = kept == frozenset(range(NAME_LENGTH))
                    share = FULL_NAME_SHARE if full else SURNAME_SHARE
                    self.name_share = min(self.name_share, share)
            case IdentityPart.MOBILE:
                self.mobile_digits |= kept_positions(mask, _MOBILE_LENGTH)
        if self.snapshot() != before:
            self.shown.append(f"{spec.key} {describe(mask)}")

    def snapshot(self) -> tuple[object, ...]:
        return (
            frozenset(self.id_digits),
            frozenset(self.birth_digits),
            self.region,
            self.gender,
            self.name_share,
            frozenset(self.mobile_digits),
        )

    def candidates(self) -> float:
        """About how many persons' resident identity numbers fit what this level is shown."""
        region_known = self.region or set(_REGION) <= self.id_digits
        regions = 1 if region_known else REGIONS_LEFT[len(self.id_digits & set(_REGION))]
        birth = self.birth_digits | {p - _BIRTH.start for p in self.id_digits & set(_BIRTH)}
        sequence = 10.0 ** len(set(_SEQUENCE) - self.id_digits)
        if self.gender and _SEQUENCE[-1] not in self.id_digits:
            sequence /= 2
        numbers = regions * birthdays_left(frozenset(birth)) * sequence
        if _CHECK in self.id_digits:
            # The check character (mod 11) rules out ten in eleven of the numbers left.
            numbers = max(numbers / 11, 1.0)
        # The mobile's leading 1 tells nothing; each other kept digit keeps a tenth of people.
        mobile_share = 10.0 ** -len(self.mobile_digits - {0})
        return numbers * self.name_share * mobile_share


@cache
def _birthdays() -> tuple[str, ...]:
    """Every birthday of the span (whole years) as YYYYMMDD."""
    first, last = BIRTH_SPAN
    return tuple(
        f"{year:04d}{month:02d}{day:02d}"
        for year in range(first.year, last.year + 1)
        for month in range(1, 13)
        for day in range(1, monthrange(year, month)[1] + 1)
    )


@cache
def birthdays_left(known: frozenset[int]) -> int:
    """The fewest birthdays in the span that share the known YYYYMMDD digits with a person's.

    The fewest, not the mean: the promise holds for every person, and one born on the 31st is
    easier to find than one born on the 15th when only the day's tens digit shows.
    """
    days = _birthdays()
    if not known:
        return len(days)
    return min(Counter(map(itemgetter(*sorted(known)), days)).values())


def describe(mask: Mask | None) -> str:
    if mask is None:
        return "raw"
    if mask.kind is MaskKind.KEEP:
        return f"KEEP({mask.front},{mask.back})"
    return mask.kind.value


def person_items(catalogue: Catalogue) -> list[DataItemSpec]:
    """Every data item shown about a natural person: the basic item's and every record's."""
    return [
        spec
        for item in catalogue.items
        if SubjectKind.NATURAL_PERSON in item.subject_kinds
        for spec in item.data_items
    ]


def knowledge_at(catalogue: Catalogue, level: PublicAttribute) -> Knowledge | None:
    """What `level` is shown of a person; None when it is shown the resident ID raw."""
    basic = catalogue.basic_item(SubjectKind.NATURAL_PERSON)
    if any(
        spec.identity is IdentityPart.RESIDENT_ID and spec.mask_for(level) is None
        for spec in basic.data_items
    ):
        return None
    known = Knowledge()
    for spec in person_items(catalogue):
        known.learn(spec, spec.mask_for(level))
    return known


def identifications(catalogue: Catalogue) -> list[str]:
    """One line per access level whose view of a person combines into an identification."""
    found = []
    for level in PublicAttribute:
        known = knowledge_at(catalogue, level)
        if known is None:
            continue
        left = known.candidates()
        if left < MIN_CANDIDATES:
            found.append(
                f"{level.value} sees {', '.join(known.shown)}: "
                f"{f'about {left:,.0f}' if left >= 1 else 'less than one'} candidates left, "
                f"fewer than {MIN_CANDIDATES}"
            )
    return found


def check_deidentified(catalogue: Catalogue) -> None:
    """Refuse a catalogue whose masks, judged together per level, identify a natural person.

    Invariant: for every access level not entitled to a person's resident identity number,
    everything the catalogue shows it of a person leaves at least `MIN_CANDIDATES` persons.
    """
    if not any(
        i.category is Category.BASIC and SubjectKind.NATURAL_PERSON in i.subject_kinds
        for i in catalogue.items
    ):
        return
    found = identifications(catalogue)
    if found:
        raise CatalogueError(
            f"catalogue {catalogue.version} would identify natural persons (Shenzhen regulation "
            f"art. 38, PIPL art. 73): {'; '.join(found)}"
        )
