"""Every shell and Python example in the documentation runs, so the guides cannot drift from the code.

One test per example. The examples of one page run in page order in one temporary folder (its database, its
files), as a reader following the page would; pages are independent, so two pages run at a time (CI has two
cores). Each example is a real process: `bash` with the project's `.venv/bin` first on PATH (so `hikeshi` is
the installed command) or `.venv/bin/python`. Examples that need the network or a running server are marked in
the page with a reason, which pytest shows as the skip reason.
"""

from __future__ import annotations

import os
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.docs.examples import REPOSITORY, Block, documentation_pages, read_blocks

pytestmark = pytest.mark.slow  # about a minute of real processes on two free cores

VENV_BIN = Path(sys.executable).parent
TIMEOUT_SECONDS = 180
PARALLEL_PAGES = 2

EXAMPLES = [block for page in documentation_pages() for block in read_blocks(page) if block.runnable]


@dataclass(frozen=True)
class Outcome:
    exit_status: int
    output: str


def _environment(folder: Path) -> dict[str, str]:
    """The reader's shell: the project's virtualenv first on PATH, and no HIKESHI_* settings of our own."""
    environment = {key: value for key, value in os.environ.items() if not key.startswith("HIKESHI_")}
    environment["PATH"] = f"{VENV_BIN}{os.pathsep}{environment.get('PATH', '')}"
    environment["HOME"] = str(folder)
    environment["NO_COLOR"] = "1"
    environment["COLUMNS"] = "120"
    return environment


def run_page(page: Path, folder: Path) -> dict[int, Outcome]:
    """Run a page's examples in order in `folder`; files the page defines are written just before the
    example after them. Returns each example's outcome by its line number."""
    for name in ("data", "examples"):
        (folder / name).symlink_to(REPOSITORY / name, target_is_directory=True)
    outcomes: dict[int, Outcome] = {}
    for block in read_blocks(page):
        if block.file_name:
            (folder / block.file_name).write_text(block.code, encoding="utf-8")
            continue
        if not block.runnable or block.skip:
            continue
        if block.language == "python":
            command = [str(VENV_BIN / "python"), "-c", block.code]
        else:
            command = ["bash", "-e", "-o", "pipefail", "-c", block.code]
        try:
            finished = subprocess.run(
                command,
                cwd=folder,
                env=_environment(folder),
                capture_output=True,
                text=True,
                timeout=TIMEOUT_SECONDS,
                check=False,
            )
            outcomes[block.line] = Outcome(finished.returncode, finished.stdout + finished.stderr)
        except subprocess.TimeoutExpired as error:
            outcomes[block.line] = Outcome(-1, f"timed out after {error.timeout} s")
    return outcomes


@pytest.fixture(scope="session")
def outcomes(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> dict[tuple[Path, int], Outcome]:
    """Run every page that has a selected example (all of them in a full run), two pages at a time."""
    selected = set()
    for item in request.session.items:
        parameters = getattr(getattr(item, "callspec", None), "params", {})
        if isinstance(parameters.get("block"), Block):
            selected.add(parameters["block"].page)
    # Longest pages first, so that the two workers finish at about the same time.
    pages = sorted(
        (page for page in documentation_pages() if page in selected),
        key=lambda page: -sum(block.code.count("\n") for block in read_blocks(page) if block.runnable),
    )
    folders = {page: tmp_path_factory.mktemp(page.stem) for page in pages}
    with ThreadPoolExecutor(max_workers=PARALLEL_PAGES) as pool:
        results = dict(zip(pages, pool.map(lambda page: run_page(page, folders[page]), pages), strict=True))
    return {(page, line): outcome for page, found in results.items() for line, outcome in found.items()}


@pytest.mark.parametrize("block", EXAMPLES, ids=[block.location for block in EXAMPLES])
def test_example_runs(block: Block, outcomes: dict[tuple[Path, int], Outcome]) -> None:
    if block.skip:
        pytest.skip(f"{block.location}: {block.skip}")
    outcome = outcomes[(block.page, block.line)]
    assert outcome.exit_status == block.exit_status, (
        f"{block.location}: exit status {outcome.exit_status}, expected {block.exit_status}\n"
        f"--- example ---\n{block.code}--- output ---\n{outcome.output}"
    )
    missing = [line for line in block.expected_output if not _printed(line, outcome.output)]
    assert not missing, (
        f"{block.location}: the page says it prints {missing}, but it printed:\n{outcome.output}"
    )


def _printed(expected: str, output: str) -> bool:
    """Whether one output line holds the expected line; `...` inside it stands for any text in between."""
    pieces = [piece.strip() for piece in expected.split("...") if piece.strip()]
    for line in output.splitlines():
        position = 0
        for piece in pieces:
            found = line.find(piece, position)
            if found < 0:
                break
            position = found + len(piece)
        else:
            return True
    return False


def test_the_guides_carry_runnable_examples() -> None:
    """The examples were found: the install, guard, monitoring and response guides all have some."""
    with_examples = {block.page.relative_to(REPOSITORY).as_posix() for block in EXAMPLES}
    assert {"docs/install.md", "docs/guard.md", "docs/monitor/index.md", "docs/respond.md"} <= with_examples
    pages = {page.relative_to(REPOSITORY).as_posix() for page in documentation_pages()}
    assert with_examples <= pages
