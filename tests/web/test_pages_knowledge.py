"""Knowledge pages: every family explained in the user's language."""

from __future__ import annotations

from fastapi.testclient import TestClient

from goodstanding.knowledge import FAMILY_IDS
from goodstanding.workspace import Workspace

from .pages_data import get_ok
from .tenants import Tenant


def test_knowledge_page_lists_every_family(
    signed_in: dict[str, TestClient], tenants: dict[str, Tenant]
) -> None:
    html = get_ok(signed_in["bob"], "/knowledge")
    for family_id in FAMILY_IDS:
        assert f'href="/knowledge/{family_id}"' in html


def test_family_page_explains_the_family(
    signed_in: dict[str, TestClient], workspace: Workspace, tenants: dict[str, Tenant]
) -> None:
    family = workspace.knowledge.family("order_defect_rate", "en")
    html = get_ok(signed_in["bob"], "/knowledge/order_defect_rate")
    assert f"<h1>{family.name}</h1>" in html
    for item in (*family.root_causes, *family.immediate_actions, *family.preventive_measures):
        assert f'id="{item.id}"' in html
    assert "Order defect rate" in html  # the related metric, by its UI name


def test_family_page_speaks_the_users_language_when_its_texts_exist(
    signed_in: dict[str, TestClient], workspace: Workspace, tenants: dict[str, Tenant]
) -> None:
    client = signed_in["bob"]
    client.post("/settings/language", data={"lang": "zh"})
    html = get_ok(client, "/knowledge/late_shipment")
    if "zh" in workspace.knowledge.languages:
        family = workspace.knowledge.family("late_shipment", "zh")
        assert f"<h1>{family.name}</h1>" in html
        assert "shown in English" not in html
    else:
        assert "这些内容尚无您所用语言的版本" in html


def test_unknown_family_is_404(
    signed_in: dict[str, TestClient], tenants: dict[str, Tenant]
) -> None:
    assert signed_in["bob"].get("/knowledge/nope").status_code == 404


def test_knowledge_needs_a_signed_in_user(client: TestClient) -> None:
    answer = client.get("/knowledge", follow_redirects=False)
    assert answer.status_code in (302, 303, 307)
