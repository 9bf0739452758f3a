"""Keep the translation catalogs in step with the code: ``python scripts/i18n_catalog.py [--check]``.

Extracts every message the package marks for translation (``_()``,
``N_()``, ``ngettext()``, and the first argument of ``Message()`` when it is a literal) with Babel, and merges them into
``ftcost/locale/<lang>/LC_MESSAGES/ftcost.po``: new messages are added with
an empty translation, messages no longer in the code are dropped, and
existing translations are kept. ``--check`` changes nothing and exits 1
when a message is missing from a catalog or has no translation (the test
suite runs the same check: tests/test_i18n.py).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "ftcost"
KEYWORDS = {"_": None, "N_": None, "ngettext": (1, 2), "Message": None}
LANGUAGES = ("es",)


def extract():
    """The template catalog: every marked message in the package's Python files."""
    from babel.messages.catalog import Catalog
    from babel.messages.extract import extract_from_dir

    template = Catalog(project="ftcost", domain="ftcost")
    for filename, lineno, message, comments, context in extract_from_dir(
        str(PACKAGE), method_map=[("**.py", "python")], keywords=KEYWORDS, comment_tags=("TRANSLATORS:",)
    ):
        template.add(message, None, [(f"ftcost/{filename}", lineno)], auto_comments=comments, context=context)
    return template


def po_path(lang: str) -> Path:
    return PACKAGE / "locale" / lang / "LC_MESSAGES" / "ftcost.po"


def read(lang: str):
    from babel.messages.catalog import Catalog
    from babel.messages.pofile import read_po

    path = po_path(lang)
    if not path.exists():
        return Catalog(locale=lang, project="ftcost", domain="ftcost")
    with open(path, "rb") as fh:
        return read_po(fh, locale=lang, domain="ftcost")


def missing(template, catalog) -> list[str]:
    """Messages of the template that the catalog lacks or leaves untranslated."""
    out = []
    for m in template:
        if not m.id:
            continue
        have = catalog.get(m.id)
        if have is None or have.fuzzy:
            out.append(m.id if isinstance(m.id, str) else m.id[0])
            continue
        strings = have.string if isinstance(have.string, (list, tuple)) else [have.string]
        if not all(strings):
            out.append(m.id if isinstance(m.id, str) else m.id[0])
    return out


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--check", action="store_true", help="change nothing; exit 1 when a message has no translation")
    a = ap.parse_args(argv)
    template = extract()
    bad = 0
    for lang in LANGUAGES:
        catalog = read(lang)
        if a.check:
            gaps = missing(template, catalog)
            for g in gaps:
                print(f"{po_path(lang).relative_to(ROOT)}: no translation for {g!r}", file=sys.stderr)
            bad += len(gaps)
            continue
        from babel.messages.pofile import write_po

        catalog.update(template, no_fuzzy_matching=True)
        catalog.obsolete.clear()
        po_path(lang).parent.mkdir(parents=True, exist_ok=True)
        with open(po_path(lang), "wb") as fh:
            write_po(fh, catalog, width=100, omit_header=False, sort_output=False, include_lineno=False)
        print(f"wrote {po_path(lang).relative_to(ROOT)}: {len(template)} messages, {len(missing(template, catalog))} untranslated")
    return 1 if bad else 0


if __name__ == "__main__":
    raise SystemExit(main())
