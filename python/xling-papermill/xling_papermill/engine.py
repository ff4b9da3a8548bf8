"""The ``papermill.engine`` entry point ``xling``: papermill imports it at start-up, which
registers the xling translator (see the package docstring)."""

from papermill.engines import NBClientEngine

from .translator import register


class XlingEngine(NBClientEngine):
    """papermill's nbclient engine under the name ``xling`` (``--engine xling`` is the same as
    the default); declared so that papermill imports this package."""


register()
