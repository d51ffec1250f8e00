"""Rules for text that comes from outside (requests, content files), shared by every app.

- Control characters: a NUL or an escape code has no place in a title, a body, a cookie or an
  address. PostgreSQL refuses NUL outright (a 500 where SQLite stores it), and NUL is the
  whole-page cache's hole marker (siteops.page_cache), so text that reaches a page must not
  hold one. `control_characters()` finds them (with their lines, for content files) and
  `without_control_characters()` removes them; tab, line feed and carriage return are text.

Pure functions: nothing here imports from an app.
"""

import re

# C0 controls but tab, LF and CR; DEL; C1 controls.
CONTROL_CHARACTER = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def without_control_characters(text: str) -> str:
    return CONTROL_CHARACTER.sub("", text)


def control_characters(text: str) -> list[tuple[int, str]]:
    """(line number, character's name like U+0000) of each line holding a control character."""
    found = []
    for number, line in enumerate(text.split("\n"), start=1):
        match = CONTROL_CHARACTER.search(line)
        if match:
            found.append((number, f"U+{ord(match.group()):04X}"))
    return found
