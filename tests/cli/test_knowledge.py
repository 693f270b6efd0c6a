"""`goodstanding families` and `goodstanding family`."""

from __future__ import annotations

from goodstanding.knowledge import FAMILY_IDS


def test_families_json_lists_every_family_with_id_and_name(cli) -> None:
    listed = cli.json("families")
    assert [entry["id"] for entry in listed] == list(FAMILY_IDS)
    assert all(entry["name"] for entry in listed)


def test_family_text_explains_the_policy_and_its_sources(cli) -> None:
    shown = cli("family", "late_shipment", "--lang", "en").stdout
    assert "Late shipment rate" in shown
    assert "root causes" in shown
    assert "amazon-account-health.md" in shown


def test_family_json_carries_items_with_ids(cli) -> None:
    shown = cli.json("family", "authenticity")
    assert shown["id"] == "authenticity"
    assert all(item["id"].startswith("authenticity.") for item in shown["root_causes"])
    assert shown["evidence"]


def test_family_unknown_id_exits_1_with_the_known_ids(cli) -> None:
    result = cli("family", "speeding", code=1)
    assert "speeding" in result.stderr


def test_family_unknown_language_exits_1(cli) -> None:
    result = cli("family", "authenticity", "--lang", "xx", code=1)
    assert "xx" in result.stderr
