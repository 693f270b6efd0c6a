"""The file formats goodstanding reads: which header feeds which canonical column, and how.

One :class:`ReportFormat` per row report type (metric-conventions.md §1). Each canonical column
of ``tables.TABLES[type]`` is either read from a header (:class:`Column`) or derived from another
column (:class:`Derived`). Header names are matched case-insensitively after trimming spaces and a
UTF-8 BOM; the first name in ``Column.headers`` is the one Amazon (or our template) writes.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Final, Literal

Kind = Literal[
    "id", "string", "text", "timestamp", "date", "int", "float", "flag", "choice", "channel"
]
"""How a column's text becomes a value.

- ``id``/``string``: trimmed text; ``text``: free text kept as written (product names, comments).
- ``timestamp``/``date``: metric-conventions.md §3 (a date-only timestamp means the end of the day).
- ``int``/``float``: numbers; ``flag``: Y/N, yes/no, true/false, 1/0.
- ``choice``: one of ``allowed`` (case-insensitive, stored lower case).
- ``channel``: fulfillment-channel, Amazon/AFN → ``afn``, Merchant/MFN → ``mfn``.
"""

FLAG_TRUE: Final = ("y", "yes", "true", "1")
FLAG_FALSE: Final = ("n", "no", "false", "0")

CLAIM_REASONS: Final = ("item_not_received", "not_as_described", "other")
CLAIM_STATUSES: Final = (
    "pending",
    "granted_seller_funded",
    "granted_amazon_funded",
    "refunded_by_seller",
    "denied",
    "withdrawn_before_decision",
    "withdrawn_after_refund",
    "appeal_won",
)
CHARGEBACK_REASONS: Final = ("service", "fraud")
CHARGEBACK_STATUSES: Final = ("open", "represented_won", "refunded", "debited")

CHANNELS: Final = {"amazon": "afn", "afn": "afn", "merchant": "mfn", "mfn": "mfn"}
"""fulfillment-channel values (lower case) → canonical channel (metric-conventions.md §2)."""


def normalize_header(name: str) -> str:
    """The form header names are compared in: BOM and surrounding spaces removed, lower case."""
    return name.replace("\ufeff", "").strip().lower()


@dataclass(frozen=True)
class Column:
    """One canonical column read from the file.

    Attributes:
        name: the canonical column (``tables.TABLES[type].schema``).
        headers: accepted header names; the first is the one Amazon or our template writes.
        kind: how the text becomes a value (see :data:`Kind`).
        required: the header must be present (metric-conventions.md §1).
        nullable: a blank cell is allowed (stored as null, or ``blank`` for flags).
        allowed: for ``choice`` columns, the vocabulary (lower case).
        minimum: smallest allowed number (ints).
        maximum: largest allowed number (ints).
        blank: for flags, the value of a blank cell or an absent column (None = null).
        meaning: what the column holds, for templates and help texts.
    """

    name: str
    headers: tuple[str, ...]
    kind: Kind
    required: bool = False
    nullable: bool = True
    allowed: tuple[str, ...] = ()
    minimum: int | None = None
    maximum: int | None = None
    blank: bool | None = None
    meaning: str = ""

    @property
    def header(self) -> str:
        """The header name as Amazon or our template writes it."""
        return self.headers[0]


@dataclass(frozen=True)
class Derived:
    """A canonical column computed from another one: the UTC calendar date of a timestamp."""

    name: str
    source: str


@dataclass(frozen=True)
class ReportFormat:
    """How one report type's file maps onto its canonical table.

    Attributes:
        report_type: the type id (``tables.REPORT_TYPES``).
        title: what the file is, for messages.
        columns: the columns read from the file.
        derived: the columns computed from others.
        quoting: whether double quotes delimit fields (CSV templates); Amazon's TSV reports carry
            literal quotes in product names, so quoting is off for them.
    """

    report_type: str
    title: str
    columns: tuple[Column, ...]
    derived: tuple[Derived, ...] = ()
    quoting: bool = False

    @property
    def required(self) -> tuple[Column, ...]:
        """The columns whose header must be present."""
        return tuple(c for c in self.columns if c.required)

    @property
    def header(self) -> tuple[str, ...]:
        """Every column's header as Amazon or our template writes it, in order."""
        return tuple(c.header for c in self.columns)


ORDERS = ReportFormat(
    "orders",
    "Amazon all-orders report (flat file)",
    (
        Column("order_id", ("amazon-order-id",), "id", required=True, nullable=False),
        Column("purchase_at", ("purchase-date",), "timestamp", required=True, nullable=False),
        Column(
            "last_updated_at", ("last-updated-date",), "timestamp", required=True, nullable=False
        ),
        Column("order_status", ("order-status",), "string", required=True, nullable=False),
        Column("channel", ("fulfillment-channel",), "channel", required=True, nullable=False),
        Column("marketplace", ("sales-channel",), "string", required=True, nullable=False),
        Column("sku", ("sku",), "id", required=True),
        Column("asin", ("asin",), "id", required=True),
        Column("item_status", ("item-status",), "string"),
        # ES/NL help pages name the column quantity-purchased where the US file has quantity.
        Column(
            "quantity",
            ("quantity", "quantity-purchased"),
            "int",
            required=True,
            nullable=False,
            minimum=0,
        ),
        Column("currency", ("currency",), "string", required=True),
        # Amazon leaves the price blank on Pending and Cancelled lines: null means unknown.
        Column("item_price", ("item-price",), "float", required=True),
        Column("product_name", ("product-name",), "text"),
        Column("ship_service_level", ("ship-service-level",), "string"),
    ),
    derived=(Derived("order_date", "purchase_at"),),
)

FEEDBACK = ReportFormat(
    "feedback",
    "Amazon seller feedback report",
    (
        Column("feedback_date", ("date",), "date", required=True, nullable=False),
        Column("rating", ("rating",), "int", required=True, nullable=False, minimum=1, maximum=5),
        Column("comments", ("comments",), "text"),
        Column("response", ("your response",), "text"),
        Column("order_id", ("order id",), "id", required=True, nullable=False),
        Column("rater_email", ("rater email",), "string"),
    ),
)

RETURNS_MFN = ReportFormat(
    "returns_mfn",
    "Amazon returns report (seller-fulfilled)",
    (
        Column("order_id", ("order id",), "id", required=True, nullable=False),
        Column("order_date", ("order date",), "date"),
        Column(
            "return_requested_on", ("return request date",), "date", required=True, nullable=False
        ),
        Column("return_status", ("return request status",), "string"),
        Column("rma_id", ("amazon rma id",), "id"),
        Column("return_carrier", ("return carrier",), "string"),
        Column("tracking_id", ("tracking id",), "id"),
        Column("a_to_z_claim", ("a-to-z claim",), "flag"),
        Column("asin", ("asin",), "id"),
        Column("sku", ("merchant sku",), "id"),
        Column("item_name", ("item name",), "text"),
        Column("quantity", ("return quantity",), "int", minimum=0),
        Column("reason", ("return reason",), "string", required=True),
        Column("resolution", ("resolution",), "string"),
        Column("refunded_amount", ("refunded amount",), "float"),
    ),
)

RETURNS_FBA = ReportFormat(
    "returns_fba",
    "Amazon FBA customer returns report",
    (
        Column("returned_at", ("return-date",), "timestamp", required=True, nullable=False),
        Column("order_id", ("order-id",), "id", required=True, nullable=False),
        Column("sku", ("sku",), "id", required=True),
        Column("asin", ("asin",), "id"),
        Column("fnsku", ("fnsku",), "id"),
        Column("product_name", ("product-name",), "text"),
        Column("quantity", ("quantity",), "int", minimum=0),
        Column("fulfillment_center_id", ("fulfillment-center-id",), "string"),
        Column("disposition", ("detailed-disposition",), "string"),
        Column("reason", ("reason",), "string", required=True),
        Column("status", ("status",), "string"),
        Column("license_plate_number", ("license-plate-number",), "id"),
        Column("customer_comments", ("customer-comments",), "text"),
    ),
    derived=(Derived("return_date", "returned_at"),),
)

CANCELLATIONS = ReportFormat(
    "cancellations",
    "Seller Central cancellation-rate download",
    (
        Column("order_date", ("order date",), "date", required=True, nullable=False),
        Column("order_id", ("order id",), "id", required=True, nullable=False),
        Column(
            "impacts_account_health",
            ("impacts account health",),
            "flag",
            required=True,
            nullable=False,
        ),
    ),
    quoting=True,
)

_DATE_HELP = "ISO date-time (2026-03-14T09:30:00Z) or date (2026-03-14, end of that day)"

SHIPMENTS = ReportFormat(
    "shipments",
    "goodstanding shipments template",
    (
        Column(
            "order_id",
            ("order-id",),
            "id",
            required=True,
            nullable=False,
            meaning="Amazon order id (e.g. 114-1234567-1234567).",
        ),
        Column(
            "expected_ship_at",
            ("expected-ship-date",),
            "timestamp",
            required=True,
            nullable=False,
            meaning=f"Latest ship date Amazon promised; {_DATE_HELP}.",
        ),
        Column(
            "ship_confirmed_at",
            ("ship-confirmed-at",),
            "timestamp",
            required=True,
            meaning=f"When you confirmed shipment in Seller Central; blank = not confirmed; "
            f"{_DATE_HELP}.",
        ),
        Column("carrier", ("carrier",), "string", meaning="Carrier name (e.g. UPS, DHL)."),
        Column(
            "tracking_id",
            ("tracking-id",),
            "id",
            meaning="Tracking number given at confirmation; blank = none.",
        ),
        Column(
            "first_carrier_scan_at",
            ("first-carrier-scan-at",),
            "timestamp",
            meaning=f"First scan by the carrier; blank = never scanned; {_DATE_HELP}.",
        ),
        Column(
            "promised_delivery_at",
            ("promised-delivery-date",),
            "timestamp",
            meaning=f"Delivery date promised to the buyer; {_DATE_HELP}.",
        ),
        Column(
            "delivered_at",
            ("delivered-at",),
            "timestamp",
            meaning=f"When the carrier reported delivery; blank = not delivered; {_DATE_HELP}.",
        ),
        Column(
            "units",
            ("units",),
            "int",
            minimum=0,
            meaning="Units in the package (whole number).",
        ),
    ),
    quoting=True,
)

CLAIMS = ReportFormat(
    "claims",
    "goodstanding A-to-z claims template",
    (
        Column(
            "order_id",
            ("order-id",),
            "id",
            required=True,
            nullable=False,
            meaning="Amazon order id the claim is about.",
        ),
        Column(
            "claim_id",
            ("claim-id",),
            "id",
            required=True,
            nullable=False,
            meaning="Claim id shown in Performance › A-to-z Guarantee Claims.",
        ),
        Column(
            "filed_at",
            ("filed-at",),
            "timestamp",
            required=True,
            nullable=False,
            meaning=f"When the buyer filed the claim; {_DATE_HELP}.",
        ),
        Column(
            "reason",
            ("reason",),
            "choice",
            required=True,
            nullable=False,
            allowed=CLAIM_REASONS,
            meaning="Why the buyer claimed.",
        ),
        Column(
            "status",
            ("status",),
            "choice",
            required=True,
            nullable=False,
            allowed=CLAIM_STATUSES,
            meaning="Where the claim stands (decides whether it counts in the ODR).",
        ),
        Column(
            "buy_shipping",
            ("buy-shipping",),
            "flag",
            meaning="Y if the label was bought through Amazon Buy Shipping; blank = unknown.",
        ),
    ),
    quoting=True,
)

CHARGEBACKS = ReportFormat(
    "chargebacks",
    "goodstanding chargebacks template",
    (
        Column(
            "order_id",
            ("order-id",),
            "id",
            required=True,
            nullable=False,
            meaning="Amazon order id the chargeback is about.",
        ),
        Column(
            "chargeback_id",
            ("chargeback-id",),
            "id",
            required=True,
            nullable=False,
            meaning="Chargeback id shown in Performance › Chargeback Claims.",
        ),
        Column(
            "filed_at",
            ("filed-at",),
            "timestamp",
            required=True,
            nullable=False,
            meaning=f"When the chargeback was filed; {_DATE_HELP}.",
        ),
        Column(
            "reason",
            ("reason",),
            "choice",
            required=True,
            nullable=False,
            allowed=CHARGEBACK_REASONS,
            meaning="service (your responsibility, counts in the ODR) or fraud (Amazon's).",
        ),
        Column(
            "status",
            ("status",),
            "choice",
            required=True,
            nullable=False,
            allowed=CHARGEBACK_STATUSES,
            meaning="Where the chargeback stands.",
        ),
    ),
    quoting=True,
)

MESSAGES = ReportFormat(
    "messages",
    "goodstanding buyer messages template",
    (
        Column(
            "message_id",
            ("message-id",),
            "id",
            required=True,
            nullable=False,
            meaning="Any id unique to the message.",
        ),
        Column(
            "received_at",
            ("received-at",),
            "timestamp",
            required=True,
            nullable=False,
            meaning=f"When the buyer's message arrived; {_DATE_HELP}.",
        ),
        Column(
            "order_id",
            ("order-id",),
            "id",
            meaning="Amazon order id, if the message is about an order.",
        ),
        Column(
            "first_response_at",
            ("first-response-at",),
            "timestamp",
            meaning=f"When you first replied; blank = not answered; {_DATE_HELP}.",
        ),
        Column(
            "no_response_needed",
            ("no-response-needed",),
            "flag",
            blank=False,
            meaning="Y if you marked it 'no response needed'; blank = N.",
        ),
    ),
    quoting=True,
)

FORMATS: Final[Mapping[str, ReportFormat]] = {
    f.report_type: f
    for f in (
        ORDERS,
        FEEDBACK,
        RETURNS_MFN,
        RETURNS_FBA,
        CANCELLATIONS,
        SHIPMENTS,
        CLAIMS,
        CHARGEBACKS,
        MESSAGES,
    )
}
"""Every row report type's format, by type id."""

_ORDERS_MWS = (
    "amazon-order-id",
    "merchant-order-id",
    "purchase-date",
    "last-updated-date",
    "order-status",
    "fulfillment-channel",
    "sales-channel",
    "order-channel",
    "url",
    "ship-service-level",
    "product-name",
    "sku",
    "asin",
    "item-status",
    "quantity",
    "currency",
    "item-price",
    "item-tax",
    "shipping-price",
    "shipping-tax",
    "gift-wrap-price",
    "gift-wrap-tax",
    "item-promotion-discount",
    "ship-promotion-discount",
    "ship-city",
    "ship-state",
    "ship-postal-code",
    "ship-country",
    "promotion-ids",
)
_ORDERS_2017 = (*_ORDERS_MWS, "is-business-order", "purchase-order-number", "price-designation")
_ORDERS_2024 = (
    *tuple(h for h in _ORDERS_MWS if h != "url"),
    "cpf",
    *_ORDERS_2017[29:],
    "signature-confirmation-recommended",
)

ORDER_HEADERS: Final[Mapping[str, tuple[str, ...]]] = {
    "mws": _ORDERS_MWS,
    "2017": _ORDERS_2017,
    "2024": _ORDERS_2024,
}
"""The all-orders header in each era of amazon-account-health.md §3.4 (29, 32 and 33 columns)."""
