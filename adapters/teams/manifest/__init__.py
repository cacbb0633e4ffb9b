"""The Teams app manifest template and its icons (``actionbot teams package`` zips them)."""
