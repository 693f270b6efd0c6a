"""goodstanding: keep Amazon seller and vendor accounts in good standing."""

from goodstanding.errors import GoodstandingError

__version__ = "0.1.0"

__all__ = ["GoodstandingError", "__version__"]
