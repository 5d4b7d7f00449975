"""The Vietnamese catalogue is complete: every message translated, none fuzzy, and the
compiled .mo matches the .po (so a fresh clone shows Vietnamese without gettext tools)."""

import gettext
import re
from pathlib import Path

from django.conf import settings
from django.test import SimpleTestCase

PO = Path(settings.BASE_DIR) / "locale" / "vi" / "LC_MESSAGES" / "django.po"
MO = PO.with_suffix(".mo")


def _unquote(lines: list[str]) -> str:
    return (
        "".join(re.match(r'^\s*"(.*)"\s*$', ln).group(1) for ln in lines)
        .encode()
        .decode("unicode_escape")
        .encode("latin-1")
        .decode("utf-8")
    )


def parse_po(path: Path) -> list[dict]:
    entries, cur, key = [], None, None
    for raw in path.read_text(encoding="utf-8").splitlines() + [""]:
        line = raw.strip()
        if not line:
            if cur is not None:
                entries.append(cur)
            cur, key = None, None
            continue
        cur = cur or {"flags": "", "msgctxt": None, "msgid": [], "msgid_plural": None, "msgstr": {}}
        if line.startswith("#,"):
            cur["flags"] += line
        elif line.startswith("#"):
            continue
        elif line.startswith("msgctxt "):
            key = ("msgctxt",)
            cur["msgctxt"] = [line[8:]]
        elif line.startswith("msgid_plural "):
            key = ("msgid_plural",)
            cur["msgid_plural"] = [line[13:]]
        elif line.startswith("msgid "):
            key = ("msgid",)
            cur["msgid"] = [line[6:]]
        elif line.startswith("msgstr"):
            m = re.match(r"msgstr(?:\[(\d+)\])?\s+(.*)", line)
            key = ("msgstr", int(m.group(1) or 0))
            cur["msgstr"][key[1]] = [m.group(2)]
        elif line.startswith('"') and key:
            if key[0] == "msgstr":
                cur["msgstr"][key[1]].append(line)
            else:
                cur[key[0]].append(line)
    return entries


class CatalogueTests(SimpleTestCase):
    def test_every_message_is_translated_and_none_is_fuzzy(self):
        entries = [e for e in parse_po(PO) if _unquote(e["msgid"])]
        self.assertGreater(len(entries), 100)
        missing = [
            _unquote(e["msgid"]) for e in entries if not all(_unquote(v) for v in e["msgstr"].values())
        ]
        fuzzy = [_unquote(e["msgid"]) for e in entries if "fuzzy" in e["flags"]]
        self.assertEqual(missing, [], "untranslated messages in locale/vi")
        self.assertEqual(fuzzy, [], "fuzzy messages in locale/vi")

    def test_the_compiled_catalogue_matches_the_source(self):
        with MO.open("rb") as fh:
            compiled = gettext.GNUTranslations(fh)
        for e in parse_po(PO):
            msgid = _unquote(e["msgid"])
            if not msgid or e["msgid_plural"] is not None:
                continue
            if e["msgctxt"] is not None:
                msgid = f"{_unquote(e['msgctxt'])}\x04{msgid}"
            self.assertEqual(compiled._catalog.get(msgid), _unquote(e["msgstr"][0]), msgid)
