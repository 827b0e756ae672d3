"""The refusals of accounts that more than one of its modules raises or catches."""


class SignInRefused(Exception):
    """The provider's answer does not lead to an account here (the message is shown to the visitor)."""
