"""Authoring checks of campaign levels: ``clash.levels.validate(path)``.

``path`` is one level folder (it has ``level.json``) or a directory of level folders. Every piece of
level code runs in the sandbox judge: the structure checks of docs/levels.md, the reference solution
accepted, the starter refused, and the mutation score of the hidden cases (mutants of the solution
that the cases reject; at least 90 % by default). On a terminal a progress line is drawn on stderr;
pass ``progress=callable`` to receive ``{'slug', 'level_index', 'level_count', 'done', 'total'}``
instead. Returns one report dict per level: ``slug``, ``ok``, ``errors``, ``mutants``, ``killed``,
``score`` (percent), ``mutation_checked``, ``survivors`` and ``line`` (what
``clash-host validate-levels`` prints)::

    import clash
    for report in clash.levels.validate("data/levels/python-007"):
        print(report["line"])        # python-007 mutants 23/24 killed 95.8%
"""

import os

from ._clash import validate_levels as _validate


def validate(path, *, mutation=True, min_score=90.0, progress=None):
    """Validates the level folder(s) at ``path``; see the module documentation."""
    return _validate(os.fspath(path), mutation=mutation, min_score=min_score, progress=progress)


__all__ = ["validate"]
