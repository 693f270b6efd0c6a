"""Upload of report files: drag and drop, several at once, the same atomic import as the CLI."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, File, Form, Request, UploadFile
from fastapi.responses import HTMLResponse, Response

from goodstanding.errors import InputError, ReportFormatError
from goodstanding.web.deps import EditorAccount, GrantedAccount, WorkspaceDep
from goodstanding.web.routes.pages.labels import REPORT_NAMES, label
from goodstanding.web.routes.pages.templating import render, request_translator
from goodstanding.web.security import MEGABYTE, REPORT_SUFFIXES, saved_uploads

__all__ = ["router"]

router = APIRouter(include_in_schema=False)

_DATE_FORMATS = ("", "DD/MM/YYYY", "MM/DD/YYYY", "YYYY-MM-DD")


@router.get("/accounts/{name}/imports", response_class=HTMLResponse)
def imports_page(request: Request, access: GrantedAccount, workspace: WorkspaceDep) -> Response:
    """The upload form (editors) and the files imported so far."""
    return render(
        request,
        "pages/imports.html",
        {
            "access": access,
            "imports": workspace.imports(access.name),
            "suffixes": sorted(REPORT_SUFFIXES),
            "date_formats": _DATE_FORMATS,
            "max_mb": workspace.settings.max_upload_mb,
            "tab": "imports",
        },
        section="accounts",
    )


@router.post("/accounts/{name}/imports", response_class=HTMLResponse)
def upload(
    request: Request,
    access: EditorAccount,
    workspace: WorkspaceDep,
    files: Annotated[list[UploadFile], File()],
    date_format: Annotated[str, Form()] = "",
) -> Response:
    """Import the uploaded files in one transaction; answer the result partial (or the page)."""
    tr = request_translator(request)
    settings = workspace.settings
    context: dict[str, object] = {"access": access, "tab": "imports"}
    status = 200
    try:
        with saved_uploads(
            files,
            directory=settings.home / "uploads",
            max_bytes=settings.max_upload_mb * MEGABYTE,
            suffixes=REPORT_SUFFIXES,
        ) as paths:
            result = workspace.ingest(paths, account=access.name, date_format=date_format or None)
        context["result"] = [
            {
                **entry.to_json(),
                "path": Path(entry.path).name,
                "type_name": label(REPORT_NAMES, entry.report_type, tr),
            }
            for entry in result.files
        ]
    except ReportFormatError as error:
        status = 422
        context["format_error"] = {
            "file": Path(error.path).name,
            "line": error.line,
            "column": error.column,
            "value": error.value,
            "problem": error.problem,
            "hint": error.hint,
        }
    except InputError as error:
        status = 400
        context["error"] = str(error)
    context["imports"] = workspace.imports(access.name)
    if request.headers.get("hx-request"):
        return render(request, "_import_result.html", context, status_code=status)
    context.update(
        {
            "suffixes": sorted(REPORT_SUFFIXES),
            "date_formats": _DATE_FORMATS,
            "max_mb": settings.max_upload_mb,
        }
    )
    return render(request, "pages/imports.html", context, status_code=status, section="accounts")
