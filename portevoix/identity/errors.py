class SsoError(Exception):
    """A sign-in that cannot go on, with a message in plain words for the person."""
