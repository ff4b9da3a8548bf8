"""papermill support for xling notebooks.

papermill writes the values of ``-p NAME VALUE`` into a new cell after the cell tagged
``parameters``, in the notebook's language, through a *translator* that it looks up by kernel
name, then by language (``papermill.translators.papermill_translators``). papermill ships
translators for Python, R, Scala, Julia, ... and has no entry point group for more, but it
loads every ``papermill.engine`` entry point at start-up. This package declares one (the
engine ``xling``, papermill's ordinary nbclient engine) and, when papermill imports it,
registers ``XlingTranslator`` for the language ``xling``. The injected cell then reads::

    # Parameters
    %set lang="de"
    %set k=10

so ``papermill in.ipynb out.ipynb -p lang de -p k 10`` works with the plain CLI once this
package is installed next to papermill (``pip install python/xling-papermill``).
"""

# papermill first: importing it loads the `papermill.engine` entry points, this package's among
# them (`engine.py`), before this package's own imports run.
import papermill  # noqa: F401

from .translator import LANGUAGE, XlingTranslator, register

__all__ = ["XlingTranslator", "LANGUAGE", "register"]

register()
