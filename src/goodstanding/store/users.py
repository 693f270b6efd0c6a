"""Reads and writes of users, account grants, API tokens, sign-in attempts and secrets.

Like :mod:`goodstanding.store.repositories`, each repository wraps one session and returns frozen
records. Hashing, token generation and encryption happen above, in ``workspace.users``: this
module only stores what it is given (password hashes, token digests, ciphertexts).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import delete, func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from goodstanding.errors import AlreadyExistsError, NotFoundError
from goodstanding.store.models import (
    Account,
    AccountGrant,
    ApiToken,
    AppSecret,
    LoginAttempt,
    User,
)

_USERS_HINT = "List the users with `goodstanding users list`."


@dataclass(frozen=True)
class UserRecord:
    """A user as the rest of goodstanding sees it (never the password hash)."""

    id: int
    name: str
    role: str
    language: str | None
    created_at: datetime

    @property
    def is_admin(self) -> bool:
        """Whether the user may manage users and settings."""
        return self.role == "admin"

    def to_json(self) -> dict[str, Any]:
        """The user as a JSON-ready dict."""
        return {
            "name": self.name,
            "role": self.role,
            "language": self.language,
            "created_at": self.created_at.isoformat(),
        }


@dataclass(frozen=True)
class GrantRecord:
    """One user's access to one account."""

    user: str
    account: str
    account_id: int
    role: str
    granted_at: datetime

    def to_json(self) -> dict[str, Any]:
        """The grant as a JSON-ready dict."""
        return {
            "user": self.user,
            "account": self.account,
            "role": self.role,
            "granted_at": self.granted_at.isoformat(),
        }


@dataclass(frozen=True)
class TokenRecord:
    """An API token as listed (its secret is never kept)."""

    id: int
    user: str
    label: str | None
    created_at: datetime
    last_used_at: datetime | None

    def to_json(self) -> dict[str, Any]:
        """The token's metadata as a JSON-ready dict."""
        return {
            "id": self.id,
            "user": self.user,
            "label": self.label,
            "created_at": self.created_at.isoformat(),
            "last_used_at": self.last_used_at.isoformat() if self.last_used_at else None,
        }


def _user(row: User) -> UserRecord:
    return UserRecord(
        id=row.id,
        name=row.name,
        role=row.role,
        language=row.language,
        created_at=row.created_at,
    )


class UserRepository:
    """Users by name, with their password hashes."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def _row(self, name: str) -> User:
        row = self.session.scalar(select(User).where(User.name == name))
        if row is None:
            raise NotFoundError("user", name, hint=_USERS_HINT)
        return row

    def find(self, name: str) -> UserRecord | None:
        """The user called ``name``, or None."""
        row = self.session.scalar(select(User).where(User.name == name))
        return None if row is None else _user(row)

    def get(self, name: str) -> UserRecord:
        """The user called ``name``.

        Raises:
            NotFoundError: there is none.
        """
        return _user(self._row(name))

    def by_id(self, user_id: int) -> UserRecord | None:
        """The user with this id, or None."""
        row = self.session.get(User, user_id)
        return None if row is None else _user(row)

    def password_hash(self, name: str) -> str | None:
        """The stored password hash of the user, or None when there is no such user."""
        value: str | None = self.session.scalar(select(User.password_hash).where(User.name == name))
        return value

    def password_hash_by_id(self, user_id: int) -> str | None:
        """The stored password hash of the user with this id, or None."""
        value: str | None = self.session.scalar(
            select(User.password_hash).where(User.id == user_id)
        )
        return value

    def all(self) -> list[UserRecord]:
        """Every user, by name."""
        return [_user(row) for row in self.session.scalars(select(User).order_by(User.name))]

    def count_admins(self) -> int:
        """How many admins there are."""
        return int(
            self.session.scalar(select(func.count()).select_from(User).where(User.role == "admin"))
            or 0
        )

    def add(self, name: str, *, role: str, password_hash: str, created_at: datetime) -> UserRecord:
        """Add a user.

        Raises:
            AlreadyExistsError: the name is taken.
        """
        if self.find(name) is not None:
            raise AlreadyExistsError("user", name)
        row = User(name=name, role=role, password_hash=password_hash, created_at=created_at)
        self.session.add(row)
        try:
            self.session.flush()
        except IntegrityError:
            raise AlreadyExistsError("user", name) from None
        return _user(row)

    def update(self, name: str, **fields: Any) -> UserRecord:
        """Change some of ``role``, ``password_hash``, ``language``.

        Raises:
            NotFoundError: there is no such user.
        """
        row = self._row(name)
        for key, value in fields.items():
            setattr(row, key, value)
        self.session.flush()
        return _user(row)

    def delete(self, name: str) -> None:
        """Delete a user with their grants and tokens.

        Raises:
            NotFoundError: there is no such user.
        """
        row = self._row(name)
        self.session.execute(delete(User).where(User.id == row.id))


class GrantRepository:
    """Which user may see which account, and with which role."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def _select(self) -> Any:
        return (
            select(User.name, Account.name, Account.id, AccountGrant.role, AccountGrant.granted_at)
            .join(User, User.id == AccountGrant.user_id)
            .join(Account, Account.id == AccountGrant.account_id)
        )

    def of_user(self, user_id: int) -> list[GrantRecord]:
        """The user's grants, by account name."""
        rows = self.session.execute(
            self._select().where(AccountGrant.user_id == user_id).order_by(Account.name)
        )
        return [GrantRecord(*row) for row in rows]

    def of_account(self, account_id: int) -> list[GrantRecord]:
        """The grants on an account, by user name."""
        rows = self.session.execute(
            self._select().where(AccountGrant.account_id == account_id).order_by(User.name)
        )
        return [GrantRecord(*row) for row in rows]

    def find(self, user_id: int, account_name: str) -> GrantRecord | None:
        """The user's grant on the account called ``account_name``, or None."""
        row = self.session.execute(
            self._select().where(AccountGrant.user_id == user_id, Account.name == account_name)
        ).first()
        return None if row is None else GrantRecord(*row)

    def set(self, user_id: int, account_id: int, role: str, granted_at: datetime) -> None:
        """Grant ``role`` on the account, replacing an earlier grant."""
        row = self.session.scalar(
            select(AccountGrant).where(
                AccountGrant.user_id == user_id, AccountGrant.account_id == account_id
            )
        )
        if row is None:
            self.session.add(
                AccountGrant(
                    user_id=user_id, account_id=account_id, role=role, granted_at=granted_at
                )
            )
        else:
            row.role = role
            row.granted_at = granted_at
        self.session.flush()

    def remove(self, user_id: int, account_id: int) -> bool:
        """Remove the grant; whether there was one."""
        result = self.session.execute(
            delete(AccountGrant).where(
                AccountGrant.user_id == user_id, AccountGrant.account_id == account_id
            )
        )
        return bool(getattr(result, "rowcount", 0))


class TokenRepository:
    """API tokens, found by the SHA-256 digest of their secret."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, user_id: int, token_hash: str, label: str | None, created_at: datetime) -> int:
        """Store a new token's digest; its id."""
        row = ApiToken(user_id=user_id, token_hash=token_hash, label=label, created_at=created_at)
        self.session.add(row)
        self.session.flush()
        return row.id

    def find(self, token_hash: str) -> tuple[int, int, datetime | None] | None:
        """The (token id, user id, last use) of the token with this digest, or None."""
        row = self.session.execute(
            select(ApiToken.id, ApiToken.user_id, ApiToken.last_used_at).where(
                ApiToken.token_hash == token_hash
            )
        ).first()
        return None if row is None else (row[0], row[1], row[2])

    def touch(self, token_id: int, when: datetime) -> None:
        """Note that the token was used."""
        self.session.execute(
            update(ApiToken).where(ApiToken.id == token_id).values(last_used_at=when)
        )

    def of_user(self, user_id: int) -> list[TokenRecord]:
        """The user's tokens, oldest first."""
        rows = self.session.execute(
            select(
                ApiToken.id, User.name, ApiToken.label, ApiToken.created_at, ApiToken.last_used_at
            )
            .join(User, User.id == ApiToken.user_id)
            .where(ApiToken.user_id == user_id)
            .order_by(ApiToken.id)
        )
        return [TokenRecord(*row) for row in rows]

    def remove(self, user_id: int, token_id: int | None = None) -> int:
        """Remove one of the user's tokens (or all of them); how many were removed."""
        statement = delete(ApiToken).where(ApiToken.user_id == user_id)
        if token_id is not None:
            statement = statement.where(ApiToken.id == token_id)
        result = self.session.execute(statement)
        return int(getattr(result, "rowcount", 0) or 0)


class LoginAttemptRepository:
    """Recent sign-in attempts, for throttling."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, user_name: str, remote: str, *, succeeded: bool, when: datetime) -> None:
        """Record one attempt."""
        self.session.add(
            LoginAttempt(
                user_name=user_name[:100],
                remote=remote[:64],
                succeeded=succeeded,
                attempted_at=when,
            )
        )
        self.session.flush()

    def failures(
        self, *, since: datetime, user_name: str | None = None, remote: str | None = None
    ) -> int:
        """Failed attempts since ``since`` for this user name or this remote address."""
        statement = (
            select(func.count())
            .select_from(LoginAttempt)
            .where(LoginAttempt.attempted_at >= since, LoginAttempt.succeeded.is_(False))
        )
        if user_name is not None:
            statement = statement.where(LoginAttempt.user_name == user_name[:100])
        if remote is not None:
            statement = statement.where(LoginAttempt.remote == remote[:64])
        return int(self.session.scalar(statement) or 0)

    def clear(self, user_name: str) -> None:
        """Forget the failed attempts of a user name (after a successful sign-in)."""
        self.session.execute(
            delete(LoginAttempt).where(
                LoginAttempt.user_name == user_name[:100], LoginAttempt.succeeded.is_(False)
            )
        )

    def prune(self, before: datetime) -> None:
        """Forget attempts older than ``before``."""
        self.session.execute(delete(LoginAttempt).where(LoginAttempt.attempted_at < before))


class SecretRepository:
    """Encrypted secret settings by name."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def get(self, name: str) -> str | None:
        """The ciphertext stored under ``name``, or None."""
        value: str | None = self.session.scalar(
            select(AppSecret.ciphertext).where(AppSecret.name == name)
        )
        return value

    def set(self, name: str, ciphertext: str, when: datetime) -> None:
        """Store (or replace) the ciphertext under ``name``."""
        row = self.session.get(AppSecret, name)
        if row is None:
            self.session.add(AppSecret(name=name, ciphertext=ciphertext, updated_at=when))
        else:
            row.ciphertext = ciphertext
            row.updated_at = when
        self.session.flush()

    def remove(self, name: str) -> None:
        """Forget the secret stored under ``name``."""
        self.session.execute(delete(AppSecret).where(AppSecret.name == name))
