"""The upload page: several files at once, one atomic import, errors with file, line and column."""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient

from goodstanding.demo import DemoFiles
from goodstanding.workspace import Workspace

from . import pages_data
from .pages_data import get_ok
from .tenants import Tenant

demo_files = pages_data.demo_files  # a fixture


def _upload(client: TestClient, account: str, paths: list[Path], **headers: str):
    files = [("files", (p.name, p.read_bytes(), "text/plain")) for p in paths]
    return client.post(f"/accounts/{account}/imports", files=files, headers=headers)


def test_upload_page_offers_drag_and_drop_to_editors(
    signed_in: dict[str, TestClient], tenants: dict[str, Tenant]
) -> None:
    html = get_ok(signed_in["alice"], "/accounts/alpha/imports")
    assert 'class="dropzone"' in html
    assert 'type="file" name="files" multiple' in html
    assert "<progress" in html
    viewer = get_ok(signed_in["carol"], "/accounts/alpha/imports")
    assert 'class="dropzone"' not in viewer
    assert "not import into it" in viewer


def test_upload_of_several_files_imports_them_all(
    signed_in: dict[str, TestClient],
    workspace: Workspace,
    tenants: dict[str, Tenant],
    demo_files: DemoFiles,
) -> None:
    chosen = [demo_files.files["orders"], demo_files.files["feedback"], demo_files.files["claims"]]
    answer = _upload(signed_in["alice"], "alpha", chosen, **{"HX-Request": "true"})
    assert answer.status_code == 200, answer.text
    assert "<html" not in answer.text  # the HTMX partial
    assert "Imported 3 files." in answer.text
    table = answer.text.split('id="import-files"')[1].split("</table>")[0]
    for path in chosen:
        assert path.name in table
    imported = {record.file_name for record in workspace.imports("alpha")}
    assert {p.name for p in chosen} <= imported


def test_upload_with_a_bad_line_imports_nothing_and_names_file_line_and_column(
    signed_in: dict[str, TestClient],
    workspace: Workspace,
    tenants: dict[str, Tenant],
    demo_files: DemoFiles,
    tmp_path: Path,
) -> None:
    good = demo_files.files["feedback"]
    lines = demo_files.files["orders"].read_text(encoding="utf-8").splitlines()
    header = lines[0].split("\t")
    row = lines[1].split("\t")
    row[header.index("purchase-date")] = "not a date"
    bad = tmp_path / "broken-orders.txt"
    bad.write_text("\n".join([lines[0], lines[1], "\t".join(row)]) + "\n", encoding="utf-8")
    before = len(workspace.imports("alpha"))
    answer = _upload(signed_in["alice"], "alpha", [good, bad])
    assert answer.status_code == 422
    error = answer.text.split('id="import-error"')[1].split("</div>")[0]
    assert "Nothing was imported." in error
    assert "broken-orders.txt" in error
    assert "line 3" in error
    assert "column purchase-date" in error
    assert len(workspace.imports("alpha")) == before


def test_upload_of_a_file_type_not_accepted_is_refused(
    signed_in: dict[str, TestClient], tenants: dict[str, Tenant], tmp_path: Path
) -> None:
    exe = tmp_path / "tool.exe"
    exe.write_bytes(b"MZ")
    answer = _upload(signed_in["alice"], "alpha", [exe])
    assert answer.status_code == 400
    assert "not accepted" in answer.text


def test_viewer_cannot_upload(
    signed_in: dict[str, TestClient], tenants: dict[str, Tenant], demo_files: DemoFiles
) -> None:
    answer = _upload(signed_in["carol"], "alpha", [demo_files.files["feedback"]])
    assert answer.status_code == 403


def test_upload_into_another_tenants_account_is_404(
    signed_in: dict[str, TestClient], tenants: dict[str, Tenant], demo_files: DemoFiles
) -> None:
    answer = _upload(signed_in["bob"], "alpha", [demo_files.files["feedback"]])
    assert answer.status_code == 404
