"""Reading a planner's or a workbook's word for one of a fixed set of choices (a status, a purpose,
a bioreactor type, an equipment role): any case, spaces and punctuation ignored, common synonyms."""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum
from typing import TypeVar

Choice = TypeVar("Choice", bound=StrEnum)


def choice_key(text: str) -> str:
    """``text`` lower-cased with everything but letters and digits dropped (``In-progress`` and
    ``in progress`` both read ``inprogress``)."""
    return "".join(ch for ch in text.lower() if ch.isalnum())


def parse_choice(
    kind: type[Choice],
    text: str,
    synonyms: Mapping[str, Choice],
    noun: str,
    use: str,
    blank: Choice | None = None,
) -> Choice:
    """The member of ``kind`` that ``text`` names, by value or by a ``synonyms`` key (both compared
    as :func:`choice_key`); ``blank`` for empty text when given. Otherwise ``ValueError`` saying
    ``unknown {noun} 'text' (use {use})``."""
    key = choice_key(text)
    if not key and blank is not None:
        return blank
    for member in kind:
        if key == choice_key(member.value):
            return member
    if key in synonyms:
        return synonyms[key]
    raise ValueError(f"unknown {noun} {text!r} (use {use})")


def one_of(kind: type[StrEnum]) -> str:
    """``one of: A, B, C`` for an error message."""
    return "one of: " + ", ".join(member.value for member in kind)
