"""Text as the schedule holds it: in Unicode NFC, whichever way it was typed or pasted."""

from __future__ import annotations

import unicodedata


def nfc(text: str) -> str:
    """Text in Unicode NFC (Hangul typed on a Mac arrives decomposed; a CJK compatibility
    ideograph stands for the ideograph it equals)."""
    if text.isascii() or unicodedata.is_normalized("NFC", text):
        return text
    return unicodedata.normalize("NFC", text)
