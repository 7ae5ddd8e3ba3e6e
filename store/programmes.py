"""The incentive programmes and the financing grade, shipped as a data file."""

from __future__ import annotations

import tomllib
from functools import cache
from importlib import resources

from domain.grading import IncentiveRules, parse_rules

PROGRAMMES_FILE = "default_programmes.toml"


def read_programme_text() -> str:
    return resources.files("store").joinpath(PROGRAMMES_FILE).read_text("utf-8")


@cache
def read_default_rules() -> IncentiveRules:
    """The rules in `default_programmes.toml`, read once; a bad file raises a ValueError."""
    return parse_rules(tomllib.loads(read_programme_text()))
