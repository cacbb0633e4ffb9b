"""The Slack surface: ``/actions`` slash commands, buttons, the Update… modal, and the sender.

``blocks``/``modal`` render neutral replies as Block Kit, ``payloads`` turns Slack payloads into
neutral requests, ``interactions`` runs them through the core, ``listeners`` wires them into a
slack-bolt ``AsyncApp`` built by ``app``, and ``server`` mounts it on the aiohttp server (HTTP) or
runs it over Socket Mode.
"""
