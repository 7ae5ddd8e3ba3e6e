"""What a query surely selects, or may select, below the field being resolved, for reading
values ahead."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from strawberry.types import Info
from strawberry.types.nodes import SelectedField, Selection


def selects(info: Info[Any, Any], *path: str) -> bool:
    """Whether the field being resolved selects the chain of fields `path` (by GraphQL name)
    for certain: through fields and fragments that carry no directive, since @skip and
    @include may drop them. A value read ahead for such a field is always answered."""
    return any(_selects(field.selections, path, surely=True) for field in info.selected_fields)


def may_select(info: Info[Any, Any], *path: str) -> bool:
    """Whether the field being resolved may select the chain of fields `path`: through any
    field or fragment, whatever its directives. A value left unread for a field it may not
    select is never asked for."""
    return any(_selects(field.selections, path, surely=False) for field in info.selected_fields)


def _selects(selections: Sequence[Selection], path: Sequence[str], *, surely: bool) -> bool:
    name, *rest = path
    for selection in selections:
        if selection.directives and surely:
            continue
        if not isinstance(selection, SelectedField):  # a fragment: its fields are the object's
            found = _selects(selection.selections, path, surely=surely)
        else:
            found = selection.name == name and (
                not rest or _selects(selection.selections, rest, surely=surely)
            )
        if found:
            return True
    return False
