"""`goodstanding notice classify` on files, stdin, and bad input."""

from __future__ import annotations

from pathlib import Path

NOTICE = """Hello,

We have deactivated your Amazon.de selling privileges because your account's order defect rate
is above our target of 1%. Your late shipment rate is also above 4%.

Orders: 302-1234567-1234567, 028-7654321-7654321

How do I reactivate my account?
Send us a plan of action within 17 days that explains the root cause, the actions you have
taken and the steps you will take to prevent it.
"""


def test_classify_json_has_the_issue_shape(cli, tmp_path: Path) -> None:
    notice = tmp_path / "notice.txt"
    notice.write_text(NOTICE, encoding="utf-8")
    reading = cli.json("notice", "classify", str(notice))
    assert set(reading) >= {
        "language",
        "account_type",
        "scope",
        "families",
        "asins",
        "order_ids",
        "marketplace",
        "deadline",
        "days_to_respond",
        "final_decision",
        "requested",
        "next_steps",
    }
    found = {family["id"] for family in reading["families"]}
    assert {"order_defect_rate", "late_shipment"} <= found
    assert reading["days_to_respond"] == 17
    assert reading["marketplace"] == "Amazon.de"
    assert "302-1234567-1234567" in reading["order_ids"]
    for family in reading["families"]:
        assert family["evidence"], family
        assert family["evidence"] in NOTICE, "evidence must be an exact span of the notice"


def test_classify_reads_stdin(cli) -> None:
    reading = cli.json("notice", "classify", "-", input=NOTICE)
    assert reading["families"]


def test_classify_text_output_names_the_families(cli, tmp_path: Path) -> None:
    notice = tmp_path / "notice.txt"
    notice.write_text(NOTICE, encoding="utf-8")
    shown = cli("notice", "classify", str(notice)).stdout
    assert "order_defect_rate" in shown
    assert "17 days" in shown


def test_classify_a_recipe_finds_no_family_and_exits_0(cli) -> None:
    recipe = "Pancakes: mix 200 g flour, 2 eggs and 300 ml milk; rest 30 minutes; fry in butter."
    reading = cli.json("notice", "classify", "-", input=recipe)
    assert reading["families"] == []


def test_classify_empty_file_exits_1_naming_the_problem(cli, tmp_path: Path) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    result = cli("notice", "classify", str(empty), code=1)
    assert "empty" in result.stderr


def test_classify_missing_file_exits_1(cli, tmp_path: Path) -> None:
    result = cli("notice", "classify", str(tmp_path / "nope.txt"), code=1)
    assert "nope.txt" in result.stderr
