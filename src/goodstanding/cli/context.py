"""How a command gets its workspace: settings from the environment, the store opened."""

from __future__ import annotations

from goodstanding.config import Settings, load_settings
from goodstanding.workspace import Workspace


def open_workspace(settings: Settings | None = None) -> Workspace:
    """Open the workspace of the configured home, creating and migrating the store if needed.

    A command runs one use case and exits, so results are not kept for later calls.
    """
    return Workspace.open(settings or load_settings(), remember=False)
