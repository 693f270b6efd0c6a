"""Notice → appeal pages: reading, interview, draft beside its grade, re-grade, downloads."""

from __future__ import annotations

import html as html_lib
import io
import re
from collections import defaultdict

import pytest
from fastapi.testclient import TestClient

from goodstanding.web.routes.pages.appeals import document_from_text
from goodstanding.web.routes.pages.notices import Segment, highlight
from goodstanding.workspace import Workspace

from . import pages_data
from .pages_data import get_ok
from .tenants import Tenant

# Written for these tests: an ODR deactivation notice with a deadline.
NOTICE = (
    "Dear Seller,\n\n"
    "Your selling privileges have been deactivated because your Order Defect Rate is above "
    "our target of 1%.\n\n"
    "How do I reactivate my account? Send us a plan of action within 17 days.\n"
)

acme = pages_data.acme  # a fixture
demo_files = pages_data.demo_files  # a fixture


def test_highlight_cuts_the_text_around_the_spans() -> None:
    text = "one two three four"
    segments = highlight(text, [(8, 13, "b", "B"), (0, 3, "a", None), (9, 11, "c", None)])
    assert segments == [
        Segment("one", "a", None),
        Segment(" two "),
        Segment("three", "b", "B"),
        Segment(" four"),
    ]
    assert "".join(s.text for s in segments) == text
    assert highlight("abc", [(2, 9, "x", None), (1, 1, "y", None)]) == [Segment("abc")]


def test_notice_page_shows_families_evidence_and_deadline(
    signed_in: dict[str, TestClient], workspace: Workspace, tenants: dict[str, Tenant]
) -> None:
    reading = workspace.read_notice(NOTICE)
    answer = signed_in["alice"].post("/notices", data={"text": NOTICE})
    assert answer.status_code == 200
    page = answer.text
    families = page.split('id="families"')[1].split("</ul>")[0]
    for finding in reading.families:
        assert f'data-family="{finding.id}"' in families
    marked = page.split('id="notice-highlighted"')[1].split("</pre>")[0]
    first = reading.families[0]
    assert f'data-family="{first.id}"' in marked
    assert f">{html_lib.escape(first.evidence.text)}</mark>" in marked
    assert "17 days to respond" in page.split('id="deadline"')[1].split("</p>")[0]
    assert 'id="start-appeal"' in page


def test_notice_page_accepts_an_uploaded_file(
    signed_in: dict[str, TestClient], tenants: dict[str, Tenant]
) -> None:
    answer = signed_in["alice"].post(
        "/notices", files={"file": ("notice.txt", NOTICE.encode(), "text/plain")}
    )
    assert answer.status_code == 200
    assert 'data-family="order_defect_rate"' in answer.text


def test_empty_notice_is_refused_with_a_message(
    signed_in: dict[str, TestClient], tenants: dict[str, Tenant]
) -> None:
    answer = signed_in["alice"].post("/notices", data={"text": "   "})
    assert answer.status_code == 400
    assert "The notice is empty." in answer.text


def _interview_form(page: str, **extra: str) -> dict[str, list[str]]:
    data: dict[str, list[str]] = defaultdict(list)
    for _kind, name, value in re.findall(
        r'<input type="(radio|checkbox)" name="([^"]+)" value="([^"]+)" checked>', page
    ):
        data[name].append(value)
    for name, value in re.findall(r'name="(ph:[^"]+)" value="([^"]*)"', page):
        data[name].append(html_lib.unescape(value))
    for name in ("notice", "account", "interview_lang"):
        found = re.search(rf'name="{name}" value="([^"]*)"', page)
        assert found, name
        data[name].append(html_lib.unescape(found.group(1)))
    for name, value in extra.items():
        data[name] = [value]
    return dict(data)


def test_interview_asks_the_families_questions_step_by_step(
    signed_in: dict[str, TestClient], workspace: Workspace, tenants: dict[str, Tenant]
) -> None:
    answer = signed_in["alice"].post(
        "/appeals/interview", data={"notice": NOTICE, "account": "alpha", "lang": "en"}
    )
    assert answer.status_code == 200
    interview = workspace.appeals.questions(NOTICE, lang="en").to_answers()
    for question in interview["questions"]:
        assert f'data-question="{question["id"]}"' in answer.text
        for default in question["selected"]:
            assert f'name="sel:{question["id"]}" value="{default}" checked' in answer.text
    assert answer.text.count('class="card step"') >= 2


def test_interview_for_an_account_not_granted_is_404(
    signed_in: dict[str, TestClient], tenants: dict[str, Tenant]
) -> None:
    answer = signed_in["bob"].post(
        "/appeals/interview", data={"notice": NOTICE, "account": "alpha", "lang": "en"}
    )
    assert answer.status_code == 404


def test_draft_is_shown_beside_its_grade_then_regraded_and_downloaded(
    signed_in: dict[str, TestClient], workspace: Workspace, acme: str
) -> None:
    client = signed_in["alice"]
    interview = client.post(
        "/appeals/interview", data={"notice": NOTICE, "account": "acme", "lang": "en"}
    ).text
    answer = client.post("/appeals/draft", data=_interview_form(interview, variant="seller"))
    assert answer.status_code == 200, answer.text[:2000]
    found = re.search(r'id="plan-text" class="plan" required>(.*?)</textarea>', answer.text, re.S)
    assert found
    text = html_lib.unescape(found.group(1))
    report = workspace.appeals.grade(text, notice_text=NOTICE, account="acme")
    assert f'id="score">{report.score}<' in answer.text
    assert 'id="verdict">' in answer.text

    worse = text + "\n\nWe are so sorry. Please, please reinstate us, it was the buyer's fault!"
    regraded = client.post(
        "/appeals/grade",
        data={"text": worse, "notice": NOTICE, "account": "acme", "lang": "en"},
        headers={"HX-Request": "true"},
    )
    assert regraded.status_code == 200
    assert "<html" not in regraded.text
    again = workspace.appeals.grade(worse, notice_text=NOTICE, account="acme")
    assert f'id="score">{again.score}<' in regraded.text
    assert regraded.text.count('<li data-rule="') == len(again.findings)

    from docx import Document as Docx

    docx = client.post("/appeals/download", data={"text": text, "format": "docx", "lang": "en"})
    assert docx.status_code == 200
    assert docx.headers["content-disposition"].endswith('plan-of-action.docx"')
    paragraphs = [p.text for p in Docx(io.BytesIO(docx.content)).paragraphs]
    assert any("Root cause" in p for p in paragraphs)
    pdf = client.post("/appeals/download", data={"text": text, "format": "pdf", "lang": "en"})
    assert pdf.content.startswith(b"%PDF")
    plain = client.post("/appeals/download", data={"text": text, "format": "txt", "lang": "en"})
    assert plain.content.decode() == text.replace("\r\n", "\n")


def test_document_from_text_makes_short_lines_headings() -> None:
    doc = document_from_text(
        "Root cause\n\n1. We shipped late.\n\nActions taken\n\nWe hired staff.",
        title="T",
        lang="en",
    )
    kinds = [type(block).__name__ for block in doc.blocks]
    assert kinds == ["Heading", "Paragraph", "Heading", "Paragraph"]
    with pytest.raises(Exception, match="empty"):
        document_from_text(" \n\n ", title="T", lang="en")


def test_grade_page_grades_a_plan_written_elsewhere(
    signed_in: dict[str, TestClient], tenants: dict[str, Tenant]
) -> None:
    html = get_ok(signed_in["alice"], "/appeals/grade")
    assert 'id="plan-text"' in html
    answer = signed_in["alice"].post("/appeals/grade", data={"text": "We are sorry.", "lang": "en"})
    assert answer.status_code == 200
    assert 'id="score">' in answer.text


def test_language_model_is_offered_only_once_an_admin_turned_it_on(
    signed_in: dict[str, TestClient], workspace: Workspace, tenants: dict[str, Tenant]
) -> None:
    data = {"notice": NOTICE, "account": "", "lang": "en"}
    page = signed_in["alice"].post("/appeals/interview", data=data).text
    assert 'name="llm"' not in page
    workspace.secrets.set("llm_enabled", "yes")
    page = signed_in["alice"].post("/appeals/interview", data=data).text
    assert 'name="llm" value="yes"' in page
    assert 'name="llm" value="yes" checked' not in page
