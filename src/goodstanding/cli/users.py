"""Users of the web app: add, list, grant and revoke access, API tokens, the demo user."""

from __future__ import annotations

import sys
from enum import StrEnum
from typing import Annotated

import typer
from rich.table import Table

from goodstanding.cli.context import open_workspace
from goodstanding.cli.main import app
from goodstanding.cli.output import (
    FormatOption,
    OutputFormat,
    command,
    emit_json,
    fail,
    stderr,
    stdout,
)

users_app = typer.Typer(
    help="Manage who may sign in to the web app and which accounts each one sees.",
    no_args_is_help=True,
)
app.add_typer(users_app, name="users")


class UserRole(StrEnum):
    """Roles of users."""

    ADMIN = "admin"
    MEMBER = "member"


class AccountRole(StrEnum):
    """Roles on an account."""

    OWNER = "owner"
    EDITOR = "editor"
    VIEWER = "viewer"


NameArgument = Annotated[str, typer.Argument(help="The user's name (used to sign in).")]
PasswordStdin = Annotated[
    bool,
    typer.Option(
        "--password-stdin", help="Read the password from the first line of standard input."
    ),
]


def _read_password(from_stdin: bool) -> str:
    if from_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = typer.prompt("Password", hide_input=True, confirmation_prompt=True)
    if not password:
        fail("no password given (pipe it in with --password-stdin).", code=2)
    return password


@users_app.command("add")
@command
def users_add(
    name: NameArgument,
    role: Annotated[
        UserRole, typer.Option(help="admin manages users and settings; member uses accounts.")
    ] = UserRole.MEMBER,
    password_stdin: PasswordStdin = False,
) -> None:
    """Add a user (the password is asked for, or read with --password-stdin)."""
    password = _read_password(password_stdin)
    user = open_workspace().users.add(name, password=password, role=role.value)
    stderr.print(f"Added user [bold]{user.name}[/] ({user.role}).")


@users_app.command("list")
@command
def users_list(output: FormatOption = OutputFormat.TEXT) -> None:
    """List the users and the accounts granted to each."""
    workspace = open_workspace()
    users = workspace.users.all()
    grants = {user.name: workspace.users.grants(user.name) for user in users}
    if output is OutputFormat.JSON:
        emit_json(
            [
                {
                    **user.to_json(),
                    "accounts": [{"account": g.account, "role": g.role} for g in grants[user.name]],
                }
                for user in users
            ]
        )
        return
    if not users:
        stderr.print("No users yet. Add one with `goodstanding users add NAME --role admin`.")
        return
    table = Table("name", "role", "accounts")
    for user in users:
        table.add_row(
            user.name,
            user.role,
            ", ".join(f"{g.account} ({g.role})" for g in grants[user.name]) or "-",
        )
    stdout.print(table)


@users_app.command("remove")
@command
def users_remove(name: NameArgument) -> None:
    """Remove a user with their access and tokens."""
    open_workspace().users.remove(name)
    stderr.print(f"Removed user [bold]{name}[/].")


@users_app.command("password")
@command
def users_password(name: NameArgument, password_stdin: PasswordStdin = False) -> None:
    """Set a user's password (their web sessions end)."""
    password = _read_password(password_stdin)
    open_workspace().users.set_password(name, password)
    stderr.print(f"Password of [bold]{name}[/] changed.")


@users_app.command("role")
@command
def users_role(name: NameArgument, role: Annotated[UserRole, typer.Argument()]) -> None:
    """Make a user an admin or a member."""
    open_workspace().users.set_role(name, role.value)
    stderr.print(f"[bold]{name}[/] is now {role.value}.")


@users_app.command("grant")
@command
def users_grant(
    name: NameArgument,
    account: Annotated[str, typer.Argument(help="The account to share.")],
    role: Annotated[
        AccountRole,
        typer.Option(help="owner shares and deletes, editor changes, viewer only looks."),
    ] = AccountRole.VIEWER,
) -> None:
    """Let a user see an account, with a role."""
    grant = open_workspace().users.grant(name, account, role.value)
    stderr.print(f"[bold]{grant.user}[/] is {grant.role} of [bold]{grant.account}[/].")


@users_app.command("revoke")
@command
def users_revoke(
    name: NameArgument,
    account: Annotated[str, typer.Argument(help="The account to take away.")],
) -> None:
    """Take a user's access to an account away."""
    if open_workspace().users.revoke(name, account):
        stderr.print(f"[bold]{name}[/] no longer sees [bold]{account}[/].")
    else:
        stderr.print(f"[bold]{name}[/] had no access to [bold]{account}[/].")


@users_app.command("token")
@command
def users_token(
    name: NameArgument,
    label: Annotated[str | None, typer.Option(help="What the token is for.")] = None,
) -> None:
    """Make an API token for the user and print it (only the token, on one line)."""
    token = open_workspace().users.create_token(name, label=label)
    sys.stdout.write(token + "\n")
    sys.stdout.flush()


@users_app.command("tokens")
@command
def users_tokens(name: NameArgument, output: FormatOption = OutputFormat.TEXT) -> None:
    """List a user's API tokens (never their secrets)."""
    tokens = open_workspace().users.tokens(name)
    if output is OutputFormat.JSON:
        emit_json([t.to_json() for t in tokens])
        return
    table = Table("id", "label", "created", "last used")
    for t in tokens:
        table.add_row(
            str(t.id),
            t.label or "",
            t.created_at.strftime("%Y-%m-%d %H:%M"),
            t.last_used_at.strftime("%Y-%m-%d %H:%M") if t.last_used_at else "never",
        )
    stdout.print(table)


@users_app.command("revoke-token")
@command
def users_revoke_token(
    name: NameArgument,
    token_id: Annotated[
        int | None, typer.Argument(help="The token's id (`users tokens`); all when left out.")
    ] = None,
) -> None:
    """Revoke one API token of a user, or all of them."""
    count = open_workspace().users.revoke_tokens(name, token_id)
    stderr.print(f"Revoked {count} token(s) of [bold]{name}[/].")


@users_app.command("demo")
@command
def users_demo(
    account: Annotated[str, typer.Option(help="The demo account.")] = "demo-store",
    name: Annotated[str, typer.Option(help="The demo user's name.")] = "demo",
) -> None:
    """Create (or reset) a demo user owning the demo account, and print the credentials."""
    user, password = open_workspace().users.ensure_demo(name, account)
    stdout.print(
        f"Demo sign-in: user [bold]{user.name}[/]  password [bold]{password}[/]", highlight=False
    )
