"""numba's ``njit`` for every compiled loop of the package, cached in the user's cache folder.

Loops are compiled with numba when it is installed (Debian: python3-numba); without it the
same code runs as plain Python, correct but slow on large rasters. The numpy formulas each
compiled loop replaces stay as the tested reference.
"""
from __future__ import annotations

import os
from pathlib import Path
from typing import Optional

try:  # optional accelerator
    from numba import njit as _numba_njit

    HAVE_NUMBA = True
except ImportError:  # pragma: no cover - exercised on machines without numba
    HAVE_NUMBA = False
    _numba_njit = None

# "mirage_labeller" from the command line, "MirageLabeller.mirage_labeller" inside QGIS
_PACKAGE = __name__.rsplit(".core.", 1)[0]


def njit(*args, **kwargs):
    """numba's ``njit`` for every compiled loop of the package (plain Python without numba).

    Cached loops (``cache=True``) are cached in the user's cache folder, never beside the
    sources: numba's default, ``__pycache__`` in the package, is inside the installed plugin
    (read-only for a system-wide install, shared by every user, replaced by each update). The
    folder is ``$NUMBA_CACHE_DIR`` when set (numba reads it at import, into
    ``numba.core.config.CACHE_DIR``), else ``$XDG_CACHE_HOME/mirage_labeller`` (default
    ``~/.cache``), with one ``numba-<import name>`` folder inside per name the package is
    imported under: numba keys its cache by source file, but a cached function rebuilds its
    globals by importing the module under the name it was compiled under, so the same files
    imported as ``MirageLabeller.mirage_labeller`` (the plugin, as QGIS loads it) and as
    ``mirage_labeller`` (the command line, from the plugin folder or a checkout also linked
    into QGIS, or the tests) would load each other's caches and fail ("No module named ...").
    When that folder cannot be made the loops are compiled afresh in each process rather
    than cached in the package."""
    if args and callable(args[0]):
        return njit(**kwargs)(args[0])

    def decorate(fn):
        if _numba_njit is None:
            return fn
        if not kwargs.get("cache"):
            return _numba_njit(**kwargs)(fn)
        from numba.core import config

        folder = _cache_folder(config.CACHE_DIR)
        if folder is None:
            return _numba_njit(**{**kwargs, "cache": False})(fn)
        saved = config.CACHE_DIR  # read when the function's cache is set up, just below
        config.CACHE_DIR = str(folder)
        try:
            return _numba_njit(**kwargs)(fn)
        finally:
            config.CACHE_DIR = saved

    return decorate


def _cache_folder(numba_cache_dir: str) -> Optional[Path]:
    """The folder of this import name's numba cache, made when needed; None when it cannot be
    made or written (numba would then fall back to the package's ``__pycache__``)."""
    if numba_cache_dir:
        base = Path(numba_cache_dir)
    else:
        xdg = os.environ.get("XDG_CACHE_HOME", "")
        if os.name == "nt" and os.environ.get("LOCALAPPDATA"):  # pragma: no cover - Windows
            xdg = os.environ["LOCALAPPDATA"]
        try:  # the XDG specification: a relative value is to be ignored
            base = Path(xdg) if os.path.isabs(xdg) else Path.home() / ".cache"
        except (RuntimeError, KeyError):  # no home folder to be found
            return None
        base = base / "mirage_labeller"
    folder = base / f"numba-{_PACKAGE}"
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return None
    return folder if os.access(folder, os.W_OK) else None
