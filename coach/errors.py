"""The one exception the coach raises for input it cannot use."""


class CoachInputError(ValueError):
    """Input the coach cannot work with. The message is one line a person can act on."""
