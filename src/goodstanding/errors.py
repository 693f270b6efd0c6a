"""The exception tree of goodstanding.

Everything the product raises on purpose derives from :class:`GoodstandingError`. Only the two front
doors (``cli`` and ``web``) turn these into a message for the user; core code raises them with
structured fields and lets each class compose its own message.

GoodstandingError
├── ConfigError            a setting has a bad value (names the key)
├── InputError             a file or text given by the user cannot be used
│   ├── ReportFormatError  a report file is malformed (names file, line, column, value, hint)
│   └── NoticeReadError    a notice, e-mail or PDF cannot be read
├── NotFoundError          an account, case, import or document does not exist (or is not granted)
├── AlreadyExistsError     a name is taken
├── PermissionDeniedError  the user may see the object but not change it
├── StoreError             the database or warehouse refused an operation
└── DataError              the data held cannot answer the question (no orders, unknown marketplace)
"""

from __future__ import annotations

from pathlib import Path


class GoodstandingError(Exception):
    """Root of every error goodstanding raises on purpose."""

    def __init__(self, message: str, *, hint: str | None = None) -> None:
        self.message = message
        self.hint = hint
        super().__init__(self.__str__())

    def __str__(self) -> str:
        if self.hint:
            return f"{self.message} {self.hint}"
        return self.message


class ConfigError(GoodstandingError):
    """A setting has a value goodstanding cannot use."""

    def __init__(self, key: str, value: object, problem: str) -> None:
        self.key = key
        self.value = value
        super().__init__(f"Setting {key}={value!r}: {problem}")


class InputError(GoodstandingError):
    """A file or text given by the user cannot be used."""


class ReportFormatError(InputError):
    """A report file is malformed; the message names file, line, column and what to do."""

    def __init__(
        self,
        path: str | Path,
        problem: str,
        *,
        line: int | None = None,
        column: str | None = None,
        value: str | None = None,
        hint: str | None = None,
    ) -> None:
        self.path = str(path)
        self.problem = problem
        self.line = line
        self.column = column
        self.value = value
        where = self.path
        if line is not None:
            where += f", line {line}"
        if column is not None:
            where += f", column '{column}'"
        message = f"{where}: {problem}"
        if value is not None:
            message += f" (value {value!r})"
        message += "."
        super().__init__(message, hint=hint)


class NoticeReadError(InputError):
    """A notice (text, e-mail or PDF) cannot be read."""


class NotFoundError(GoodstandingError):
    """An object does not exist, or is not visible to the current user."""

    def __init__(self, kind: str, name: object, *, hint: str | None = None) -> None:
        self.kind = kind
        self.name = name
        super().__init__(f"No {kind} named {name!r}.", hint=hint)


class AlreadyExistsError(GoodstandingError):
    """A name that must be unique is already taken."""

    def __init__(self, kind: str, name: object) -> None:
        self.kind = kind
        self.name = name
        super().__init__(f"A {kind} named {name!r} already exists.")


class PermissionDeniedError(GoodstandingError):
    """The current user may not change this object."""


class StoreError(GoodstandingError):
    """The database or the warehouse refused an operation."""


class DataError(GoodstandingError):
    """The stored data cannot answer the question asked (no orders, unknown marketplace...)."""
