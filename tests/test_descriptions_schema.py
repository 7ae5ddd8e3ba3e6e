"""Every type, field, argument, input field and enum value of the served schema is described.

A portal developer reads the API in GraphiQL's docs or in `schema.graphql`; an element without a
description leaves them guessing at units, formats and what null means (issue 10, point 6).
"""

from __future__ import annotations

from graphql import (
    GraphQLEnumType,
    GraphQLInputObjectType,
    GraphQLInterfaceType,
    GraphQLObjectType,
    GraphQLSchema,
    build_schema,
)

from schema import sdl

# The spec's own scalars are described by the specification, not by this API.
BUILT_IN_SCALARS = frozenset({"String", "Int", "Float", "Boolean", "ID"})


def undocumented(schema: GraphQLSchema) -> list[str]:
    """The coordinates (`Type`, `Type.field`, `Type.field(arg:)`, `Enum.VALUE`) with no
    description, skipping introspection types and the built-in scalars."""
    missing: list[str] = []

    def check(coordinate: str, description: str | None) -> None:
        if not (description and description.strip()):
            missing.append(coordinate)

    for name, named in sorted(schema.type_map.items()):
        if name.startswith("__") or name in BUILT_IN_SCALARS:
            continue
        check(name, named.description)
        if isinstance(named, GraphQLObjectType | GraphQLInterfaceType):
            for field_name, field in named.fields.items():
                check(f"{name}.{field_name}", field.description)
                for arg_name, arg in field.args.items():
                    check(f"{name}.{field_name}({arg_name}:)", arg.description)
        elif isinstance(named, GraphQLInputObjectType):
            for field_name, input_field in named.fields.items():
                check(f"{name}.{field_name}", input_field.description)
        elif isinstance(named, GraphQLEnumType):
            for value_name, value in named.values.items():
                check(f"{name}.{value_name}", value.description)
    return missing


def test_every_schema_element_is_described() -> None:
    missing = undocumented(build_schema(sdl()))

    assert not missing, f"{len(missing)} schema elements have no description:\n" + "\n".join(
        missing
    )


def test_the_count_sees_an_undescribed_element() -> None:
    schema = build_schema(
        '"""A described type"""\ntype Query { "Described" a: Int, b(x: Int): Int }'
    )

    assert undocumented(schema) == ["Query.b", "Query.b(x:)"]
