"""The repository stands on its own: a clone with nothing beside it has every file its
documents link to and its code reads."""

from __future__ import annotations

import io
import re
import tokenize
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
# Folders a working copy makes for itself; nothing in them is part of the repository.
LOCAL_FOLDERS = {".git", ".venv", ".mypy_cache", ".ruff_cache", ".pytest_cache", ".hypothesis"}
LOCAL_FOLDERS |= {"build", "dist", "data", "node_modules"}
LINK = re.compile(r"!?\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
EXTERNAL = re.compile(r"^(?:[a-z][a-z0-9+.-]*:|#)", re.IGNORECASE)
# `Path(__file__).resolve().parents[N]` or a chain of `.parent`: how far up a module looks.
PARENTS_INDEX = re.compile(r"Path\(__file__\)(?:\.resolve\(\))?\.parents\[(\d+)\]")
PARENT_CHAIN = re.compile(r"Path\(__file__\)(?:\.resolve\(\))?((?:\.parent)+)")


def repository_files(pattern: str) -> list[Path]:
    return sorted(
        path
        for path in ROOT.rglob(pattern)
        if path.is_file() and not LOCAL_FOLDERS & set(path.relative_to(ROOT).parts[:-1])
    )


def markdown_links(path: Path) -> list[str]:
    text = path.read_text(encoding="utf-8")
    text = re.sub(r"`[^`\n]*`", "", text)  # code spans are examples, not links
    return [target for target in LINK.findall(text) if not EXTERNAL.match(target)]


def test_the_repository_has_markdown_files_with_links() -> None:
    # Guards the test below against finding nothing to check.
    assert any(markdown_links(path) for path in repository_files("*.md"))


@pytest.mark.parametrize(
    "document", repository_files("*.md"), ids=lambda p: str(p.relative_to(ROOT))
)
def test_every_relative_link_resolves_inside_the_repository(document: Path) -> None:
    broken = []
    for target in markdown_links(document):
        resolved = (document.parent / target.split("#", 1)[0]).resolve()
        if not resolved.is_relative_to(ROOT) or not resolved.exists():
            broken.append(target)
    assert broken == [], f"{document.relative_to(ROOT)} links to {broken}"


def _string_literals(source: str) -> list[str]:
    tokens = tokenize.generate_tokens(io.StringIO(source).readline)
    return [token.string for token in tokens if token.type == tokenize.STRING]


def reaches_outside(path: Path, root: Path = ROOT) -> list[str]:
    """What in a Python file names a path above the repository's root."""
    source = path.read_text(encoding="utf-8")
    depth = len(path.relative_to(root).parts) - 1  # parents[depth] is the root itself
    found = [f"parents[{n}]" for n in map(int, PARENTS_INDEX.findall(source)) if n > depth]
    found += [
        f"{chain.count('.parent')} × .parent"
        for chain in PARENT_CHAIN.findall(source)
        if chain.count(".parent") > depth + 1
    ]
    found += [s for s in _string_literals(source) if "../" in s or "/work/" in s]
    return found


@pytest.mark.parametrize("module", repository_files("*.py"), ids=lambda p: str(p.relative_to(ROOT)))
def test_no_code_or_test_reads_a_path_outside_the_repository(module: Path) -> None:
    if module == Path(__file__).resolve():
        return  # this file names those patterns in order to look for them
    assert reaches_outside(module) == []


@pytest.mark.parametrize("script", ["Makefile", ".ci/run", "pyproject.toml"])
def test_build_files_stay_inside_the_repository(script: str) -> None:
    text = (ROOT / script).read_text(encoding="utf-8")
    assert "../" not in text and "shared/" not in text


def test_the_outside_path_check_catches_what_it_looks_for(tmp_path: Path) -> None:
    planted = tmp_path / "tests" / "bot" / "test_planted.py"
    planted.parent.mkdir(parents=True)
    planted.write_text(
        "from pathlib import Path\n"
        'A = Path(__file__).resolve().parents[3] / "shared"\n'
        "B = Path(__file__).parent.parent.parent.parent\n"
        'C = "../shared/bot-api-spec/api.min.json"\n'
        'INSIDE = Path(__file__).resolve().parents[2] / "data"\n'
    )
    assert reaches_outside(planted, root=tmp_path) == [
        "parents[3]",
        "4 × .parent",
        '"../shared/bot-api-spec/api.min.json"',
    ]
