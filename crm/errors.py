"""The one exception type that means "the user gave us something we cannot use"."""


class CrmError(Exception):
    """Bad input or an unusable store: reported as one line, exit code 2, nothing written."""
