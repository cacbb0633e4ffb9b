"""Surfaces: each adapter turns a platform's payload into a neutral request and a neutral reply
into what that platform shows (Block Kit, an Adaptive Card, text). Beside the surfaces (``slack``,
``teams``, ``console``) live what runs them: the wiring (``bootstrap``), the web server (``web``), log
lines (``logs``) and the command line (``cli``)."""
