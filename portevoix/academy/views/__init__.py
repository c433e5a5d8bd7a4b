"""Academy pages: taking lessons (`lessons.py`), writing them (`manage.py`)."""
