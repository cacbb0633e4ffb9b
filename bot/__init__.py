"""The platform-neutral core of actionbot.

Domain rules, the command grammar, permissions, services and the neutral reply model.
Nothing in this package imports a chat platform SDK or the scheduler library: adapters
translate platform payloads into :class:`bot.requests.Request` objects and render
:class:`bot.replies.Reply` objects back into Block Kit, Adaptive Cards or text.
"""
