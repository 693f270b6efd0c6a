"""Reading knowledge YAML with line numbers, and validating it against the packaged JSON Schemas.

Every problem in a knowledge file raises :class:`KnowledgeFileError`, which names the file, the
line and the key path (``questions.root_cause[0].suggested[2]``) and quotes the lines around the
fault, so a translator or a maintainer can fix it without reading the loader.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, Final

import yaml
from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError, best_match
from referencing import Registry, Resource

from goodstanding.errors import InputError

KeyPath = tuple[str | int, ...]
"""A path into a loaded document: mapping keys and list indexes."""

SCHEMA_DIR: Final = Path(__file__).parent / "data" / "schema"
SCHEMAS: Final = ("family", "general", "text")
"""The schemas shipped in ``data/schema/<name>.schema.json``."""

_CONTEXT_LINES: Final = 2
_Loader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_TIMESTAMP_TAG: Final = "tag:yaml.org,2002:timestamp"
_QUOTED: Final = re.compile(r"'([^']+)'")


def format_path(path: Iterable[str | int]) -> str:
    """``("questions", "root_cause", 0, "id")`` → ``questions.root_cause[0].id``.

    A key that itself contains dots (an item id) is shown in brackets: ``rules["a.rule.b"].text``.
    """
    text = ""
    for part in path:
        if isinstance(part, int):
            text += f"[{part}]"
        elif "." in part:
            text += f'["{part}"]'
        else:
            text += f".{part}" if text else str(part)
    return text or "(top level)"


def excerpt(lines: list[str], line: int) -> str:
    """The lines around 1-based ``line``, numbered, the faulty one marked with ``>``."""
    if not lines:
        return ""
    first = max(1, line - _CONTEXT_LINES)
    last = min(len(lines), line + _CONTEXT_LINES)
    width = len(str(last))
    quoted = []
    for number in range(first, last + 1):
        marker = ">" if number == line else " "
        quoted.append(f"  {marker} {number:>{width}} | {lines[number - 1].rstrip()}")
    return "\n".join(quoted)


class KnowledgeFileError(InputError):
    """A knowledge file is unreadable, breaks its schema, or disagrees with another file.

    The message names the file, the line and the key path, and quotes the lines around the fault.
    """

    def __init__(
        self,
        path: str | Path,
        problem: str,
        *,
        line: int | None = None,
        key_path: KeyPath | None = None,
        lines: list[str] | None = None,
        hint: str | None = None,
    ) -> None:
        self.path = str(path)
        self.problem = problem
        self.line = line
        self.key_path = format_path(key_path) if key_path is not None else None
        where = self.path
        if line is not None:
            where += f", line {line}"
        if self.key_path is not None:
            where += f", key {self.key_path}"
        message = f"{where}: {problem}"
        if not message.endswith("."):
            message += "."
        self.excerpt = excerpt(lines, line) if lines and line is not None else ""
        if self.excerpt:
            message += "\n" + self.excerpt
        super().__init__(
            message,
            hint=hint or "Fix the file (see data/schema/ for the expected shape) and load again.",
        )

    def __str__(self) -> str:
        # The excerpt spans several lines: put the hint before it would split the quote.
        if self.hint and self.excerpt:
            head, _, quote = self.message.partition("\n")
            return f"{head} {self.hint}\n{quote}"
        return super().__str__()


@dataclass(frozen=True, slots=True)
class Document:
    """A parsed YAML file: its data, its lines, and the line of every key path."""

    path: Path
    data: Any
    lines: list[str]
    marks: Mapping[KeyPath, int]
    key_marks: Mapping[KeyPath, int]

    def line_of(self, path: KeyPath, *, key: bool = False) -> int:
        """The 1-based line of ``path`` (of its key when ``key``), else of its nearest parent."""
        table = self.key_marks if key else self.marks
        probe = tuple(path)
        while probe:
            if probe in table:
                return table[probe]
            if probe in self.marks:
                return self.marks[probe]
            probe = probe[:-1]
        return self.marks.get((), 1)

    def error(
        self, problem: str, path: KeyPath = (), *, key: bool = False, hint: str | None = None
    ) -> KnowledgeFileError:
        """A :class:`KnowledgeFileError` pointing at ``path`` in this file."""
        return KnowledgeFileError(
            self.path,
            problem,
            line=self.line_of(path, key=key),
            key_path=path,
            lines=self.lines,
            hint=hint,
        )


class _Builder:
    """Turns a composed YAML node tree into plain data, recording the line of every path."""

    def __init__(self, path: Path, lines: list[str], loader: yaml.SafeLoader) -> None:
        self.path = path
        self.lines = lines
        self.loader = loader
        self.marks: dict[KeyPath, int] = {}
        self.key_marks: dict[KeyPath, int] = {}

    def fail(self, problem: str, node: yaml.Node, path: KeyPath) -> KnowledgeFileError:
        line = node.start_mark.line + 1
        return KnowledgeFileError(self.path, problem, line=line, key_path=path, lines=self.lines)

    def build(self, node: yaml.Node, path: KeyPath) -> Any:
        self.marks[path] = node.start_mark.line + 1
        if isinstance(node, yaml.MappingNode):
            result: dict[str, Any] = {}
            for key_node, value_node in node.value:
                if not isinstance(key_node, yaml.ScalarNode):
                    raise self.fail("a mapping key must be a plain string", key_node, path)
                key = str(self.loader.construct_scalar(key_node))
                if key == "<<":
                    raise self.fail("merge keys (<<) are not allowed", key_node, path)
                if key in result:
                    raise self.fail(f"duplicate key '{key}'", key_node, (*path, key))
                self.key_marks[(*path, key)] = key_node.start_mark.line + 1
                result[key] = self.build(value_node, (*path, key))
            return result
        if isinstance(node, yaml.SequenceNode):
            return [self.build(child, (*path, index)) for index, child in enumerate(node.value)]
        if node.tag == _TIMESTAMP_TAG:
            # Dates stay strings (the schema checks their format), as JSON would have them.
            return str(node.value)
        return self.loader.construct_object(node, deep=True)


def read_yaml(path: Path) -> Document:
    """Parse one YAML file, keeping the line of every key path.

    Raises:
        KnowledgeFileError: the file cannot be read or is not valid YAML (with its line), has a
            duplicate key, or is empty.
    """
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise KnowledgeFileError(path, f"cannot read the file ({exc.strerror})") from exc
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise KnowledgeFileError(path, "the file is not UTF-8 text", line=line) from exc
    lines = text.splitlines()
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            raise KnowledgeFileError(path, "the file is empty", line=1)
        builder = _Builder(path, lines, loader)
        data = builder.build(node, ())
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = mark.line + 1 if mark is not None else None
        problem = f"invalid YAML: {exc.problem or exc.context}"
        raise KnowledgeFileError(path, problem, line=where, lines=lines) from exc
    except yaml.YAMLError as exc:
        raise KnowledgeFileError(path, f"invalid YAML: {exc}") from exc
    finally:
        loader.dispose()
    return Document(path, data, lines, builder.marks, builder.key_marks)


@cache
def _schemas() -> dict[str, dict[str, Any]]:
    schemas = {}
    for name in SCHEMAS:
        schema = json.loads((SCHEMA_DIR / f"{name}.schema.json").read_text(encoding="utf-8"))
        Draft202012Validator.check_schema(schema)
        schemas[name] = schema
    return schemas


@cache
def validator(name: str) -> Draft202012Validator:
    """The validator of ``data/schema/<name>.schema.json`` (draft 2020-12, formats checked).

    The schemas refer to each other by relative ``$ref`` (``family.schema.json#/$defs/...``);
    all of them are registered under their ``$id`` so those references resolve offline.
    """
    schemas = _schemas()
    registry: Registry[Any] = Registry().with_resources(
        (schema["$id"], Resource.from_contents(schema)) for schema in schemas.values()
    )
    return Draft202012Validator(
        schemas[name], registry=registry, format_checker=Draft202012Validator.FORMAT_CHECKER
    )


def _describe(error: ValidationError) -> tuple[str, KeyPath, bool]:
    path: KeyPath = tuple(error.absolute_path)
    if error.validator == "additionalProperties" and isinstance(error.instance, dict):
        allowed = set(error.schema.get("properties", {}))
        extra = sorted(key for key in error.instance if key not in allowed)
        if extra and allowed:
            known = ", ".join(sorted(allowed))
            return f"unknown key '{extra[0]}' (allowed here: {known})", (*path, extra[0]), True
    if error.validator == "unevaluatedProperties" and isinstance(error.instance, dict):
        quoted = _QUOTED.search(error.message)
        if quoted and quoted.group(1) in error.instance:
            return f"unknown key '{quoted.group(1)}'", (*path, quoted.group(1)), True
    return error.message, path, False


def validate(document: Document, schema: str) -> None:
    """Check ``document`` against the packaged schema ``schema``.

    Raises:
        KnowledgeFileError: the most relevant violation, with line and key path; the message
            counts the others.
    """
    errors = list(validator(schema).iter_errors(document.data))
    if not errors:
        return
    worst = best_match(errors)
    problem, path, on_key = _describe(worst)
    if len(errors) > 1:
        problem += f" (and {len(errors) - 1} more problem(s) in this file)"
    raise document.error(problem, path, key=on_key)
