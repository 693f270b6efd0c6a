"""The JSON API under /api/v1: bearer tokens, grants, roles, imports and errors."""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient

from goodstanding.workspace import Workspace

from .tenants import AS_OF, Tenant, make_tenant, orders_file


def test_accounts_lists_only_the_granted_ones(
    client: TestClient, tenants: dict[str, Tenant]
) -> None:
    answer = client.get("/api/v1/accounts", headers=tenants["alice"].headers)

    assert answer.status_code == 200
    assert [(a["name"], a["role"]) for a in answer.json()] == [("alpha", "owner")]


def test_accounts_answer_401_without_or_with_a_bad_token(
    client: TestClient, tenants: dict[str, Tenant]
) -> None:
    missing = client.get("/api/v1/accounts")
    wrong = client.get("/api/v1/accounts", headers={"Authorization": "Bearer gs_nope"})
    not_bearer = client.get("/api/v1/accounts", headers={"Authorization": "Basic YTpi"})

    assert [missing.status_code, wrong.status_code, not_bearer.status_code] == [401, 401, 401]
    assert missing.headers["WWW-Authenticate"] == "Bearer"
    assert missing.json()["error"]["type"] == "unauthorized"


def test_session_cookie_does_not_authenticate_the_api(
    signed_in: dict[str, TestClient],
) -> None:
    assert signed_in["alice"].get("/api/v1/accounts").status_code == 401


def test_account_not_granted_answers_exactly_like_a_missing_one(
    client: TestClient, tenants: dict[str, Tenant]
) -> None:
    headers = tenants["alice"].headers

    foreign = client.get("/api/v1/accounts/bravo", headers=headers)
    missing = client.get("/api/v1/accounts/zulu", headers=headers)

    assert foreign.status_code == missing.status_code == 404
    assert foreign.json()["error"]["message"] == "No account named 'bravo'."
    assert missing.json()["error"]["message"] == "No account named 'zulu'."
    assert foreign.json()["error"]["hint"] == missing.json()["error"]["hint"]


def test_get_account_gives_role_and_imports(client: TestClient, tenants: dict[str, Tenant]) -> None:
    answer = client.get("/api/v1/accounts/alpha", headers=tenants["carol"].headers)

    assert answer.status_code == 200
    body = answer.json()
    assert (body["name"], body["role"], body["imports"]) == ("alpha", "viewer", 1)


def test_health_returns_the_health_document(client: TestClient, tenants: dict[str, Tenant]) -> None:
    answer = client.get(
        "/api/v1/accounts/alpha/health",
        params={"as_of": AS_OF.isoformat()},
        headers=tenants["alice"].headers,
    )

    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert body["account"] == "alpha"
    assert body["as_of"] == AS_OF.isoformat()


def test_health_with_a_bad_date_is_a_422(client: TestClient, tenants: dict[str, Tenant]) -> None:
    answer = client.get(
        "/api/v1/accounts/alpha/health",
        params={"as_of": "20-11-2026"},
        headers=tenants["alice"].headers,
    )

    assert answer.status_code == 422


def test_imports_lists_the_ledger(client: TestClient, tenants: dict[str, Tenant]) -> None:
    answer = client.get("/api/v1/accounts/alpha/imports", headers=tenants["alice"].headers)

    assert answer.status_code == 200
    assert [(r["file_name"], r["type"], r["rows"]) for r in answer.json()] == [
        ("orders.txt", "orders", 120)
    ]


def test_upload_imports_files_into_the_account(
    client: TestClient, tenants: dict[str, Tenant], tmp_path: Path
) -> None:
    path = orders_file(tmp_path / "more", rows=40, seed=11)

    answer = client.post(
        "/api/v1/accounts/alpha/imports",
        headers=tenants["alice"].headers,
        files=[("files", ("my orders.txt", path.read_bytes(), "text/plain"))],
    )

    assert answer.status_code == 200, answer.text
    assert answer.json() == {
        "account": "alpha",
        "files": [
            {
                "path": "my orders.txt",
                "type": "orders",
                "rows": 40,
                "inserted": 40,
                "updated": 0,
                "unchanged": 0,
            }
        ],
    }


def test_upload_of_a_malformed_file_is_a_422_naming_file_line_and_column(
    client: TestClient, tenants: dict[str, Tenant], workspace: Workspace, tmp_path: Path
) -> None:
    good = orders_file(tmp_path / "good", rows=10, seed=2).read_text(encoding="utf-8")
    lines = good.splitlines()
    header = lines[0].split("\t")
    cells = lines[3].split("\t")
    cells[header.index("quantity")] = "many"
    lines[3] = "\t".join(cells)
    bad = "\n".join(lines) + "\n"

    answer = client.post(
        "/api/v1/accounts/alpha/imports",
        headers=tenants["alice"].headers,
        files=[
            ("files", ("fine.txt", good.encode(), "text/plain")),
            ("files", ("broken.txt", bad.encode(), "text/plain")),
        ],
    )

    assert answer.status_code == 422, answer.text
    error = answer.json()["error"]
    assert (error["type"], error["file"], error["line"], error["column"]) == (
        "report_format",
        "broken.txt",
        4,
        "quantity",
    )
    assert "tmp" not in error["message"]
    assert len(workspace.imports("alpha")) == 1  # all or nothing: the good file is not kept


def test_upload_refuses_other_file_types(client: TestClient, tenants: dict[str, Tenant]) -> None:
    answer = client.post(
        "/api/v1/accounts/alpha/imports",
        headers=tenants["alice"].headers,
        files=[("files", ("payload.exe", b"MZ...", "application/octet-stream"))],
    )

    assert answer.status_code == 422
    assert "not accepted" in answer.json()["error"]["message"]


def test_viewer_cannot_upload_or_delete(
    client: TestClient, tenants: dict[str, Tenant], workspace: Workspace, tmp_path: Path
) -> None:
    path = orders_file(tmp_path / "v", rows=5)
    headers = tenants["carol"].headers

    upload = client.post(
        "/api/v1/accounts/alpha/imports",
        headers=headers,
        files=[("files", ("o.txt", path.read_bytes(), "text/plain"))],
    )
    removal = client.delete("/api/v1/accounts/alpha", headers=headers)

    assert (upload.status_code, removal.status_code) == (403, 403)
    assert len(workspace.imports("alpha")) == 1


def test_editor_may_upload_but_only_an_owner_deletes(
    client: TestClient, tenants: dict[str, Tenant], workspace: Workspace
) -> None:
    dave = make_tenant(workspace, "dave", "alpha", role="editor")

    by_editor = client.delete("/api/v1/accounts/alpha", headers=dave.headers)
    by_owner = client.delete("/api/v1/accounts/alpha", headers=tenants["alice"].headers)

    assert by_editor.status_code == 403
    assert (by_owner.status_code, by_owner.json()) == (200, {"removed": "alpha"})
    assert "alpha" not in {a.name for a in workspace.list_accounts()}
    assert client.get("/api/v1/accounts", headers=dave.headers).json() == []


def test_create_account_makes_the_caller_its_owner(
    client: TestClient, tenants: dict[str, Tenant]
) -> None:
    headers = tenants["carol"].headers

    created = client.post(
        "/api/v1/accounts", headers=headers, json={"name": "charlie", "marketplace": "Amazon.de"}
    )
    again = client.post("/api/v1/accounts", headers=headers, json={"name": "charlie"})

    assert created.status_code == 201
    assert (created.json()["role"], created.json()["marketplace"]) == ("owner", "Amazon.de")
    assert again.status_code == 409
    names = [a["name"] for a in client.get("/api/v1/accounts", headers=headers).json()]
    assert names == ["alpha", "charlie"]


def test_bad_account_name_is_a_422(client: TestClient, tenants: dict[str, Tenant]) -> None:
    answer = client.post(
        "/api/v1/accounts", headers=tenants["alice"].headers, json={"name": " spaced "}
    )

    assert answer.status_code == 422
    assert answer.json()["error"]["type"] == "input"


def test_classify_reads_a_notice(client: TestClient, tenants: dict[str, Tenant]) -> None:
    text = (
        "Hello,\n\nYour Amazon selling privileges have been deactivated because your order "
        "defect rate is above our target of 1%. To reactivate your account, send us a plan "
        "of action.\n"
    )

    answer = client.post(
        "/api/v1/notices/classify", headers=tenants["alice"].headers, json={"text": text}
    )

    assert answer.status_code == 200, answer.text
    assert "order_defect_rate" in answer.text


def test_empty_notice_is_a_422(client: TestClient, tenants: dict[str, Tenant]) -> None:
    answer = client.post(
        "/api/v1/notices/classify", headers=tenants["alice"].headers, json={"text": "   "}
    )

    assert answer.status_code == 422


def test_grade_with_a_foreign_account_is_a_404(
    client: TestClient, tenants: dict[str, Tenant]
) -> None:
    answer = client.post(
        "/api/v1/appeals/grade",
        headers=tenants["alice"].headers,
        json={"text": "We are sorry.", "account": "bravo"},
    )

    assert answer.status_code == 404


def test_openapi_documents_the_api(client: TestClient) -> None:
    schema = client.get("/openapi.json").json()

    paths = set(schema["paths"])
    assert {
        "/api/v1/accounts",
        "/api/v1/accounts/{name}",
        "/api/v1/accounts/{name}/health",
        "/api/v1/accounts/{name}/summary",
        "/api/v1/accounts/{name}/imports",
        "/api/v1/notices/classify",
        "/api/v1/appeals/grade",
        "/api/v1/appeals/questions",
        "/api/v1/appeals/draft",
    } <= paths
    assert client.get("/docs").status_code == 200


NOTICE = (
    "Hello,\n\nWe have removed your selling privileges on Amazon.com because the order defect "
    "rate of your account is above our target of 1%. To ask us to restore them, send a plan of "
    "action that explains the causes, what you changed and how you will keep the rate low.\n\n"
    "Seller Performance\n"
)


def test_questions_draft_and_grade_chain_like_the_cli(
    client: TestClient, tenants: dict[str, Tenant]
) -> None:
    headers = tenants["alice"].headers

    questions = client.post(
        "/api/v1/appeals/questions", headers=headers, json={"notice_text": NOTICE, "lang": "en"}
    )
    assert questions.status_code == 200, questions.text
    interview = questions.json()
    draft = client.post(
        "/api/v1/appeals/draft",
        headers=headers,
        json={
            "notice_text": NOTICE,
            "answers": interview,
            "account": "alpha",
            "as_of": "2026-11-20",
        },
    )
    assert draft.status_code == 200, draft.text
    text = draft.json()["text"]
    grade = client.post(
        "/api/v1/appeals/grade",
        headers=headers,
        json={"text": text, "notice_text": NOTICE, "account": "alpha", "as_of": "2026-11-20"},
    )

    assert grade.status_code == 200, grade.text
    report = grade.json()
    assert set(report) >= {"score", "verdict", "language", "findings"}
    assert report["language"] == "en"


def test_draft_for_a_foreign_account_is_a_404(
    client: TestClient, tenants: dict[str, Tenant]
) -> None:
    answer = client.post(
        "/api/v1/appeals/draft",
        headers=tenants["alice"].headers,
        json={"notice_text": NOTICE, "answers": {}, "account": "bravo"},
    )

    assert answer.status_code == 404


def test_questions_for_a_text_that_is_no_notice_is_a_422(
    client: TestClient, tenants: dict[str, Tenant]
) -> None:
    answer = client.post(
        "/api/v1/appeals/questions",
        headers=tenants["alice"].headers,
        json={"notice_text": "Lunch is at noon on Friday."},
    )

    assert answer.status_code == 422


def test_classify_file_reads_a_notice_e_mail(
    client: TestClient, tenants: dict[str, Tenant]
) -> None:
    email = (
        "From: seller-performance@amazon.com\nTo: me@example.com\nSubject: Your account\n"
        "Content-Type: text/plain; charset=utf-8\n\n" + NOTICE
    )

    answer = client.post(
        "/api/v1/notices/classify-file",
        headers=tenants["alice"].headers,
        files={"file": ("notice.eml", email.encode(), "message/rfc822")},
    )

    assert answer.status_code == 200, answer.text
    assert "order_defect_rate" in {f["id"] for f in answer.json()["families"]}


def test_classify_file_refuses_other_types(client: TestClient, tenants: dict[str, Tenant]) -> None:
    answer = client.post(
        "/api/v1/notices/classify-file",
        headers=tenants["alice"].headers,
        files={"file": ("notice.docm", b"PK..", "application/octet-stream")},
    )

    assert answer.status_code == 422


def test_history_lists_amazons_figures(client: TestClient, tenants: dict[str, Tenant]) -> None:
    answer = client.get("/api/v1/accounts/alpha/history", headers=tenants["carol"].headers)

    assert answer.status_code == 200
    assert answer.json()["account"] == "alpha"
    assert answer.json()["points"] == []  # no performance report imported


def test_case_lifecycle_through_the_api(client: TestClient, tenants: dict[str, Tenant]) -> None:
    headers = tenants["alice"].headers
    base = "/api/v1/accounts/alpha/cases"

    opened = client.post(base, headers=headers, json={"notice_text": NOTICE, "title": "ODR"})
    assert opened.status_code == 201, opened.text
    case_id = opened.json()["id"]
    plan = "Root cause: late carriers. Actions: a new carrier. Prevention: weekly reviews."
    graded = client.post(f"{base}/{case_id}/grade", headers=headers, json={"text": plan})
    submitted = client.post(f"{base}/{case_id}/versions", headers=headers, json={"text": plan})
    replied = client.post(
        f"{base}/{case_id}/replies",
        headers=headers,
        json={"text": "Your appeal was not accepted. The plan does not explain the root cause."},
    )
    closed = client.post(f"{base}/{case_id}/close", headers=headers, json={"outcome": "rejected"})
    listed = client.get(base, headers=tenants["carol"].headers)

    assert [graded.status_code, submitted.status_code, replied.status_code] == [200, 200, 200]
    assert closed.status_code == 200
    assert set(graded.json()) >= {"score", "verdict", "findings"}
    assert [(c["id"], c["status"]) for c in listed.json()] == [(case_id, "closed")]


def test_cases_of_another_account_are_not_found_and_viewers_cannot_open_one(
    client: TestClient, tenants: dict[str, Tenant], workspace: Workspace
) -> None:
    bobs = workspace.cases.open("bravo", NOTICE)

    foreign = client.get(
        f"/api/v1/accounts/alpha/cases/{bobs.to_json()['id']}", headers=tenants["alice"].headers
    )
    by_viewer = client.post(
        "/api/v1/accounts/alpha/cases",
        headers=tenants["carol"].headers,
        json={"notice_text": NOTICE},
    )

    assert (foreign.status_code, by_viewer.status_code) == (404, 403)


def test_evidence_reads_mirror_the_cli(client: TestClient, tenants: dict[str, Tenant]) -> None:
    headers = tenants["carol"].headers  # a viewer may read
    readiness = client.get("/api/v1/accounts/alpha/readiness", headers=headers)
    assert readiness.status_code == 200, readiness.text
    assert 0 <= readiness.json()["score"] <= 100
    invoices = client.get("/api/v1/accounts/alpha/invoices", headers=headers)
    assert invoices.status_code == 200
    assert invoices.json() == []
    for path in ("invoices/check", "documents/check", "claims/check"):
        answer = client.get(
            f"/api/v1/accounts/alpha/{path}",
            params={"as_of": AS_OF.isoformat()},
            headers=headers,
        )
        assert answer.status_code == 200, (path, answer.text)
        assert answer.json()["account"] == "alpha"
    sold = client.get("/api/v1/accounts/alpha/invoices/check", headers=headers).json()
    assert sold["coverage"], "units sold per ASIN are set against the (missing) invoices"
    triage = client.get("/api/v1/accounts/alpha/feedback/triage", headers=headers)
    assert triage.status_code == 422
    assert "feedback" in triage.json()["error"]["message"]
