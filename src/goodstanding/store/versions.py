"""The data version of an account: what result caches key on (see ``workspace.memo``)."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from goodstanding.store.models import Account, ImportFile


def account_version(session: Session, name: str) -> tuple[int, int] | None:
    """(account id, id of its latest imported file), or None when there is no such account.

    Import ids only grow, so any import into the account, by any process, changes the version;
    a removed and re-created account gets a new id.
    """
    row = session.execute(
        select(Account.id, func.max(ImportFile.id))
        .outerjoin(ImportFile, ImportFile.account_id == Account.id)
        .where(Account.name == name)
        .group_by(Account.id)
    ).first()
    if row is None:
        return None
    return int(row[0]), int(row[1] or 0)
