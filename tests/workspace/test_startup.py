"""Reading use cases start lean: no parser, no pandas loaded for a health document."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import date
from pathlib import Path

from goodstanding.config import Settings
from goodstanding.workspace import Workspace

AS_OF = date(2026, 11, 20)

_HEALTH = """
import json, sys
from datetime import date
from pathlib import Path
from goodstanding.config import load_settings
from goodstanding.workspace import Workspace
with Workspace.open(load_settings(home=Path(sys.argv[1]))) as workspace:
    document = workspace.health("shop", as_of=date.fromisoformat(sys.argv[2]))
loaded = sorted(m for m in ("pandas", "goodstanding.ingest") if m in sys.modules)
print(json.dumps({"modules": loaded, "as_of": document["as_of"]}))
"""


def test_health_in_a_fresh_process_loads_neither_pandas_nor_the_parsers(
    settings: Settings, tmp_path: Path
) -> None:
    from goodstanding.demo import write_orders

    orders = write_orders(
        tmp_path / "orders.txt", rows=40, seed=3, as_of=AS_OF, marketplaces=("Amazon.com",)
    )
    with Workspace.open(settings) as workspace:
        workspace.ingest([orders], account="shop")

    done = subprocess.run(
        [sys.executable, "-c", _HEALTH, str(settings.home), AS_OF.isoformat()],
        capture_output=True,
        text=True,
        check=True,
    )

    assert json.loads(done.stdout) == {"modules": [], "as_of": "2026-11-20"}
