"""Stage modules that can be called like the function they are named after.

``corpus.detect`` and ``corpus.normalize`` name both a submodule and the public function it
defines. Once anything imports the submodule, Python sets the package attribute to the module,
hiding the lazily exported function; making the module forward calls to its function keeps
``corpus.detect(document)`` and ``corpus.normalize(text)`` working in every import order.
"""

from __future__ import annotations

import sys
import types


class CallableStageModule(types.ModuleType):
    def __call__(self, *args, **kwargs):
        return getattr(self, self.__name__.rsplit(".", 1)[-1])(*args, **kwargs)


def make_callable(module_name: str) -> None:
    """Call from the module itself: ``make_callable(__name__)``."""
    sys.modules[module_name].__class__ = CallableStageModule
