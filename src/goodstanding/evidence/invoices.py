"""Supplier invoices: text extraction from PDFs, field parsing, CSV import and Amazon's checks.

An invoice Amazon accepts for an appeal (reference §4.1) is a final invoice from a separate
supplier, dated within 365 days, showing the supplier's name, address, phone and website, made out
to the account's business at its address, with products identifiable and quantities that cover the
units sold. :func:`parse_invoice_text` reads those fields from the text layer of a PDF in English,
French, German, Italian, Spanish, Chinese or Japanese; the seller confirms or corrects them before
they count. :func:`check_invoice` applies the rules of ``knowledge/data/evidence.yaml``.
"""

from __future__ import annotations

import csv
import difflib
import io
import logging
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from typing import Any

from pypdf import PdfReader
from pypdf.errors import PyPdfError

from goodstanding.errors import InputError
from goodstanding.knowledge.evidence_rules import EvidenceRules, Finding, load_evidence_rules

ASIN = re.compile(r"(?<![A-Z0-9])(B0[A-Z0-9]{8})(?![A-Z0-9])")
"""An ASIN as printed on an invoice (B0 and eight capitals or digits)."""
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_URL = re.compile(
    r"(?:https?://|www\.)[^\s,;]+|\b[\w-]+(?:\.[\w-]+)*\.(?:com|net|org|fr|de|it|es|cn|co\.uk|jp|eu|io)\b(?!@)",
    re.I,
)
_PHONE = re.compile(r"\+?\(?\d[\d\s().-]{6,}\d")
_PHONE_LABEL = re.compile(
    r"^(?:tel|tél|téléphone|telephone|teléfono|telefono|phone|ph|telefon|fon|电话|電話|tel\.|"
    r"mobile|handy|cell|móvil|cellulare)\b\.?\s*[:：]?\s*",
    re.I,
)
_EMAIL_LABEL = re.compile(r"^(?:e-?mail|courriel|邮箱|电子邮件)\s*[:：]?\s*", re.I)
_WEB_LABEL = re.compile(r"^(?:web(?:site)?|site(?: web)?|internet|网址|网站)\s*[:：]?\s*", re.I)
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u9fff]")
_KANA = re.compile(r"[\u3040-\u30ff]")

# Labels per field, in the seven languages; matched at the start of a line, case-insensitively.
_SUPPLIER_LABELS = (
    "supplier",
    "seller",
    "vendor",
    "from",
    "sold by",
    "issued by",
    "manufacturer",
    "distributor",
    "fournisseur",
    "vendeur",
    "émetteur",
    "emetteur",
    "lieferant",
    "verkäufer",
    "rechnungssteller",
    "absender",
    "fornitore",
    "venditore",
    "proveedor",
    "vendedor",
    "emisor",
    "供应商",
    "销售方",
    "卖方",
    "销货单位",
    "仕入先",
    "販売元",
    "発行元",
)
_BUYER_LABELS = (
    "bill to",
    "billed to",
    "buyer",
    "customer",
    "sold to",
    "invoice to",
    "ship to",
    "client",
    "facturé à",
    "facture à",
    "acheteur",
    "destinataire",
    "rechnungsempfänger",
    "kunde",
    "käufer",
    "empfänger",
    "cliente",
    "acquirente",
    "comprador",
    "facturar a",
    "购买方",
    "买方",
    "客户",
    "购货单位",
    "請求先",
    "購入者",
    "お客様",
)
_NUMBER_LABELS = (
    "invoice number",
    "invoice no",
    "invoice #",
    "invoice nr",
    "n° de facture",
    "numéro de facture",
    "facture n°",
    "facture no",
    "rechnungsnummer",
    "rechnung nr",
    "rechnungs-nr",
    "numero fattura",
    "fattura n",
    "número de factura",
    "numero de factura",
    "factura no",
    "no de factura",
    "factura n",
    "发票号码",
    "发票编号",
    "发票号",
    "請求書番号",
)
_DATE_LABELS = (
    "invoice date",
    "date of issue",
    "issue date",
    "date de facture",
    "date de facturation",
    "date d'émission",
    "rechnungsdatum",
    "ausstellungsdatum",
    "data fattura",
    "data",
    "fecha de factura",
    "fecha",
    "开票日期",
    "发票日期",
    "日期",
    "請求日",
    "発行日",
    "datum",
    "date",
)
_TOTAL_LABELS = (
    "total",
    "grand total",
    "subtotal",
    "amount due",
    "total ttc",
    "total ht",
    "montant total",
    "gesamtbetrag",
    "gesamt",
    "summe",
    "endbetrag",
    "totale",
    "importe total",
    "合计",
    "总计",
    "金额合计",
    "合計",
    "小計",
    "sous-total",
    "zwischensumme",
)
_QUANTITY_WORDS = (
    "qty",
    "quantity",
    "quantité",
    "qté",
    "menge",
    "anzahl",
    "quantità",
    "qtà",
    "cantidad",
    "cant.",
    "数量",
    "數量",
    "units",
)
_UNIT_SUFFIX = re.compile(
    r"^(?:pcs|pc|units?|x|stk\.?|stück|pièces?|pz|uds?|件|个|個|台|套|箱)$", re.I
)
_PRO_FORMA = re.compile(
    r"pro[\s-]?forma|proformarechnung|形式发票|预开发票|見積|quotation|\bquote\b|\bdevis\b|"
    r"\bangebot\b|preventivo|presupuesto|报价单|sales order|bon de commande|auftragsbestätigung",
    re.I,
)
_KINDS = (
    (
        "receipt",
        re.compile(r"\breceipt\b|\breçu\b|quittung|kassenbon|ricevuta|recibo|收据|領収書", re.I),
    ),
    (
        "order confirmation",
        re.compile(
            r"order confirmation|confirmation de commande|bestellbestätigung|订单确认", re.I
        ),
    ),
    (
        "packing slip",
        re.compile(r"packing (?:slip|list)|bon de livraison|lieferschein|装箱单|納品書", re.I),
    ),
)
_MONTHS = {
    # en
    "january": 1,
    "february": 2,
    "march": 3,
    "april": 4,
    "may": 5,
    "june": 6,
    "july": 7,
    "august": 8,
    "september": 9,
    "october": 10,
    "november": 11,
    "december": 12,
    "jan": 1,
    "feb": 2,
    "mar": 3,
    "apr": 4,
    "jun": 6,
    "jul": 7,
    "aug": 8,
    "sep": 9,
    "sept": 9,
    "oct": 10,
    "nov": 11,
    "dec": 12,
    # fr
    "janvier": 1,
    "février": 2,
    "fevrier": 2,
    "mars": 3,
    "avril": 4,
    "mai": 5,
    "juin": 6,
    "juillet": 7,
    "août": 8,
    "aout": 8,
    "septembre": 9,
    "octobre": 10,
    "novembre": 11,
    "décembre": 12,
    "decembre": 12,
    # de
    "januar": 1,
    "februar": 2,
    "märz": 3,
    "maerz": 3,
    "juni": 6,
    "juli": 7,
    "oktober": 10,
    "dezember": 12,
    # it
    "gennaio": 1,
    "febbraio": 2,
    "marzo": 3,
    "aprile": 4,
    "maggio": 5,
    "giugno": 6,
    "luglio": 7,
    "agosto": 8,
    "settembre": 9,
    "ottobre": 10,
    "dicembre": 12,
    # es
    "enero": 1,
    "febrero": 2,
    "abril": 4,
    "mayo": 5,
    "junio": 6,
    "julio": 7,
    "septiembre": 9,
    "setiembre": 9,
    "octubre": 10,
    "noviembre": 11,
    "diciembre": 12,
}
_LEGAL_SUFFIXES = {
    "ltd",
    "limited",
    "llc",
    "inc",
    "incorporated",
    "corp",
    "corporation",
    "co",
    "company",
    "gmbh",
    "ag",
    "kg",
    "ug",
    "sarl",
    "sas",
    "sa",
    "eurl",
    "srl",
    "spa",
    "sl",
    "bv",
    "plc",
    "lp",
    "the",
    "有限公司",
    "有限责任公司",
    "股份有限公司",
    "公司",
    "株式会社",
}


@dataclass(frozen=True)
class InvoiceLine:
    """One line item: what was bought and how many units."""

    description: str
    quantity: int
    asin: str | None = None
    sku: str | None = None
    unit_price: float | None = None
    amount: float | None = None

    def to_json(self) -> dict[str, Any]:
        """The line as a JSON-ready dict."""
        return {
            "description": self.description,
            "quantity": self.quantity,
            "asin": self.asin,
            "sku": self.sku,
            "unit_price": self.unit_price,
            "amount": self.amount,
        }


@dataclass(frozen=True)
class Invoice:
    """The fields of one supplier invoice, as extracted, imported or confirmed by the seller."""

    number: str | None = None
    invoice_date: date | None = None
    supplier_name: str | None = None
    supplier_address: str | None = None
    supplier_phone: str | None = None
    supplier_email: str | None = None
    supplier_website: str | None = None
    buyer_name: str | None = None
    buyer_address: str | None = None
    currency: str | None = None
    total: float | None = None
    lines: tuple[InvoiceLine, ...] = ()
    pro_forma: bool = False
    document_kind: str = "invoice"
    language: str = "en"
    has_file: bool = True

    def to_json(self) -> dict[str, Any]:
        """The invoice's fields as a JSON-ready dict."""
        return {
            "number": self.number,
            "date": self.invoice_date.isoformat() if self.invoice_date else None,
            "supplier": {
                "name": self.supplier_name,
                "address": self.supplier_address,
                "phone": self.supplier_phone,
                "email": self.supplier_email,
                "website": self.supplier_website,
            },
            "buyer": {"name": self.buyer_name, "address": self.buyer_address},
            "currency": self.currency,
            "total": self.total,
            "lines": [line.to_json() for line in self.lines],
            "pro_forma": self.pro_forma,
            "document_kind": self.document_kind,
            "language": self.language,
            "has_file": self.has_file,
        }

    @property
    def units(self) -> int:
        """Units on every line."""
        return sum(line.quantity for line in self.lines)


@dataclass(frozen=True)
class AccountFacts:
    """What the account says about its business: the name and address invoices must match."""

    legal_name: str | None = None
    address: str | None = None


@dataclass(frozen=True)
class Listing:
    """One ASIN the account sells, with its SKUs and product names (from the order data)."""

    asin: str
    skus: frozenset[str] = frozenset()
    names: tuple[str, ...] = ()


@dataclass(frozen=True)
class _Block:
    name: str | None = None
    address: str | None = None
    phone: str | None = None
    email: str | None = None
    website: str | None = None
    lines: list[str] = field(default_factory=list)


# PDF text


def read_pdf_text(data: bytes, name: str = "the PDF") -> str:
    """The text layer of a PDF, page by page.

    Raises:
        InputError: the file is not a readable PDF, is password-protected, or has no text layer
            (a scan): the message says what to do.
    """
    if not data.startswith(b"%PDF"):
        raise InputError(
            f"{name} is not a PDF file.",
            hint="Add the supplier's invoice as a PDF, or type its fields into a CSV (see "
            "`goodstanding invoices add --help`).",
        )
    quiet = logging.getLogger("pypdf")
    level = quiet.level
    # pypdf logs its repairs of damaged files; the user gets one clear message instead.
    quiet.setLevel(logging.CRITICAL)
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            raise InputError(
                f"{name} is password-protected.",
                hint="Save an unprotected copy (print to PDF) and add that instead.",
            )
        pages = [_page_text(page) for page in reader.pages]
    except InputError:
        raise
    except (PyPdfError, OSError, ValueError, KeyError, TypeError, AttributeError) as error:
        raise InputError(
            f"{name} cannot be read: it is damaged or not a complete PDF ({error}).",
            hint="Download the invoice again from the supplier.",
        ) from None
    finally:
        quiet.setLevel(level)
    text = "\n".join(pages)
    if not text.strip():
        raise InputError(
            f"{name} has no text layer: it looks like a scanned image.",
            hint="Run it through OCR (e.g. ocrmypdf) or enter its fields in a CSV with "
            "`goodstanding invoices add FILE.csv`.",
        )
    return text


def _page_text(page: Any) -> str:
    # The layout mode keeps a table row on one line and blank lines between blocks, which the
    # field parser relies on; the plain mode is the fallback for fonts layout mode cannot place.
    try:
        text = page.extract_text(extraction_mode="layout")
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError, ZeroDivisionError):
        text = None
    return str(text or page.extract_text() or "")


# Field parsing


def _fold(text: str) -> str:
    return unicodedata.normalize("NFKC", text).casefold()


def detect_language(text: str) -> str:
    """The invoice's language, from its script and its label words."""
    if _KANA.search(text):
        return "ja"
    if _CJK.search(text):
        return "zh"
    folded = _fold(text)
    scores = {
        "fr": sum(
            folded.count(w) for w in ("facture", "fournisseur", "quantité", "qté", "adresse")
        ),
        "de": sum(
            folded.count(w) for w in ("rechnung", "lieferant", "menge", "anschrift", "summe")
        ),
        "it": sum(folded.count(w) for w in ("fattura", "fornitore", "quantità", "indirizzo")),
        "es": sum(folded.count(w) for w in ("factura", "proveedor", "cantidad", "dirección")),
    }
    best = max(scores, key=lambda k: scores[k])
    return best if scores[best] > 0 else "en"


def _label_match(line: str, labels: Iterable[str]) -> str | None:
    """The rest of ``line`` after one of ``labels`` (longest first), or None."""
    folded = _fold(line).strip()
    for label in sorted(labels, key=len, reverse=True):
        if folded.startswith(label):
            rest = line.strip()[len(label) :]
            # A Latin label must end at a word boundary ("date" is not "dated").
            if rest and label[-1].isalpha() and rest[0].isalpha() and not _CJK.match(label[-1]):
                continue
            return rest.lstrip(" \t.:：#°-").strip()
    return None


def parse_date(text: str, language: str = "en") -> date | None:
    """The first date in ``text``: ISO, numeric (order from the language), or with a month name."""
    text = unicodedata.normalize("NFKC", text)
    found = re.search(r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日", text) or re.search(
        r"\b(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})\b", text
    )
    if found:
        return _safe_date(int(found[1]), int(found[2]), int(found[3]))
    found = re.search(r"\b(\d{1,2})[/.-](\d{1,2})[/.-](\d{4}|\d{2})\b", text)
    if found:
        first, second, year = int(found[1]), int(found[2]), int(found[3])
        year += 2000 if year < 100 else 0
        if first > 12 or (second <= 12 and (language != "en" or "." in found[0])):
            return _safe_date(year, second, first)
        return _safe_date(year, first, second)
    folded = _fold(text)
    found = re.search(r"\b(\d{1,2})(?:er|st|nd|rd|th)?\.?\s+([^\W\d_]+)\.?,?\s+(\d{4})\b", folded)
    if found and found[2] in _MONTHS:
        return _safe_date(int(found[3]), _MONTHS[found[2]], int(found[1]))
    found = re.search(r"\b([^\W\d_]+)\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})\b", folded)
    if found and found[1] in _MONTHS:
        return _safe_date(int(found[3]), _MONTHS[found[1]], int(found[2]))
    return None


def _safe_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _number(token: str) -> float | None:
    """A money or quantity token ("1,234.50", "1.234,50", "€12", "12,00€") as a float."""
    cleaned = re.sub(r"[^\d.,-]", "", unicodedata.normalize("NFKC", token))
    if not cleaned or not re.search(r"\d", cleaned):
        return None
    if "," in cleaned and "." in cleaned:
        if cleaned.rfind(",") > cleaned.rfind("."):
            cleaned = cleaned.replace(".", "").replace(",", ".")
        else:
            cleaned = cleaned.replace(",", "")
    elif "," in cleaned:
        head, _, tail = cleaned.rpartition(",")
        cleaned = f"{head.replace(',', '')}.{tail}" if len(tail) != 3 else cleaned.replace(",", "")
    try:
        return float(cleaned)
    except ValueError:
        return None


_CURRENCY_TOKEN = re.compile(r"^(?:[€$£¥￥]|EUR|USD|GBP|CNY|RMB|JPY)$", re.I)


def _is_numeric_token(token: str) -> bool:
    stripped = re.sub(r"^[€$£¥￥]|[€$£¥￥]$|^(?:EUR|USD|GBP|CNY|RMB|JPY)$", "", token)
    return bool(stripped) and bool(re.fullmatch(r"[-\d.,]*\d[-\d.,]*", stripped))


def _parse_block(lines: Sequence[str], first: str) -> _Block:
    name: str | None = first or None
    address: list[str] = []
    phone = email = website = None
    for raw in lines:
        line = raw.strip()
        if not line:
            continue
        if _PHONE_LABEL.match(line):
            phone = phone or _PHONE_LABEL.sub("", line).strip() or None
            continue
        found = _EMAIL.search(line)
        if found:
            email = email or found[0]
            continue
        if _WEB_LABEL.match(line) or (_URL.search(line) and len(line.split()) <= 3):
            match = _URL.search(line)
            website = website or (match[0] if match else _WEB_LABEL.sub("", line).strip())
            continue
        if line.startswith("+") and _PHONE.fullmatch(line):
            phone = phone or line
            continue
        if name is None:
            name = line
        else:
            address.append(line)
    return _Block(name, ", ".join(address) or None, phone, email, website)


_STOP_LABELS = (*_SUPPLIER_LABELS, *_BUYER_LABELS, *_NUMBER_LABELS, *_DATE_LABELS)


def _is_table_header(line: str) -> bool:
    folded = _fold(line)
    tokens = set(re.split(r"[\s|:]+", folded))
    return any(w in tokens or (_CJK.search(w) and w in folded) for w in _QUANTITY_WORDS)


def _is_total(line: str) -> bool:
    return _label_match(line, _TOTAL_LABELS) is not None


def _blocks(lines: list[str]) -> tuple[_Block | None, _Block | None]:
    supplier = buyer = None
    index = 0
    while index < len(lines):
        line = lines[index]
        for labels, role in ((_SUPPLIER_LABELS, "supplier"), (_BUYER_LABELS, "buyer")):
            rest = _label_match(line, labels)
            if rest is None:
                continue
            body: list[str] = []
            cursor = index + 1
            while cursor < len(lines):
                candidate = lines[cursor]
                if not candidate.strip() or _is_table_header(candidate) or _is_total(candidate):
                    break
                if any(
                    _label_match(candidate, group) is not None
                    for group in (_SUPPLIER_LABELS, _BUYER_LABELS, _NUMBER_LABELS, _DATE_LABELS)
                ):
                    break
                body.append(candidate)
                cursor += 1
            block = _parse_block(body, rest)
            if role == "supplier" and supplier is None:
                supplier = block
            elif role == "buyer" and buyer is None:
                buyer = block
            index = cursor - 1
            break
        index += 1
    return supplier, buyer


def _parse_line_item(line: str, quantity_first: bool) -> InvoiceLine | None:
    tokens = [t for t in line.replace("|", " ").split() if not _CURRENCY_TOKEN.match(t)]
    if not tokens:
        return None
    asin = next((m for t in tokens for m in ASIN.findall(t)), None)
    # Glue unit suffixes to their number ("120 件", "50 pcs").
    glued: list[str] = []
    for token in tokens:
        if glued and _UNIT_SUFFIX.match(token) and _is_numeric_token(glued[-1]):
            glued[-1] = glued[-1] + "#unit"
            continue
        match = re.fullmatch(r"(\d+)\s*(pcs|件|个|個|台|套|箱|x|stk\.?)", token, re.I)
        glued.append(f"{match[1]}#unit" if match else token)
    numbers: list[str] = []
    words = list(glued)
    if quantity_first and words and _is_numeric_token(words[0].removesuffix("#unit")):
        quantity = _number(words.pop(0).removesuffix("#unit"))
        while words and _is_numeric_token(words[-1].removesuffix("#unit")):
            numbers.insert(0, words.pop())
        prices = [_number(n) for n in numbers]
    else:
        while words and _is_numeric_token(words[-1].removesuffix("#unit")):
            numbers.insert(0, words.pop())
        if not numbers:
            return None
        marked = [n for n in numbers if n.endswith("#unit")]
        if marked:
            quantity = _number(marked[0].removesuffix("#unit"))
            prices = [_number(n) for n in numbers if n is not marked[0]]
        else:
            quantity = _number(numbers[0])
            prices = [_number(n) for n in numbers[1:]]
    if quantity is None or quantity <= 0 or quantity != int(quantity):
        return None
    description_tokens = [
        ASIN.sub("", w.removesuffix("#unit")) for w in words if not ASIN.fullmatch(w)
    ]
    description_tokens = [w for w in description_tokens if w]
    sku = None
    for token in list(description_tokens):
        if re.fullmatch(r"(?:sku|réf|ref|art(?:\.|ikel)?(?:-?nr)?)[:#]?([\w-]+)", token, re.I):
            sku = token.split(":")[-1].split("#")[-1]
            description_tokens.remove(token)
    description = " ".join(description_tokens).strip(" -:")
    if not description and not asin:
        return None
    unit_price = prices[0] if len(prices) >= 2 else None
    amount = prices[-1] if prices else None
    return InvoiceLine(description or (asin or ""), int(quantity), asin, sku, unit_price, amount)


def _line_items(lines: list[str]) -> tuple[tuple[InvoiceLine, ...], float | None]:
    items: list[InvoiceLine] = []
    total = None
    in_table = False
    quantity_first = False
    for line in lines:
        if not line.strip():
            continue
        if _is_total(line):
            numbers = [_number(t) for t in line.split() if _is_numeric_token(t)]
            values = [n for n in numbers if n is not None]
            if values:
                total = values[-1]
            in_table = False
            continue
        if _is_table_header(line):
            in_table = True
            first = _fold(line).split()[0] if line.split() else ""
            quantity_first = first in _QUANTITY_WORDS
            continue
        if in_table:
            item = _parse_line_item(line, quantity_first)
            if item is not None:
                items.append(item)
    return tuple(items), total


def _currency(text: str, language: str = "en") -> str | None:
    yen = "JPY" if language == "ja" else "CNY"
    for symbol, code in (
        ("€", "EUR"),
        ("EUR", "EUR"),
        ("£", "GBP"),
        ("GBP", "GBP"),
        ("USD", "USD"),
        ("$", "USD"),
        ("CNY", "CNY"),
        ("RMB", "CNY"),
        ("JPY", "JPY"),
        ("円", "JPY"),
        ("¥", yen),
        ("￥", yen),
    ):
        if symbol in text:
            return code
    return None


_PARTY_LABELS = (*_SUPPLIER_LABELS, *_BUYER_LABELS)
_GAP = re.compile(r"\S(\s{3,})(?=\S)")


def _column_cut(line: str) -> int | None:
    """Where a second labelled block starts on a line that holds two ("From: …   Bill to: …")."""
    if _label_match(line, _PARTY_LABELS) is None:
        return None
    for gap in _GAP.finditer(line):
        if _label_match(line[gap.end() :], _PARTY_LABELS) is not None:
            return gap.end()
    return None


def _unfold_columns(lines: list[str]) -> list[str]:
    """Supplier and buyer blocks printed side by side, one after the other."""
    out: list[str] = []
    index = 0
    while index < len(lines):
        cut = _column_cut(lines[index])
        if cut is None:
            out.append(lines[index])
            index += 1
            continue
        left: list[str] = []
        right: list[str] = []
        while index < len(lines) and lines[index].strip() and not _is_table_header(lines[index]):
            left.append(lines[index][:cut].rstrip())
            right.append(lines[index][cut:].strip())
            index += 1
        out += [line for line in left if line.strip()] + [""]
        out += [line for line in right if line.strip()] + [""]
    return out


def parse_invoice_text(text: str) -> Invoice:
    """Read an invoice's fields from its text (best effort; the seller confirms them)."""
    language = detect_language(text)
    lines = _unfold_columns(
        [unicodedata.normalize("NFKC", line).rstrip() for line in text.splitlines()]
    )
    number = invoice_date = None
    for line in lines:
        if number is None:
            rest = _label_match(line, _NUMBER_LABELS)
            if rest:
                number = rest.split()[0].strip(":：#")
                # "Invoice No. 123 Date: 2026-01-02" on one line
                dated = parse_date(rest, language)
                invoice_date = invoice_date or dated
        if invoice_date is None:
            rest = _label_match(line, _DATE_LABELS)
            if rest:
                invoice_date = parse_date(rest, language)
    if invoice_date is None:
        invoice_date = next(
            (d for d in (parse_date(line, language) for line in lines) if d is not None), None
        )
    supplier, buyer = _blocks(lines)
    items, total = _line_items(lines)
    head = "\n".join(line for line in lines if line.strip())[:400]
    kind = next((name for name, pattern in _KINDS if pattern.search(head)), "invoice")
    empty = _Block()
    supplier = supplier or empty
    buyer = buyer or empty
    # Contact details printed in a letterhead, outside any labelled block, belong to the supplier.
    if supplier.phone is None:
        found = next(
            (_PHONE_LABEL.sub("", ln).strip() for ln in lines if _PHONE_LABEL.match(ln.strip())),
            None,
        )
        supplier = replace(supplier, phone=found)
    if supplier.email is None and buyer.email is None:
        match = _EMAIL.search(text)
        supplier = replace(supplier, email=match[0] if match else None)
    if supplier.website is None:
        match = next(
            (m for m in (_URL.search(ln) for ln in lines if not _EMAIL.search(ln)) if m), None
        )
        supplier = replace(supplier, website=match[0] if match else None)
    return Invoice(
        number=number,
        invoice_date=invoice_date,
        supplier_name=supplier.name,
        supplier_address=supplier.address,
        supplier_phone=supplier.phone,
        supplier_email=supplier.email,
        supplier_website=supplier.website,
        buyer_name=buyer.name,
        buyer_address=buyer.address,
        currency=_currency(text, language),
        total=total,
        lines=items,
        pro_forma=bool(_PRO_FORMA.search(head)),
        document_kind=kind,
        language=language,
    )


# CSV import

CSV_COLUMNS = (
    "invoice_number",
    "invoice_date",
    "supplier_name",
    "supplier_address",
    "supplier_phone",
    "supplier_email",
    "supplier_website",
    "buyer_name",
    "buyer_address",
    "currency",
    "asin",
    "sku",
    "description",
    "quantity",
    "unit_price",
    "amount",
)
"""Columns of the bulk-import CSV (one row per invoice line; an invoice's rows share its number)."""
_CSV_REQUIRED = ("invoice_number", "invoice_date", "supplier_name", "quantity")


def read_invoice_csv(data: bytes, name: str = "the CSV") -> list[Invoice]:
    """Invoices from a register CSV (one row per line item, grouped by invoice number).

    Raises:
        InputError: not UTF-8, a missing column, or a bad value (the message names the line).
    """
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InputError(f"{name} is not UTF-8 text.", hint="Save the CSV as UTF-8.") from None
    reader = csv.DictReader(io.StringIO(text))
    headers = {
        (h or "").strip().lower().replace("-", "_").replace(" ", "_")
        for h in reader.fieldnames or []
    }
    missing = [c for c in _CSV_REQUIRED if c not in headers]
    if missing:
        raise InputError(
            f"{name} lacks the column(s) {', '.join(missing)}.",
            hint="Columns: " + ", ".join(CSV_COLUMNS) + " (one row per invoice line).",
        )
    grouped: dict[tuple[str, str], dict[str, Any]] = {}
    for number, row in enumerate(reader, start=2):
        cells = {
            (k or "").strip().lower().replace("-", "_").replace(" ", "_"): (v or "").strip()
            for k, v in row.items()
        }
        for column in _CSV_REQUIRED:
            if not cells.get(column):
                raise InputError(f"{name}, line {number}: {column} is empty.")
        day = _iso_date(cells["invoice_date"])
        if day is None:
            raise InputError(
                f"{name}, line {number}: invoice_date {cells['invoice_date']!r} is not a date.",
                hint="Write dates as YYYY-MM-DD.",
            )
        quantity = cells["quantity"]
        if not quantity.isdigit() or int(quantity) <= 0:
            raise InputError(
                f"{name}, line {number}: quantity {quantity!r} is not a whole number above 0."
            )
        if not cells.get("description") and not cells.get("asin"):
            raise InputError(f"{name}, line {number}: give a description or an ASIN.")
        asin = cells.get("asin") or None
        if (
            asin is not None
            and not ASIN.fullmatch(asin.upper())
            and not re.fullmatch(r"[A-Z0-9]{10}", asin.upper())
        ):
            raise InputError(f"{name}, line {number}: {asin!r} is not an ASIN (10 characters).")
        key = (cells["invoice_number"], cells["supplier_name"])
        entry = grouped.setdefault(key, {"cells": cells, "day": day, "lines": []})
        entry["lines"].append(
            InvoiceLine(
                description=cells.get("description") or (asin or ""),
                quantity=int(quantity),
                asin=asin.upper() if asin else None,
                sku=cells.get("sku") or None,
                unit_price=_number(cells["unit_price"]) if cells.get("unit_price") else None,
                amount=_number(cells["amount"]) if cells.get("amount") else None,
            )
        )
    if not grouped:
        raise InputError(f"{name} has no invoice rows.", hint="Add one row per invoice line.")
    invoices = []
    for entry in grouped.values():
        cells = entry["cells"]
        invoices.append(
            Invoice(
                number=cells["invoice_number"],
                invoice_date=entry["day"],
                supplier_name=cells["supplier_name"],
                supplier_address=cells.get("supplier_address") or None,
                supplier_phone=cells.get("supplier_phone") or None,
                supplier_email=cells.get("supplier_email") or None,
                supplier_website=cells.get("supplier_website") or None,
                buyer_name=cells.get("buyer_name") or None,
                buyer_address=cells.get("buyer_address") or None,
                currency=cells.get("currency") or None,
                lines=tuple(entry["lines"]),
                has_file=False,
            )
        )
    return invoices


def _iso_date(value: str) -> date | None:
    try:
        return date.fromisoformat(value)
    except ValueError:
        return None


# Matching and checks


def normalize_name(name: str) -> str:
    """A business name without case, punctuation or legal-form words ("ACME Ltd." = "acme")."""
    folded = _fold(name)
    for suffix in ("有限责任公司", "股份有限公司", "有限公司", "株式会社", "公司"):
        folded = folded.replace(suffix, " ")
    words = re.findall(r"\w+", folded)
    return " ".join(w for w in words if w not in _LEGAL_SUFFIXES)


def names_match(first: str | None, second: str | None) -> bool:
    """Whether two business or person names denote the same party."""
    if not first or not second:
        return False
    a, b = normalize_name(first), normalize_name(second)
    if not a or not b:
        return False
    return a == b or difflib.SequenceMatcher(None, a, b).ratio() >= 0.9


def addresses_match(given: str | None, expected: str | None) -> bool:
    """Whether an address agrees with the expected one: same numbers, most of the same words."""
    if not given or not expected:
        return False
    ours, theirs = set(re.findall(r"\w+", _fold(expected))), set(re.findall(r"\w+", _fold(given)))
    if _CJK.search(expected):
        ours = set(_fold(expected)) - set(" ,.-")
        theirs = set(_fold(given)) - set(" ,.-")
    digits = {t for t in ours if t.isdigit()}
    if not digits <= theirs:
        return False
    words = {t for t in ours if not t.isdigit()}
    return not words or len(words & theirs) / len(words) >= 0.6


def _tokens(text: str) -> set[str]:
    return (
        set(re.findall(r"\w+", _fold(text))) if not _CJK.search(text) else set(_fold(text)) - {" "}
    )


def match_lines(
    lines: Sequence[InvoiceLine], listings: Mapping[str, Listing]
) -> tuple[InvoiceLine, ...]:
    """Give each line the ASIN it refers to: its own, its SKU's, or the listing its name matches."""
    by_sku = {sku.casefold(): listing.asin for listing in listings.values() for sku in listing.skus}
    matched = []
    for line in lines:
        asin = line.asin if line.asin in listings else None
        if asin is None and line.sku:
            asin = by_sku.get(line.sku.casefold())
        if asin is None and line.asin is None:
            asin = _match_name(line.description, listings)
        matched.append(replace(line, asin=asin or line.asin))
    return tuple(matched)


def _match_name(description: str, listings: Mapping[str, Listing]) -> str | None:
    words = _tokens(description)
    if not words:
        return None
    best, best_score = None, 0.0
    for listing in listings.values():
        for name in listing.names:
            theirs = _tokens(name)
            if not theirs:
                continue
            score = len(words & theirs) / len(words | theirs)
            ratio = difflib.SequenceMatcher(None, _fold(description), _fold(name)).ratio()
            score = max(score, ratio)
            if score > best_score:
                best, best_score = listing.asin, score
    return best if best_score >= 0.6 else None


def check_invoice(
    invoice: Invoice,
    *,
    as_of: date,
    account: AccountFacts | None = None,
    listings: Mapping[str, Listing] | None = None,
    rules: EvidenceRules | None = None,
) -> list[Finding]:
    """Amazon's invoice rules applied to one invoice (reference §4.1, §4.2).

    Args:
        invoice: the invoice's fields (lines already matched with :func:`match_lines`).
        as_of: the day the check is made (Amazon counts 365 days back from its notice).
        account: the account's business name and address; name checks are skipped without it.
        listings: the ASINs the account sells; product checks are skipped without them.
        rules: the rules file (default the packaged one).
    """
    rules = rules or load_evidence_rules()
    found: list[Finding] = []
    max_age = rules.threshold("invoice_max_age_days")
    warning = rules.threshold("invoice_expiry_warning_days")
    day = invoice.invoice_date
    if day is None:
        found.append(rules.finding("invoice_date_missing"))
    elif day > as_of:
        found.append(rules.finding("invoice_future_date", date=day))
    elif (as_of - day).days > max_age:
        found.append(rules.finding("invoice_too_old", date=day, days=max_age))
    elif (as_of - day).days > max_age - warning:
        found.append(
            rules.finding(
                "invoice_expiring",
                date=day,
                days=max_age,
                expires=day + timedelta(days=max_age + 1),
            )
        )
    if invoice.pro_forma:
        found.append(rules.finding("pro_forma"))
    if invoice.document_kind != "invoice":
        found.append(rules.finding("not_an_invoice", kind=invoice.document_kind))
    if not invoice.supplier_name:
        found.append(rules.finding("supplier_name_missing"))
    if not invoice.supplier_address:
        found.append(rules.finding("supplier_address_missing"))
    missing = []
    if not invoice.supplier_phone:
        missing.append("phone")
    if not invoice.supplier_website and not invoice.supplier_email:
        missing.append("website or e-mail")
    if missing:
        found.append(rules.finding("supplier_contact_incomplete", missing=" and ".join(missing)))
    if not invoice.buyer_name:
        found.append(rules.finding("buyer_name_missing"))
    elif (
        account is not None
        and account.legal_name
        and not names_match(invoice.buyer_name, account.legal_name)
    ):
        found.append(
            rules.finding(
                "buyer_name_mismatch", buyer=invoice.buyer_name, expected=account.legal_name
            )
        )
    if (
        invoice.supplier_name
        and invoice.buyer_name
        and names_match(invoice.supplier_name, invoice.buyer_name)
    ):
        found.append(rules.finding("self_issued"))
    if not invoice.buyer_address:
        found.append(rules.finding("buyer_address_missing"))
    elif (
        account is not None
        and account.address
        and not addresses_match(invoice.buyer_address, account.address)
    ):
        found.append(rules.finding("buyer_address_mismatch"))
    if not invoice.lines:
        found.append(rules.finding("no_line_items"))
    elif listings is not None:
        for line in invoice.lines:
            if line.asin is None or line.asin not in listings:
                found.append(rules.finding("product_unmatched", description=line.description))
    if not invoice.has_file:
        found.append(rules.finding("no_document_file"))
    return found
