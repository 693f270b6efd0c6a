"""Small value types shared by every package."""

from __future__ import annotations

from enum import StrEnum
from typing import Final


class AccountType(StrEnum):
    """Seller Central (3P) or Vendor Central (1P)."""

    SELLER = "seller"
    VENDOR = "vendor"


class Channel(StrEnum):
    """Who fulfils an order: Amazon (FBA, ``afn``) or the merchant (``mfn``)."""

    AFN = "afn"
    MFN = "mfn"


LANGUAGES: Final = ("en", "zh", "fr", "it", "de", "es", "ja")
"""The languages goodstanding speaks, in the order menus list them."""

DEFAULT_MARKETPLACE: Final = "Amazon.com"

# Marketplaces (sales-channel values) whose stores write day-first dates (DD/MM/YYYY, DD.MM.YYYY).
DAY_FIRST_MARKETPLACES: Final = frozenset(
    {
        "Amazon.co.uk",
        "Amazon.de",
        "Amazon.fr",
        "Amazon.it",
        "Amazon.es",
        "Amazon.nl",
        "Amazon.se",
        "Amazon.pl",
        "Amazon.com.be",
        "Amazon.ie",
        "Amazon.in",
        "Amazon.com.au",
        "Amazon.com.br",
        "Amazon.com.tr",
        "Amazon.ae",
        "Amazon.sa",
        "Amazon.eg",
        "Amazon.sg",
    }
)

# Marketplace id (SP-API) → sales-channel name, for the marketplaces a V2 report can name.
MARKETPLACE_IDS: Final = {
    "ATVPDKIKX0DER": "Amazon.com",
    "A2EUQ1WTGCTBG2": "Amazon.ca",
    "A1AM78C64UM0Y8": "Amazon.com.mx",
    "A2Q3Y263D00KWC": "Amazon.com.br",
    "A1F83G8C2ARO7P": "Amazon.co.uk",
    "A1PA6795UKMFR9": "Amazon.de",
    "A13V1IB3VIYZZH": "Amazon.fr",
    "APJ6JRA9NG5V4": "Amazon.it",
    "A1RKKUPIHCS9HS": "Amazon.es",
    "A1805IZSGTT6HS": "Amazon.nl",
    "A2NODRKZP88ZB9": "Amazon.se",
    "A1C3SOZRARQ6R3": "Amazon.pl",
    "AMEN7PMS3EDWL": "Amazon.com.be",
    "A28R8C7NBKEWEA": "Amazon.ie",
    "A33AVAJ2PDY3EV": "Amazon.com.tr",
    "A2VIGQ35RCS4UG": "Amazon.ae",
    "A17E79C6D8DWNP": "Amazon.sa",
    "ARBP9OOSHTCHU": "Amazon.eg",
    "A21TJRUUN4KGV": "Amazon.in",
    "A1VC38T7YXB528": "Amazon.co.jp",
    "A19VAU5U5O7RUS": "Amazon.sg",
    "A39IBJ37TRP1C6": "Amazon.com.au",
}
