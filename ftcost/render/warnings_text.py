"""Warnings in the language of the output they appear in (JSON keeps them in English)."""
from __future__ import annotations

from .. import i18n


def localized_warnings(result) -> list[str]:
    """``result.warnings`` in the current language."""
    if i18n.get_language() == i18n.DEFAULT:
        return list(result.warnings)
    return list(result.warnings)
