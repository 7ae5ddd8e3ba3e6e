"""What a query surely selects below the field being resolved, for reading values ahead."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from strawberry.types import Info
from strawberry.types.nodes import SelectedField, Selection


def selects(info: Info[Any, Any], *path: str) -> bool:
    """Whether the field being resolved selects the chain of fields `path` (by GraphQL name)
    for certain: through fields and fragments that carry no directive, since @skip and
    @include may drop them. A value read ahead for such a field is always answered."""
    return any(_selects(field.selections, path) for field in info.selected_fields)


def _selects(selections: Sequence[Selection], path: Sequence[str]) -> bool:
    name, *rest = path
    for selection in selections:
        if selection.directives:
            continue
        if not isinstance(selection, SelectedField):  # a fragment: its fields are the object's
            found = _selects(selection.selections, path)
        else:
            found = selection.name == name and (not rest or _selects(selection.selections, rest))
        if found:
            return True
    return False
