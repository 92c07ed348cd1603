"""The error every layer raises for what the user must fix: a one-line message, no traceback.

It lives here, at the bottom (the index does not import the answering package); `rag`
re-exports it as `rag.RagError`."""


class RagError(Exception):
    """An error with a one-line message meant for the user (no traceback)."""
