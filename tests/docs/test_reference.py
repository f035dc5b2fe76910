"""The generated reference lists every CLI command and option, every setting, every API path and every YAML key.

The pages are generated from the code, so these tests look at the code a second, independent way (Typer's own
registrations, the settings classes found by importing the package, the OpenAPI paths, the pydantic fields)
and check that each thing is on its page. They also hold the prose the code cannot give: a setting or a
playbook/policy key without a Japanese explanation fails here, with the place to write one.
"""

from __future__ import annotations

import importlib
import pkgutil
import re
import typing
from collections.abc import Iterator
from functools import cache
from types import ModuleType
from typing import Any

import pytest
import typer
from pydantic import BaseModel

import hikeshi
from hikeshi.cli import build_app
from hikeshi.guard.policy import PolicyPack
from hikeshi.respond.playbooks import Playbook
from hikeshi.settings import Settings
from tests.docs.reference import load_hook


@cache
def hook() -> ModuleType:
    return load_hook()


@cache
def docsgen(name: str) -> ModuleType:
    """A module of scripts/docsgen (importable once the hook is loaded)."""
    hook()
    return importlib.import_module(f"docsgen.{name}")


@cache
def cli_page() -> str:
    return str(docsgen("cli").cli_page())


@cache
def settings_page() -> str:
    return str(docsgen("cli").settings_page())


def _registered(app: typer.Typer, path: tuple[str, ...] = ()) -> Iterator[tuple[tuple[str, ...], Any]]:
    """(command path, callback) from Typer's registrations, without going through click."""
    for command in app.registered_commands:
        name = command.name or command.callback.__name__.replace("_", "-")  # type: ignore[union-attr]
        yield (*path, name), command.callback
    for group in app.registered_groups:
        assert group.name is not None and group.typer_instance is not None
        yield (*path, group.name), None
        yield from _registered(group.typer_instance, (*path, group.name))


def _option_names(callback: Any) -> list[str]:
    """The long option names a command declares (`--terms`), read from its annotations."""
    names: list[str] = []
    for hint in typing.get_type_hints(callback, include_extras=True).values():
        for extra in getattr(hint, "__metadata__", ()):
            declarations = getattr(extra, "param_decls", None) or ()
            if isinstance(extra, typer.models.OptionInfo):
                names.extend(
                    part
                    for declaration in declarations
                    for part in declaration.split("/")
                    if part.startswith("--")
                )
    return names


COMMANDS = list(_registered(build_app()))


@pytest.mark.parametrize(("path", "callback"), COMMANDS, ids=[" ".join(path) for path, _ in COMMANDS])
def test_every_cli_command_and_option_is_in_the_reference(path: tuple[str, ...], callback: Any) -> None:
    page = cli_page()
    name = " ".join(("hikeshi", *path))
    heading = re.search(rf"^#+ `{re.escape(name)}`$", page, flags=re.MULTILINE)
    assert heading is not None, f"`{name}` is missing from the generated CLI reference"
    if callback is None:
        return
    following = page[heading.end() :]
    section = following[: following.find("\n## ")] if "\n## " in following else following
    section = section.split("\n### ")[0]
    for option in _option_names(callback):
        assert re.search(rf"{re.escape(option)}\b", section), f"{option} of `{name}` is not in the reference"


def _settings_classes() -> list[type[Settings]]:
    """Settings and its subclasses anywhere in the package (every module imported)."""
    for module in pkgutil.walk_packages(hikeshi.__path__, "hikeshi."):
        if ".migrations" in module.name or module.name.endswith("__main__"):
            continue
        importlib.import_module(module.name)
    found: list[type[Settings]] = []
    pending: list[type[Settings]] = [Settings]
    while pending:
        current = pending.pop()
        found.append(current)
        pending.extend(current.__subclasses__())
    return [cls for cls in found if cls.__module__.startswith("hikeshi")]


SETTINGS = sorted({name for cls in _settings_classes() for name in cls.model_fields})


@pytest.mark.parametrize("name", SETTINGS)
def test_every_setting_is_in_the_reference_with_a_japanese_explanation(name: str) -> None:
    assert f"`HIKESHI_{name.upper()}`" in settings_page(), f"HIKESHI_{name.upper()} is not in the reference"
    note = docsgen("notes").SETTING_NOTES.get(name, "")
    assert re.search(r"[\u3040-\u30ff\u4e00-\u9fff]", note), (
        f"setting {name!r} has no Japanese explanation: add one to SETTING_NOTES in scripts/docsgen/notes.py"
    )


def test_environment_variables_read_by_options_are_in_the_reference() -> None:
    page = settings_page()
    for envvar in docsgen("cli").cli_envvars():
        assert f"`{envvar}`" in page
        assert docsgen("notes").ENV_OPTION_NOTES.get(envvar), (
            f"{envvar}: add a Japanese note to ENV_OPTION_NOTES"
        )


@pytest.mark.parametrize("root", [Playbook, PolicyPack], ids=["playbook", "policy"])
def test_every_yaml_key_has_a_japanese_explanation(root: type[BaseModel]) -> None:
    schemas = docsgen("schemas")
    fields = schemas.schema_fields(root)
    assert fields, "no fields found"
    missing = [field for field in fields if field not in docsgen("notes").SCHEMA_NOTES]
    assert not missing, f"add Japanese notes to SCHEMA_NOTES in scripts/docsgen/notes.py for {missing}"
    page = schemas.playbook_page() if root is Playbook else schemas.policy_page()
    for field in fields:
        model, key = field.split(".")
        assert f"### {model}" in page
        assert f"| `{key}` |" in page, f"{field} is not on the schema page"


def test_every_api_operation_is_in_the_reference() -> None:
    document = docsgen("api").openapi_document()
    page = docsgen("api").api_page(document)
    operations = [
        (method.upper(), path)
        for path, item in document["paths"].items()
        for method in item
        if method in ("get", "post", "put", "patch", "delete")
    ]
    assert len(operations) >= 10
    for method, path in operations:
        assert f"## {method} `{path}`" in page, f"{method} {path} is not in the API reference"


def test_reference_pages_are_generated_not_written_by_hand() -> None:
    """A hand-written file under docs/reference would be silently replaced by the generated page."""
    docs = docsgen("markdown").REPOSITORY / "docs" / "reference"
    generated = set(hook().reference_pages())
    if docs.exists():
        clashes = {f"reference/{path.name}" for path in docs.iterdir()} & generated
        assert not clashes, f"remove {clashes}: these pages are generated"
