"""The handlers behind each command, one small function per command, grouped by concern."""
