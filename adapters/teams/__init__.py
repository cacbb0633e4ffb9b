"""The Microsoft Teams surface (Bot Framework): every botbuilder / botframework import lives in this package.

Microsoft archived the Python Bot Framework SDK at the end of 2025 (4.17.x is its last line; the
successor is the Microsoft 365 Agents SDK). Keeping the SDK behind this one folder means a later
move touches nothing else. This ``__init__`` imports nothing, so ``actionbot teams package`` stays
fast and works without loading the SDK.
"""
