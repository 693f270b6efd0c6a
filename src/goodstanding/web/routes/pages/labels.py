"""UI names of the ids the engine returns (metrics, statuses, report types), as catalog strings."""

from __future__ import annotations

from goodstanding.web.i18n import N_, Translator

__all__ = ["METRIC_NAMES", "REPORT_NAMES", "STATUS_NAMES", "label", "metric_unit"]

METRIC_NAMES: dict[str, str] = {
    "order_defect_rate": N_("Order defect rate"),
    "negative_feedback_rate": N_("Negative feedback rate"),
    "a_to_z_claim_rate": N_("A-to-z claim rate"),
    "chargeback_rate": N_("Chargeback rate"),
    "late_shipment_rate": N_("Late shipment rate"),
    "pre_fulfillment_cancel_rate": N_("Pre-fulfilment cancel rate"),
    "valid_tracking_rate": N_("Valid tracking rate"),
    "on_time_delivery_rate": N_("On-time delivery rate"),
    "late_response_rate": N_("Late response rate"),
}

STATUS_NAMES: dict[str, str] = {
    "ok": N_("On target"),
    "at_risk": N_("At risk"),
    "breach": N_("Breach"),
    "no_data": N_("No data"),
    "info": N_("For information"),
}

REPORT_NAMES: dict[str, str] = {
    "orders": N_("Orders"),
    "feedback": N_("Feedback"),
    "returns_mfn": N_("Returns (merchant-fulfilled)"),
    "returns_fba": N_("Returns (FBA)"),
    "cancellations": N_("Cancellations"),
    "shipments": N_("Shipments"),
    "claims": N_("A-to-z claims"),
    "chargebacks": N_("Chargebacks"),
    "messages": N_("Buyer messages"),
    "performance_v2": N_("Amazon performance report"),
}

_UNITS: dict[str, str] = {
    "order": N_("%(numerator)s of %(denominator)s orders"),
    "shipment": N_("%(numerator)s of %(denominator)s shipments"),
    "message": N_("%(numerator)s of %(denominator)s messages"),
}
_ITEM_OF_METRIC = {
    "valid_tracking_rate": "shipment",
    "on_time_delivery_rate": "shipment",
    "late_response_rate": "message",
}


def label(names: dict[str, str], key: str, tr: Translator) -> str:
    """The translated name of ``key`` in ``names`` (the key itself when unknown)."""
    return tr.gettext(names[key]) if key in names else key


def metric_unit(metric_id: str, numerator: int, denominator: int, tr: Translator) -> str:
    """``3 of 412 orders`` in the UI language (orders, shipments or messages per metric)."""
    item = _ITEM_OF_METRIC.get(metric_id, "order")
    return tr.gettext(
        _UNITS[item], numerator=tr.number(numerator), denominator=tr.number(denominator)
    )
