"""Notices written for the appeal-builder tests (our own words, not real cases)."""

from __future__ import annotations

ODR_NOTICE = """Hello,

Your Amazon seller account has been deactivated. Your order defect rate (ODR) is above our target
of 1%. Sellers must maintain an order defect rate below 1% to sell on Amazon. Orders with negative
feedback and A-to-z Guarantee claims count as defects.

How do I reactivate my account?
Submit a plan of action that explains the root cause, the actions you have taken and the steps you
will take to prevent this in the future. Affected ASIN: B00TESTAB1.

Amazon Seller Performance
"""

TWO_FAMILY_NOTICE = """Your selling privileges have been removed. Your late shipment rate is above
4% and your valid tracking rate is below 95%. Please submit a plan of action to reactivate your
account."""

FINAL_NOTICE = """Hello,

We reviewed the information you provided and determined that your account will remain
deactivated. This decision is final and we will no longer respond to further emails about this
matter.

Amazon Seller Performance
"""

NOT_A_NOTICE = "Thank you for your order of two garden chairs. They will arrive on Tuesday."
