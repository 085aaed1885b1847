"""Replace the vendored Bot API spec with a newer copy: `make refresh-spec SPEC=path`.

The new file must load as a spec (methods and types) and name its version, so a wrong file
never replaces a good one; the copy is written beside the old one and moved into place.
"""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

from emulator.spec import VENDORED_SPEC, BotApiSpec


class NotASpec(ValueError):
    pass


def refresh_vendored_spec(source: Path, target: Path = VENDORED_SPEC) -> str:
    """Copy `source` over `target` after checking it; returns the version it holds."""
    try:
        data = json.loads(source.read_text(encoding="utf-8"))
        spec = BotApiSpec(data)
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as error:
        raise NotASpec(f"{source} is not a Bot API spec: {error}") from error
    if not spec.version or "sendMessage" not in spec.methods or "Message" not in spec.types:
        raise NotASpec(f"{source} has no version, sendMessage or Message: not a Bot API spec")
    staged = target.with_suffix(".json.new")
    shutil.copyfile(source, staged)
    staged.replace(target)
    return spec.version


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print("usage: python -m emulator.refresh_spec PATH/api.min.json", file=sys.stderr)
        return 2
    try:
        version = refresh_vendored_spec(Path(argv[0]))
    except NotASpec as error:
        print(error, file=sys.stderr)
        return 2
    print(f"{VENDORED_SPEC} now holds {version}; run `make test` to check the bot against it")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
