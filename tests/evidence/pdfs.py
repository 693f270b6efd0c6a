"""Invoice PDFs written by the tests with reportlab, in several layouts and languages."""

from __future__ import annotations

import io
from collections.abc import Sequence

from pypdf import PdfReader, PdfWriter
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen.canvas import Canvas

pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
pdfmetrics.registerFont(UnicodeCIDFont("HeiseiMin-W3"))


def text_pdf(lines: Sequence[str], *, font: str = "Helvetica", columns: bool = False) -> bytes:
    """A one-page PDF with one line of text per row (blank rows leave a gap).

    With ``columns``, a row holding "a | b | c" is drawn as cells at fixed x positions, like a
    table (the text extractor then sees the cells separated by spaces).
    """
    buffer = io.BytesIO()
    canvas = Canvas(buffer)
    y = 800.0
    for line in lines:
        if columns and " | " in line:
            for x, cell in zip((50, 220, 330, 420, 500), line.split(" | "), strict=False):
                canvas.setFont(font, 10)
                canvas.drawString(x, y, cell)
        else:
            canvas.setFont(font, 10)
            canvas.drawString(50, y, line)
        y -= 16
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def two_column_pdf(rows: Sequence[tuple[str, str]]) -> bytes:
    """A page whose rows hold a left text (x=50) and a right text (x=320), like letterheads."""
    buffer = io.BytesIO()
    canvas = Canvas(buffer)
    canvas.setFont("Helvetica", 10)
    y = 800.0
    for left, right in rows:
        if " | " in left:
            for x, cell in zip((50, 220, 330, 420, 500), left.split(" | "), strict=False):
                canvas.drawString(x, y, cell)
        else:
            canvas.drawString(50, y, left)
            canvas.drawString(320, y, right)
        y -= 16
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


TWO_COLUMNS = [
    ("INVOICE", ""),
    ("Invoice No: 5510", ""),
    ("Date: 2026-04-02", ""),
    ("", ""),
    ("From: Harbor Ceramics Inc.", "Bill To: Blue Mug Trading LLC"),
    ("88 Wharf Road", "400 Pine Street, Suite 5"),
    ("Boston, MA 02110", "Seattle, WA 98101"),
    ("Phone: +1 617 555 0100", ""),
    ("www.harbor-ceramics.com", ""),
    ("", ""),
    ("Item | ASIN | Qty | Price | Amount", ""),
    ("Blue mug | B000000001 | 70 | 2.00 | 140.00", ""),
]


def image_only_pdf() -> bytes:
    """A PDF holding only a drawn picture and no text: what a scanner produces."""
    buffer = io.BytesIO()
    canvas = Canvas(buffer)
    canvas.rect(50, 500, 300, 200, fill=1)
    canvas.circle(300, 300, 80, fill=1)
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def encrypted(pdf: bytes, password: str = "secret") -> bytes:
    """The same PDF behind a password."""
    writer = PdfWriter()
    for page in PdfReader(io.BytesIO(pdf)).pages:
        writer.add_page(page)
    writer.encrypt(password)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


ENGLISH = [
    "ACME Supplies Ltd",
    "INVOICE",
    "Invoice No: INV-2026-0042",
    "Invoice Date: 14 March 2026",
    "",
    "Supplier: ACME Supplies Ltd",
    "12 Harbour Road, Leeds LS1 4AB, United Kingdom",
    "Tel: +44 113 496 0000",
    "www.acme-supplies.co.uk",
    "",
    "Bill To: Blue Mug Trading LLC",
    "400 Pine Street, Suite 5, Seattle, WA 98101",
    "",
    "Description | ASIN | Qty | Unit price | Amount",
    "Blue ceramic mug 350ml | B000000001 | 120 | 2.50 | 300.00",
    "Green travel mug | B000000002 | 60 | 2.40 | 144.00",
    "",
    "Total USD 444.00",
]

FRENCH = [
    "FACTURE",
    "Facture N° : F-2026-118",
    "Date de facture : 05/02/2026",
    "",
    "Fournisseur : Céramiques du Sud SARL",
    "8 rue des Potiers, 13002 Marseille, France",
    "Téléphone : +33 4 91 00 00 00",
    "contact@ceramiques-du-sud.fr",
    "",
    "Client : Blue Mug Trading LLC",
    "400 Pine Street, Suite 5, Seattle, WA 98101",
    "",
    "Désignation | Réf | Qté | Prix unitaire | Montant",
    "Tasse bleue en céramique | B000000001 | 80 | 2,10 € | 168,00 €",
    "",
    "Total TTC 168,00 €",
]

GERMAN = [
    "RECHNUNG",
    "Rechnungsnummer: R-55012",
    "Rechnungsdatum: 20.01.2026",
    "",
    "Lieferant: Becherwerk GmbH",
    "Industriestraße 4, 70173 Stuttgart, Deutschland",
    "Telefon: +49 711 000000",
    "Web: www.becherwerk.de",
    "",
    "Rechnungsempfänger: Blue Mug Trading LLC",
    "400 Pine Street, Suite 5, Seattle, WA 98101",
    "",
    "Menge | Artikel | ASIN | Einzelpreis | Betrag",
    "40 | Grüner Reisebecher | B000000002 | 3,00 | 120,00",
    "",
    "Gesamtbetrag EUR 120,00",
]

CHINESE = [
    "商业发票",
    "发票号码：CN-2026-7788",
    "开票日期：2026年1月8日",
    "",
    "供应商：深圳市好物科技有限公司",
    "深圳市南山区科技园路1号",
    "电话：+86 755 0000 0000",
    "网址：www.haowu-tech.cn",
    "",
    "购买方：Blue Mug Trading LLC",
    "400 Pine Street, Suite 5, Seattle, WA 98101",
    "",
    "产品 | ASIN | 数量 | 单价 | 金额",
    "蓝色陶瓷杯 | B000000001 | 200件 | 1.80 | 360.00",
    "",
    "合计 CNY 360.00",
]

PRO_FORMA = [
    "PRO FORMA INVOICE",
    "Invoice No: PF-9",
    "Invoice Date: 01 June 2026",
    "Supplier: Quick Trade Co",
    "1 Market Street, Springfield",
    "",
    "Bill To: Blue Mug Trading LLC",
    "400 Pine Street, Suite 5, Seattle, WA 98101",
    "",
    "Description | ASIN | Qty | Unit price | Amount",
    "Blue ceramic mug 350ml | B000000001 | 500 | 2.00 | 1000.00",
]

ITALIAN = [
    "FATTURA",
    "Fattura n. 2026/77",
    "Data fattura: 12/03/2026",
    "",
    "Fornitore: Tazze Italia S.r.l.",
    "Via Roma 10, 20121 Milano",
    "Tel: +39 02 0000 0000",
    "www.tazze-italia.it",
    "",
    "Cliente: Blue Mug Trading LLC",
    "400 Pine Street, Suite 5, Seattle, WA 98101",
    "",
    "Descrizione | ASIN | Quantità | Prezzo | Importo",
    "Tazza blu | B000000001 | 30 | 2,00 | 60,00",
    "",
    "Totale EUR 60,00",
]

SPANISH = [
    "FACTURA",
    "Factura nº: E-301",
    "Fecha de factura: 07/04/2026",
    "",
    "Proveedor: Tazas Ibéricas S.L.",
    "Calle Mayor 5, 28013 Madrid",
    "Teléfono: +34 91 000 00 00",
    "ventas@tazas.es",
    "",
    "Cliente: Blue Mug Trading LLC",
    "400 Pine Street, Suite 5, Seattle, WA 98101",
    "",
    "Descripción | ASIN | Cantidad | Precio | Importe",
    "Taza azul | B000000001 | 25 | 2,20 | 55,00",
    "",
    "Importe total 55,00 €",
]

JAPANESE = [
    "請求書",
    "請求書番号：JP-88",
    "発行日：2026年2月3日",
    "",
    "発行元：株式会社マグ工房",
    "東京都港区1-2-3",
    "電話：+81 3 0000 0000",
    "www.mug-kobo.jp",
    "",
    "請求先：Blue Mug Trading LLC",
    "400 Pine Street, Suite 5, Seattle, WA 98101",
    "",
    "品名 | ASIN | 数量 | 単価 | 金額",
    "青いマグ | B000000001 | 15個 | ¥500 | ¥7500",
    "",
    "合計 ¥7500",
]
