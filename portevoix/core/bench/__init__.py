"""What every app's benchmark shares (scratch databases). Kept apart from the runtime code."""
