"""Render deploy/nginx.conf: fill its {{NAME}} placeholders and print the result.

    python deploy/render_nginx_conf.py --set SERVER_NAME=example.com --set … > itguide.conf

Used by admins (docs/operations.md) and by tests/deploy/, so the file nginx runs in the tests
is the file that is deployed. A comma-separated APP_SERVERS gives its line once per server.
A placeholder left without a value, or a value for none, is refused (exit 2) with the file
and line named, so a half-rendered file never reaches nginx.
"""

import argparse
import re
import sys
from pathlib import Path

TEMPLATE = Path(__file__).resolve().with_name("nginx.conf")
PLACEHOLDER = re.compile(r"\{\{([A-Z_]+)\}\}")
# Values whose line is repeated, once per comma-separated item.
REPEATED = {"APP_SERVERS"}


def render(template: str, values: dict[str, str], name: str) -> str:
    """The template with every placeholder filled; ValueError names what is wrong."""
    lines, used, problems = [], set(), []
    for number, line in enumerate(template.splitlines(keepends=True), start=1):
        if line.lstrip().startswith("#"):
            lines.append(line)
            continue
        names = PLACEHOLDER.findall(line)
        missing = [key for key in names if key not in values]
        problems += [
            f"{name}, line {number}: no value for {{{{{key}}}}} (--set {key}=…)" for key in missing
        ]
        used.update(names)
        repeats = [key for key in names if key in REPEATED and key in values]
        items = values[repeats[0]].split(",") if repeats else [None]
        for item in items:
            lines.append(
                PLACEHOLDER.sub(
                    lambda match, item=item: (
                        item.strip()
                        if match.group(1) in REPEATED
                        else values.get(match.group(1), "")
                    ),
                    line,
                )
            )
    problems += [f"{name} has no placeholder {{{{{key}}}}}" for key in sorted(values.keys() - used)]
    if problems:
        raise ValueError("\n".join(problems))
    return "".join(lines)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--set",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="a placeholder's value (repeat for each)",
    )
    arguments = parser.parse_args(argv)
    values = {}
    for pair in arguments.set:
        key, separator, value = pair.partition("=")
        if not separator:
            parser.error(f"--set {pair}: expected NAME=VALUE")
        values[key.strip()] = value
    try:
        sys.stdout.write(render(TEMPLATE.read_text(), values, "deploy/nginx.conf"))
    except ValueError as error:
        print(error, file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
