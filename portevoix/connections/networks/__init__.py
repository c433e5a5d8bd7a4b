"""One module per network a person can connect (the registry lives in `registry.py`)."""
