"""Warnings in the language of the output they appear in (the JSON keeps them in English)."""

from __future__ import annotations


def localized_warnings(result) -> list[str]:
    """``result.warnings`` in the current language of :mod:`ftcost.i18n`."""
    return result.warnings_in_language()
