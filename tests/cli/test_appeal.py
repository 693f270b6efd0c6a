"""goodstanding appeal questions | draft | grade, run in-process."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from goodstanding.config import load_settings
from goodstanding.demo import write_demo
from goodstanding.workspace import Workspace

from .conftest import Cli

ODR_NOTICE = """Hello,

Your Amazon seller account has been deactivated. Your order defect rate (ODR) is above our target
of 1%. Orders with negative feedback and A-to-z Guarantee claims count as defects. Submit a plan
of action that explains the root cause, the actions you have taken and the steps you will take to
prevent this in the future. Affected ASIN: B00TESTAB1.
"""

FINAL_NOTICE = """Hello,

We reviewed the information you provided and determined that your account will remain
deactivated. This decision is final and we will no longer respond to further emails about this
matter.
"""


@pytest.fixture
def notice(tmp_path: Path) -> Path:
    path = tmp_path / "notice.txt"
    path.write_text(ODR_NOTICE, encoding="utf-8")
    return path


@pytest.fixture
def answers(cli: Cli, notice: Path, tmp_path: Path) -> Path:
    path = tmp_path / "answers.yaml"
    cli("appeal", "questions", "--notice", str(notice), "--lang", "en", "-o", str(path))
    return path


def test_questions_print_a_yaml_answers_file(cli: Cli, notice: Path) -> None:
    result = cli("appeal", "questions", "--notice", str(notice), "--lang", "en")
    document = yaml.safe_load(result.stdout)
    assert document["format"] == "goodstanding-answers/1"
    assert [f["id"] for f in document["notice"]["families"]] == ["order_defect_rate"]


def test_questions_as_json_is_one_document(cli: Cli, notice: Path) -> None:
    document = cli.json("appeal", "questions", "--notice", str(notice), "--lang", "en")
    assert {q["group"] for q in document["questions"]} == {
        "root_cause",
        "immediate_actions",
        "prevention",
        "evidence",
    }


def test_unedited_answers_draft_as_plain_text(cli: Cli, notice: Path, answers: Path) -> None:
    result = cli("appeal", "draft", "--notice", str(notice), "--answers", str(answers))
    assert "Root cause" in result.stdout
    assert "Exhibit 1" in result.stdout
    assert "No account data" in result.stderr


@pytest.mark.parametrize(("fmt", "magic"), [("pdf", b"%PDF"), ("docx", b"PK")])
def test_draft_writes_binary_formats_to_a_file(
    cli: Cli, notice: Path, answers: Path, tmp_path: Path, fmt: str, magic: bytes
) -> None:
    out = tmp_path / f"plan.{fmt}"
    cli("appeal", "draft", "--notice", str(notice), "--answers", str(answers), "-o", str(out))
    assert out.read_bytes().startswith(magic)


def test_binary_format_needs_an_output_file(cli: Cli, notice: Path, answers: Path) -> None:
    result = cli(
        "appeal",
        "draft",
        "--notice",
        str(notice),
        "--answers",
        str(answers),
        "--format",
        "pdf",
        code=1,
    )
    assert "-o FILE" in result.stderr


def test_every_variant_and_format_drafts(
    cli: Cli, notice: Path, answers: Path, tmp_path: Path
) -> None:
    for variant in ("seller", "vendor", "cn-template"):
        for fmt in ("txt", "md"):
            out = tmp_path / f"{variant}.{fmt}"
            cli(
                "appeal",
                "draft",
                "--notice",
                str(notice),
                "--answers",
                str(answers),
                "--variant",
                variant,
                "--format",
                fmt,
                "-o",
                str(out),
            )
            assert out.stat().st_size > 500


def test_bad_answers_exit_1_and_write_nothing(
    cli: Cli, notice: Path, answers: Path, tmp_path: Path
) -> None:
    data = yaml.safe_load(answers.read_text(encoding="utf-8"))
    data["questions"][0]["selected"] = ["order_defect_rate.cause.invented"]
    edited = tmp_path / "edited.yaml"
    edited.write_text(yaml.safe_dump(data), encoding="utf-8")
    out = tmp_path / "plan.txt"
    result = cli(
        "appeal",
        "draft",
        "--notice",
        str(notice),
        "--answers",
        str(edited),
        "-o",
        str(out),
        code=1,
    )
    assert "edited.yaml" in result.stderr
    assert "order_defect_rate.cause.invented" in result.stderr
    assert not out.exists()


def test_missing_required_answer_exits_1(
    cli: Cli, notice: Path, answers: Path, tmp_path: Path
) -> None:
    data = yaml.safe_load(answers.read_text(encoding="utf-8"))
    gone = data["questions"].pop()["id"]
    edited = tmp_path / "short.json"
    edited.write_text(json.dumps(data), encoding="utf-8")
    result = cli("appeal", "draft", "--notice", str(notice), "--answers", str(edited), code=1)
    assert "missing required answer" in result.stderr
    assert gone in result.stderr


def test_notice_with_no_family_exits_1(cli: Cli, tmp_path: Path, answers: Path) -> None:
    letter = tmp_path / "letter.txt"
    letter.write_text("Thanks for the two garden chairs, they arrived on Tuesday.", "utf-8")
    result = cli("appeal", "questions", "--notice", str(letter), code=1)
    assert "no violation family" in result.stderr
    cli("appeal", "draft", "--notice", str(letter), "--answers", str(answers), code=1)


def test_unknown_account_exits_1(cli: Cli, notice: Path, answers: Path) -> None:
    result = cli(
        "appeal",
        "draft",
        "--notice",
        str(notice),
        "--answers",
        str(answers),
        "--account",
        "nobody",
        code=1,
    )
    assert "nobody" in result.stderr


def test_unwritable_output_exits_1(cli: Cli, notice: Path, answers: Path, tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x", encoding="utf-8")
    out = blocker / "plan.txt"  # a directory that is a file
    cli(
        "appeal",
        "draft",
        "--notice",
        str(notice),
        "--answers",
        str(answers),
        "-o",
        str(out),
        code=1,
    )
    assert blocker.read_text(encoding="utf-8") == "x"


def test_final_decision_warns_on_stderr(cli: Cli, tmp_path: Path) -> None:
    final = tmp_path / "final.txt"
    final.write_text(FINAL_NOTICE, encoding="utf-8")
    answers = tmp_path / "answers.json"
    result = cli(
        "appeal",
        "questions",
        "--notice",
        str(final),
        "--lang",
        "en",
        "--format",
        "json",
        "-o",
        str(answers),
    )
    assert "final" in result.stderr
    drafted = cli("appeal", "draft", "--notice", str(final), "--answers", str(answers))
    assert "final" in drafted.stderr
    assert drafted.stdout.strip()


def test_grade_prints_json_whatever_the_verdict(cli: Cli, tmp_path: Path, notice: Path) -> None:
    poa = tmp_path / "poa.txt"
    poa.write_text("Please give my account back!!! It was the buyers' fault.", "utf-8")
    document = cli.json("appeal", "grade", str(poa), "--notice", str(notice))
    assert set(document) == {"score", "verdict", "language", "findings"}
    assert document["verdict"] == "reject"
    assert {"rule", "severity", "message", "span", "fix"} <= set(document["findings"][0])


def test_grade_reads_stdin_and_our_drafts_are_ready(cli: Cli, notice: Path, answers: Path) -> None:
    text = cli("appeal", "draft", "--notice", str(notice), "--answers", str(answers)).stdout
    document = cli.json("appeal", "grade", "-", "--notice", str(notice), input=text)
    assert document["verdict"] == "ready"
    shown = cli("appeal", "grade", "-", input=text)
    assert "ready" in shown.stdout


def test_draft_with_account_states_its_figures(
    cli: Cli, notice: Path, answers: Path, tmp_path: Path
) -> None:
    demo = write_demo(tmp_path / "demo", orders=400, seed=3)
    with Workspace.open(load_settings()) as workspace:
        workspace.add_account("acme")
        workspace.ingest(list(demo.files.values()), account="acme")
    result = cli(
        "appeal",
        "draft",
        "--notice",
        str(notice),
        "--answers",
        str(answers),
        "--account",
        "acme",
    )
    assert "Our order defect rate" in result.stdout
    assert "No account data" not in result.stderr


GERMAN = "Unser Paketdienst hat am 3. Oktober elf Pakete verloren, weil die Etiketten falsch waren."


def _with_own_words(answers: Path) -> Path:
    data = yaml.safe_load(answers.read_text(encoding="utf-8"))
    data["questions"][0]["text"] = GERMAN
    data["information"]["contact"] = "Dana Lee"
    answers.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return answers


def test_llm_translates_own_words_through_an_openai_endpoint(
    cli: Cli, notice: Path, answers: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from appeal.fake_llm import fake_server  # tests/appeal (tests/ is on the path)

    english = "Our parcel service lost eleven parcels on 3 October because the labels were wrong."
    with fake_server(lambda messages: english) as (url, requests):
        monkeypatch.setenv("GOODSTANDING_LLM_BASE_URL", url)
        monkeypatch.setenv("GOODSTANDING_LLM_MODEL", "fake-model")
        edited = _with_own_words(answers)
        plain = cli("appeal", "draft", "--notice", str(notice), "--answers", str(edited))
        assert requests == []  # without --llm nothing leaves the machine
        assert GERMAN in plain.stdout
        result = cli("appeal", "draft", "--notice", str(notice), "--answers", str(edited), "--llm")
    assert english in result.stdout
    assert len(requests) == 1
    assert requests[0]["model"] == "fake-model"
    assert "Dana Lee" not in json.dumps(requests)


def test_llm_without_an_endpoint_exits_1(cli: Cli, notice: Path, answers: Path) -> None:
    edited = _with_own_words(answers)
    result = cli(
        "appeal", "draft", "--notice", str(notice), "--answers", str(edited), "--llm", code=1
    )
    assert "GOODSTANDING_LLM_BASE_URL" in result.stderr


def test_vendor_questions_and_vendor_draft(cli: Cli, tmp_path: Path) -> None:
    notice = tmp_path / "notice.txt"
    notice.write_text(
        "Your selling privileges have been removed: buyers reported that items were "
        "inauthentic (counterfeit). Submit a plan of action with invoices from your supplier.",
        encoding="utf-8",
    )
    answers = tmp_path / "answers.json"
    cli(
        "appeal",
        "questions",
        "--notice",
        str(notice),
        "--lang",
        "en",
        "--account-type",
        "vendor",
        "--format",
        "json",
        "-o",
        str(answers),
    )
    assert json.loads(answers.read_text(encoding="utf-8"))["account_type"] == "vendor"
    result = cli(
        "appeal",
        "draft",
        "--notice",
        str(notice),
        "--answers",
        str(answers),
        "--variant",
        "vendor",
    )
    assert "Systemic changes to sourcing and quality control" in result.stdout
    graded = cli.json("appeal", "grade", "-", "--notice", str(notice), input=result.stdout)
    assert graded["verdict"] == "ready"
