class ContentError(ValueError):
    """A change the content hub refuses, with a message in plain words for the person."""
