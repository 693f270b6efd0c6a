"""Users, their access to accounts, API tokens, sign-in throttling and encrypted secrets.

Exposed as ``Workspace.users`` and ``Workspace.secrets``. A user sees an account only through a
grant (``owner``, ``editor`` or ``viewer``); :meth:`Users.access` is the one place that checks
it, and answers a missing grant exactly like a missing account (``NotFoundError``), so nobody
learns which accounts other tenants hold. Admins manage users and settings; they too see only
the accounts granted to them, but may grant any account.

Passwords are hashed with argon2; API tokens are random and only their SHA-256 is stored; the
key signing web sessions and the key encrypting secrets are files in the home (mode 0600),
never rows of the database.
"""

from __future__ import annotations

import hashlib
import os
import secrets as random_secrets
import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from goodstanding.errors import (
    AlreadyExistsError,
    InputError,
    NotFoundError,
    PermissionDeniedError,
    StoreError,
)
from goodstanding.store.repositories import AccountRecord, AccountRepository
from goodstanding.store.users import (
    GrantRecord,
    GrantRepository,
    LoginAttemptRepository,
    SecretRepository,
    TokenRecord,
    TokenRepository,
    UserRecord,
    UserRepository,
)
from goodstanding.types import DEFAULT_MARKETPLACE, AccountType

if TYPE_CHECKING:
    from cryptography.fernet import Fernet

    from goodstanding.workspace import Workspace

__all__ = [
    "ACCOUNT_ROLES",
    "USER_ROLES",
    "AccountAccess",
    "GrantRecord",
    "Secrets",
    "SignInThrottledError",
    "TokenRecord",
    "UserRecord",
    "Users",
]

USER_ROLES = ("admin", "member")
"""Roles of users: admins manage users and settings, members use the accounts granted to them."""

ACCOUNT_ROLES = ("owner", "editor", "viewer")
"""Roles on an account: owners also share and delete it, editors change it, viewers only look."""

MIN_PASSWORD_LENGTH = 8
FAILURES_PER_NAME = 5
"""Failed sign-ins of one user name within :data:`THROTTLE_WINDOW` before it is refused."""
FAILURES_PER_REMOTE = 20
"""Failed sign-ins from one address within :data:`THROTTLE_WINDOW` before it is refused."""
THROTTLE_WINDOW = timedelta(minutes=15)
TOKEN_PREFIX = "gs_"
SECRET_KEY_FILE = "secret_key"
ENCRYPTION_KEY_FILE = "encryption.key"
_NAME_LIMIT = 100
_TOUCH_EVERY = timedelta(minutes=5)
_NOT_GRANTED_HINT = "List the accounts with `goodstanding accounts list`."

# Module-level so tests can swap in a cheaper hasher; the defaults are argon2id's RFC 9106 ones.
_HASHER = PasswordHasher()


_DUMMY: list[str] = []


def _dummy_hash() -> str:
    if not _DUMMY:
        _DUMMY.append(_HASHER.hash(random_secrets.token_urlsafe(16)))
    return _DUMMY[0]


class SignInThrottledError(PermissionDeniedError):
    """Too many failed sign-ins for this user name or from this address."""


@dataclass(frozen=True)
class AccountAccess:
    """An account together with a user's role on it."""

    account: AccountRecord
    role: str
    user: UserRecord

    @property
    def name(self) -> str:
        """The account's name."""
        return self.account.name

    @property
    def can_edit(self) -> bool:
        """Whether the user may change the account's data (owner or editor)."""
        return self.role in ("owner", "editor")

    @property
    def is_owner(self) -> bool:
        """Whether the user may share or delete the account."""
        return self.role == "owner"

    def to_json(self) -> dict[str, Any]:
        """The account as a JSON-ready dict, with the user's role."""
        return {**self.account.to_json(), "role": self.role}


def _now() -> datetime:
    return datetime.now(UTC)


def _check_user_name(name: str) -> str:
    if (
        not name
        or name != name.strip()
        or len(name) > _NAME_LIMIT
        or any(not (c.isalnum() or c in "-_.@") for c in name)
    ):
        raise InputError(
            f"The user name {name!r} is not usable.",
            hint=f"Use up to {_NAME_LIMIT} letters, digits and - _ . @ (e.g. alice).",
        )
    return name


def _check_password(password: str) -> str:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise InputError(
            f"The password is shorter than {MIN_PASSWORD_LENGTH} characters.",
            hint="Choose a longer password (a passphrase of a few words is best).",
        )
    return password


def _check_choice(kind: str, value: str, allowed: tuple[str, ...]) -> str:
    if value not in allowed:
        raise InputError(f"{value!r} is not a {kind}.", hint="Use one of: " + ", ".join(allowed))
    return value


def token_digest(token: str) -> str:
    """The SHA-256 digest under which an API token is stored."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def session_stamp(password_hash: str) -> str:
    """A short value that changes with the password, so a new password ends old sessions."""
    return hashlib.sha256(password_hash.encode("utf-8")).hexdigest()[:16]


class Users:
    """The users of one workspace, their grants and their API tokens."""

    def __init__(self, workspace: Workspace) -> None:
        self.workspace = workspace
        self.database = workspace.database

    # Users

    def add(self, name: str, *, password: str, role: str = "member") -> UserRecord:
        """Add a user.

        Raises:
            InputError: the name, role or password is not usable.
            AlreadyExistsError: the name is taken.
        """
        _check_user_name(name)
        _check_choice("user role", role, USER_ROLES)
        password_hash = _HASHER.hash(_check_password(password))
        with self.database.transaction() as session:
            return UserRepository(session).add(
                name, role=role, password_hash=password_hash, created_at=_now()
            )

    def get(self, name: str) -> UserRecord:
        """The user called ``name``.

        Raises:
            NotFoundError: there is none.
        """
        with self.database.session() as session:
            return UserRepository(session).get(name)

    def find(self, name: str) -> UserRecord | None:
        """The user called ``name``, or None."""
        with self.database.session() as session:
            return UserRepository(session).find(name)

    def all(self) -> list[UserRecord]:
        """Every user, by name."""
        with self.database.session() as session:
            return UserRepository(session).all()

    def remove(self, name: str) -> None:
        """Delete a user with their grants and tokens.

        Raises:
            NotFoundError: there is no such user.
        """
        with self.database.transaction() as session:
            UserRepository(session).delete(name)

    def set_password(self, name: str, password: str) -> UserRecord:
        """Change a user's password (this ends the user's web sessions).

        Raises:
            InputError: the password is too short.
            NotFoundError: there is no such user.
        """
        password_hash = _HASHER.hash(_check_password(password))
        with self.database.transaction() as session:
            return UserRepository(session).update(name, password_hash=password_hash)

    def set_role(self, name: str, role: str) -> UserRecord:
        """Make a user an admin or a member.

        Raises:
            InputError: unknown role, or the last admin would lose the role.
            NotFoundError: there is no such user.
        """
        _check_choice("user role", role, USER_ROLES)
        with self.database.transaction() as session:
            users = UserRepository(session)
            if role != "admin" and users.get(name).is_admin and users.count_admins() == 1:
                raise InputError(
                    f"{name!r} is the last admin.", hint="Make another user an admin first."
                )
            return users.update(name, role=role)

    def set_language(self, name: str, language: str | None) -> UserRecord:
        """Set the language the web app speaks to the user (None: from the browser).

        Raises:
            NotFoundError: there is no such user.
        """
        with self.database.transaction() as session:
            return UserRepository(session).update(name, language=language)

    # Signing in

    def authenticate(self, name: str, password: str, *, remote: str = "") -> UserRecord | None:
        """The user when the password is right, else None; every attempt is recorded.

        Raises:
            SignInThrottledError: too many recent failures for this name or address.
        """
        now = _now()
        since = now - THROTTLE_WINDOW
        with self.database.session() as session:
            attempts = LoginAttemptRepository(session)
            too_many = attempts.failures(since=since, user_name=name) >= FAILURES_PER_NAME or (
                remote and attempts.failures(since=since, remote=remote) >= FAILURES_PER_REMOTE
            )
            stored = UserRepository(session).password_hash(name)
        if too_many:
            raise SignInThrottledError(
                "Too many failed sign-ins.",
                hint=f"Wait {int(THROTTLE_WINDOW.total_seconds() // 60)} minutes and try again.",
            )
        valid = False
        try:
            # A missing user still costs one verification, so timing does not tell names apart.
            valid = _HASHER.verify(stored or _dummy_hash(), password) and stored is not None
        except (VerificationError, InvalidHashError):
            valid = False
        with self.database.transaction() as session:
            attempts = LoginAttemptRepository(session)
            attempts.add(name, remote, succeeded=valid, when=now)
            attempts.prune(now - 2 * THROTTLE_WINDOW)
            if not valid:
                return None
            attempts.clear(name)
            users = UserRepository(session)
            assert stored is not None
            if _HASHER.check_needs_rehash(stored):
                users.update(name, password_hash=_HASHER.hash(password))
            return users.get(name)

    def session_stamp(self, user: UserRecord) -> str:
        """The stamp a new web session of the user carries (see :meth:`for_session`)."""
        with self.database.session() as session:
            stored = UserRepository(session).password_hash_by_id(user.id)
        return session_stamp(stored or "")

    def for_session(self, user_id: int, stamp: str) -> UserRecord | None:
        """The user of a web session, or None when the user is gone or changed password."""
        with self.database.session() as session:
            users = UserRepository(session)
            stored = users.password_hash_by_id(user_id)
            if stored is None or not random_secrets.compare_digest(session_stamp(stored), stamp):
                return None
            return users.by_id(user_id)

    # API tokens

    def create_token(self, name: str, *, label: str | None = None) -> str:
        """A new API token for the user; it is shown once and only its digest is kept.

        Raises:
            NotFoundError: there is no such user.
        """
        token = TOKEN_PREFIX + random_secrets.token_urlsafe(32)
        with self.database.transaction() as session:
            user = UserRepository(session).get(name)
            TokenRepository(session).add(user.id, token_digest(token), label, _now())
        return token

    def tokens(self, name: str) -> list[TokenRecord]:
        """The user's tokens (never their secrets).

        Raises:
            NotFoundError: there is no such user.
        """
        with self.database.session() as session:
            user = UserRepository(session).get(name)
            return TokenRepository(session).of_user(user.id)

    def revoke_tokens(self, name: str, token_id: int | None = None) -> int:
        """Revoke one of the user's tokens, or all of them; how many were revoked.

        Raises:
            NotFoundError: there is no such user.
        """
        with self.database.transaction() as session:
            user = UserRepository(session).get(name)
            return TokenRepository(session).remove(user.id, token_id)

    def for_token(self, token: str) -> UserRecord | None:
        """The user an API token belongs to, or None for an unknown token."""
        if not token.startswith(TOKEN_PREFIX):
            return None
        digest = token_digest(token)
        with self.database.session() as session:
            found = TokenRepository(session).find(digest)
            if found is None:
                return None
            token_id, user_id, last_used = found
            user = UserRepository(session).by_id(user_id)
        now = _now()
        if last_used is None or now - last_used > _TOUCH_EVERY:
            # Written rarely: every API call writing would queue behind the single writer.
            with self.database.transaction() as session:
                TokenRepository(session).touch(token_id, now)
        return user

    # Access to accounts

    def grant(
        self, name: str, account: str, role: str = "viewer", *, by: UserRecord | None = None
    ) -> GrantRecord:
        """Give a user a role on an account (replacing the role they had).

        Args:
            name: the user.
            account: the account's name.
            role: owner, editor or viewer.
            by: the web user asking (an admin, or an owner of the account); None for the CLI.

        Raises:
            InputError: unknown role.
            NotFoundError: no such user or account (or ``by`` may not see the account).
            PermissionDeniedError: ``by`` may see the account but not share it.
        """
        _check_choice("account role", role, ACCOUNT_ROLES)
        if by is not None:
            self._check_may_share(by, account)
        with self.database.transaction() as session:
            user = UserRepository(session).get(name)
            record = AccountRepository(session).get(account)
            grants = GrantRepository(session)
            grants.set(user.id, record.id, role, _now())
            found = grants.find(user.id, account)
            assert found is not None
            return found

    def revoke(self, name: str, account: str, *, by: UserRecord | None = None) -> bool:
        """Take a user's access to an account away; whether they had any.

        Raises:
            NotFoundError: no such user or account (or ``by`` may not see the account).
            PermissionDeniedError: ``by`` may see the account but not share it.
        """
        if by is not None:
            self._check_may_share(by, account)
        with self.database.transaction() as session:
            user = UserRepository(session).get(name)
            record = AccountRepository(session).get(account)
            return GrantRepository(session).remove(user.id, record.id)

    def _check_may_share(self, by: UserRecord, account: str) -> None:
        if by.is_admin:
            return
        if not self.access(by, account).is_owner:
            raise PermissionDeniedError(
                f"Only an owner of {account!r} or an admin may share it.",
                hint="Ask an owner of the account.",
            )

    def grants(self, name: str) -> list[GrantRecord]:
        """The user's grants, by account name.

        Raises:
            NotFoundError: there is no such user.
        """
        with self.database.session() as session:
            user = UserRepository(session).get(name)
            return GrantRepository(session).of_user(user.id)

    def account_grants(self, account: str) -> list[GrantRecord]:
        """Who may see an account, by user name.

        Raises:
            NotFoundError: there is no such account.
        """
        with self.database.session() as session:
            record = AccountRepository(session).get(account)
            return GrantRepository(session).of_account(record.id)

    def accounts(self, user: UserRecord) -> list[AccountAccess]:
        """The accounts granted to the user, by name, with the user's role on each."""
        with self.database.session() as session:
            roles = {g.account_id: g.role for g in GrantRepository(session).of_user(user.id)}
            return [
                AccountAccess(account, roles[account.id], user)
                for account in AccountRepository(session).all()
                if account.id in roles
            ]

    def access(self, user: UserRecord, account: str) -> AccountAccess:
        """The account with the user's role on it.

        Raises:
            NotFoundError: the account does not exist or is not granted to the user (the two
                are told apart by nobody).
        """
        with self.database.session() as session:
            grant = GrantRepository(session).find(user.id, account)
            record = AccountRepository(session).find(account) if grant is not None else None
        if grant is None or record is None:
            raise NotFoundError("account", account, hint=_NOT_GRANTED_HINT)
        return AccountAccess(record, grant.role, user)

    def add_account(
        self,
        user: UserRecord,
        name: str,
        *,
        marketplace: str = DEFAULT_MARKETPLACE,
        account_type: str | AccountType = AccountType.SELLER,
    ) -> AccountAccess:
        """Create an account on behalf of a web user, who becomes its owner.

        Raises:
            InputError: the name, marketplace or type is not usable.
            AlreadyExistsError: the name is taken.
        """
        record = self.workspace.add_account(
            name, marketplace=marketplace, account_type=account_type
        )
        try:
            self.grant(user.name, record.name, "owner")
        except NotFoundError:
            self.workspace.remove_account(record.name)
            raise
        return AccountAccess(record, "owner", user)

    def ensure_demo(self, name: str, account: str) -> tuple[UserRecord, str]:
        """Create (or reset) a demo user owning ``account``; the user and a fresh password.

        Raises:
            NotFoundError: there is no such account.
        """
        password = random_secrets.token_urlsafe(12)
        self.workspace.get_account(account)
        if self.find(name) is None:
            try:
                self.add(name, password=password, role="admin")
            except AlreadyExistsError:
                self.set_password(name, password)
        else:
            self.set_password(name, password)
        self.grant(name, account, "owner")
        return self.get(name), password


class Secrets:
    """The home's keys, and secret settings encrypted at rest with a key outside the database."""

    def __init__(self, workspace: Workspace) -> None:
        self.workspace = workspace
        self.settings = workspace.settings
        self._fernet: Fernet | None = None

    def session_key(self) -> str:
        """The key signing web sessions: the configured one, else the home's (made on first use).

        Raises:
            StoreError: the key file cannot be written or read.
        """
        if self.settings.secret_key:
            return self.settings.secret_key
        return _key_file(
            self.settings.home / SECRET_KEY_FILE, lambda: random_secrets.token_urlsafe(48)
        )

    def _cipher(self) -> Fernet:
        if self._fernet is None:
            from cryptography.fernet import Fernet

            key = _key_file(
                self.settings.home / ENCRYPTION_KEY_FILE,
                lambda: Fernet.generate_key().decode("ascii"),
            )
            self._fernet = Fernet(key.encode("ascii"))
        return self._fernet

    def set(self, name: str, value: str | None) -> None:
        """Keep ``value`` encrypted under ``name``; None forgets it."""
        with self.workspace.database.transaction() as session:
            repository = SecretRepository(session)
            if value is None:
                repository.remove(name)
                return
            token = self._cipher().encrypt(value.encode("utf-8")).decode("ascii")
            repository.set(name, token, _now())

    def get(self, name: str) -> str | None:
        """The secret kept under ``name``, or None.

        Raises:
            StoreError: it was encrypted with another key (the home's key file was replaced).
        """
        from cryptography.fernet import InvalidToken

        with self.workspace.database.session() as session:
            token = SecretRepository(session).get(name)
        if token is None:
            return None
        try:
            return self._cipher().decrypt(token.encode("ascii")).decode("utf-8")
        except InvalidToken:
            raise StoreError(
                f"The secret {name!r} cannot be decrypted with the key in "
                f"{self.settings.home / ENCRYPTION_KEY_FILE}.",
                hint="Restore the home's original key file, or set the secret again.",
            ) from None

    def is_set(self, name: str) -> bool:
        """Whether a secret is kept under ``name`` (without decrypting it)."""
        with self.workspace.database.session() as session:
            return SecretRepository(session).get(name) is not None

    def llm_api_key(self) -> str | None:
        """The LLM API key: the ``llm_api_key`` setting, else the one set in the web app."""
        return self.settings.llm_api_key or self.get("llm_api_key")


def _key_file(path: Path, make: Any) -> str:
    """Read the key in ``path``, creating it (mode 0600) atomically when it is absent."""
    try:
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            handle, staged = tempfile.mkstemp(prefix=".key-", dir=path.parent)
            try:
                os.fchmod(handle, 0o600)
                os.write(handle, str(make()).encode("ascii"))
                os.fsync(handle)
            finally:
                os.close(handle)
            try:
                # link() fails when another process made the file first: its key wins.
                os.link(staged, path)
            except FileExistsError:
                pass
            finally:
                os.unlink(staged)
        value = path.read_text(encoding="ascii").strip()
    except OSError as error:
        raise StoreError(
            f"Cannot keep the key file {path}: {error.strerror}.",
            hint="Check that the home directory is writable by this user.",
        ) from None
    if not value:
        raise StoreError(f"The key file {path} is empty.", hint="Delete it to make a new one.")
    return value
