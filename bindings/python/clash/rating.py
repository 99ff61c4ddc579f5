"""Skill ratings for free-for-all matches: Weng-Lin (OpenSkill) with the Plackett-Luce model.

The same numbers as the ``openskill`` package's default model (checked by tests/rating against npm
``openskill`` to 1e-6), computed by the library (``clash/rating.h``). Pure functions, nothing stored::

    import clash
    from clash.rating import Rating, rate

    ada, bob, cy = Rating(), Rating(), Rating(30.0, 4.0)     # defaults: mu 25, sigma 25/3
    ada, bob, cy = rate([ada, bob, cy], [1, 2, 2])           # ada won; bob and cy tied second
    print(ada, ada.ordinal())                                # the display value mu - 3*sigma

``rate(ratings, ranks, *, mu=25, sigma=25/3, beta=25/6, kappa=1e-4, tau=25/300, limit_sigma=False)``
takes ``Rating`` objects or ``(mu, sigma)`` pairs and returns new ``Rating`` objects in the same
order; lower ranks are better and equal ranks tie. Bad input raises ``clash.InvalidArgumentError``.
"""

from ._clash import rating as _native

Rating = _native.Rating
rate = _native.rate
ordinal = _native.ordinal
Rating.__module__ = __name__

__all__ = ["Rating", "rate", "ordinal"]
