"""Settings: language, users and roles (admin), account access, the LLM provider."""

from __future__ import annotations

from fastapi.testclient import TestClient

from goodstanding.workspace import Workspace

from .pages_data import get_ok
from .tenants import PASSWORD, Tenant


def _admin(workspace: Workspace) -> None:
    workspace.users.set_role("alice", "admin")


def test_member_sees_language_and_the_access_of_accounts_they_own(
    signed_in: dict[str, TestClient], tenants: dict[str, Tenant]
) -> None:
    html = get_ok(signed_in["bob"], "/settings")
    assert 'id="language-form"' in html
    grants = html.split('id="grants"')[1].split("</table>")[0]
    assert "<td>bravo</td><td>bob</td>" in grants
    assert "alpha" not in grants
    assert 'id="users"' not in html and 'id="llm-form"' not in html


def test_viewer_sees_no_access_management(
    signed_in: dict[str, TestClient], tenants: dict[str, Tenant]
) -> None:
    html = get_ok(signed_in["carol"], "/settings")
    assert 'id="grants"' not in html


def test_admin_adds_a_user_and_changes_a_role(
    signed_in: dict[str, TestClient], workspace: Workspace, tenants: dict[str, Tenant]
) -> None:
    _admin(workspace)
    client = signed_in["alice"]
    answer = client.post(
        "/settings/users", data={"name": "dave", "password": PASSWORD, "role": "member"}
    )
    assert answer.status_code == 200
    assert "<td>dave</td>" in answer.text
    assert workspace.users.get("dave").role == "member"
    client.post("/settings/users/dave/role", data={"role": "admin"})
    assert workspace.users.get("dave").role == "admin"
    client.post("/settings/users/dave/delete")
    assert workspace.users.find("dave") is None


def test_admin_cannot_delete_themself(
    signed_in: dict[str, TestClient], workspace: Workspace, tenants: dict[str, Tenant]
) -> None:
    _admin(workspace)
    answer = signed_in["alice"].post("/settings/users/alice/delete")
    assert answer.status_code == 400
    assert workspace.users.find("alice") is not None


def test_member_cannot_manage_users_or_the_llm(
    signed_in: dict[str, TestClient], workspace: Workspace, tenants: dict[str, Tenant]
) -> None:
    client = signed_in["bob"]
    assert (
        client.post("/settings/users", data={"name": "eve", "password": PASSWORD}).status_code
        == 403
    )
    assert workspace.users.find("eve") is None
    assert client.post("/settings/llm", data={"enabled": "yes"}).status_code == 403


def test_owner_grants_and_revokes_access_to_their_account(
    signed_in: dict[str, TestClient], workspace: Workspace, tenants: dict[str, Tenant]
) -> None:
    client = signed_in["bob"]
    answer = client.post(
        "/settings/grants", data={"user_name": "carol", "account": "bravo", "role": "editor"}
    )
    assert answer.status_code == 200
    assert workspace.users.access(workspace.users.get("carol"), "bravo").role == "editor"
    client.post("/settings/grants/revoke", data={"user_name": "carol", "account": "bravo"})
    assert "bravo" not in {a.name for a in workspace.users.accounts(workspace.users.get("carol"))}


def test_sharing_an_account_not_granted_answers_404(
    signed_in: dict[str, TestClient], workspace: Workspace, tenants: dict[str, Tenant]
) -> None:
    answer = signed_in["bob"].post(
        "/settings/grants", data={"user_name": "bob", "account": "alpha", "role": "owner"}
    )
    assert answer.status_code == 404
    assert "alpha" not in {a.name for a in workspace.users.accounts(workspace.users.get("bob"))}
    viewer = signed_in["carol"].post(
        "/settings/grants", data={"user_name": "carol", "account": "alpha", "role": "owner"}
    )
    assert viewer.status_code == 403


def test_llm_settings_keep_the_key_encrypted_and_never_show_it(
    signed_in: dict[str, TestClient], workspace: Workspace, tenants: dict[str, Tenant]
) -> None:
    _admin(workspace)
    client = signed_in["alice"]
    answer = client.post(
        "/settings/llm",
        data={
            "enabled": "yes",
            "base_url": "http://127.0.0.1:9/v1",
            "model": "tiny",
            "api_key": "sk-secret-123",
        },
    )
    assert answer.status_code == 200
    assert "sk-secret-123" not in answer.text
    assert "kept, not shown" in answer.text
    assert workspace.secrets.get("llm_api_key") == "sk-secret-123"
    assert workspace.secrets.get("llm_base_url") == "http://127.0.0.1:9/v1"
    assert workspace.secrets.get("llm_enabled") == "yes"
    bad = client.post("/settings/llm", data={"base_url": "file:///etc/passwd"})
    assert bad.status_code == 400
    client.post("/settings/llm", data={"forget_key": "yes"})
    assert workspace.secrets.get("llm_api_key") is None
    assert workspace.secrets.get("llm_enabled") is None
