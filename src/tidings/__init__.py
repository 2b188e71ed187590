"""tidings: turn raw news into a ledger of what happened, where and when, who said so, and how sure anyone is."""

from tidings.article import Article
from tidings.errors import TidingsError

__version__ = "0.1.0"
__all__ = ["Article", "TidingsError", "__version__"]
