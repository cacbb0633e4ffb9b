"""Surfaces: each adapter turns a platform's payload into a neutral request and a neutral reply
into what that platform shows (Block Kit, an Adaptive Card, text). Nothing else lives here
except the wiring (``bootstrap``) and the command line (``cli``)."""
