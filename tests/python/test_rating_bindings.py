"""clash.rating (Weng-Lin / OpenSkill, Plackett-Luce) from Python: the same fixed games as
tests/rating (tests/rating/games.json) checked against the npm `openskill` package to 1e-6, the
(mu, sigma) pair form, and bad input raising InvalidArgumentError."""
import json
import math
import os
import subprocess

import pytest

import clash
from clash.rating import Rating, ordinal, rate
from hostutil import REPO

RATING_DIR = os.path.join(REPO, "tests", "rating")
OPTION_NAMES = {"mu": "mu", "sigma": "sigma", "beta": "beta", "kappa": "kappa", "tau": "tau",
                "limitSigma": "limit_sigma"}


def reference():
    if not os.path.isdir(os.path.join(RATING_DIR, "node_modules", "openskill")):
        pytest.fail("openskill missing: run `npm ci --prefix tests/rating` (scripts/install-deps.sh does)")
    out = subprocess.run(["node", os.path.join(RATING_DIR, "openskill_reference.mjs"),
                          os.path.join(RATING_DIR, "games.json")], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout)


def test_rate_matches_openskill_on_the_fixed_games():
    with open(os.path.join(RATING_DIR, "games.json")) as f:
        spec = json.load(f)
    expected = reference()
    compared = 0
    for option_set in spec["option_sets"]:
        opts = {OPTION_NAMES[k]: v for k, v in option_set["options"].items() if k in OPTION_NAMES}
        z = option_set["options"].get("z", 3.0)
        pool = [Rating(opts.get("mu", 25.0), opts.get("sigma", 25.0 / 3)) for _ in range(spec["pool"])]
        for game, want in zip(spec["games"], expected[option_set["name"]], strict=True):
            got = rate([pool[p] for p in game["players"]], game["ranks"], **opts)
            assert len(got) == len(want) == len(game["players"])
            for p, r, w in zip(game["players"], got, want):
                assert r.mu == pytest.approx(w["mu"], abs=1e-6)
                assert r.sigma == pytest.approx(w["sigma"], abs=1e-6)
                assert ordinal(r, z) == pytest.approx(w["ordinal"], abs=1e-6)
                pool[p] = r
                compared += 1
    assert compared == 3 * sum(len(g["players"]) for g in spec["games"])


def test_pairs_defaults_and_ordinal():
    assert Rating() == Rating(25.0, 25.0 / 3)
    assert Rating().ordinal() == pytest.approx(0.0)
    a, b, c = rate([Rating(), (25.0, 25.0 / 3), Rating()], [1, 2, 2])
    assert a.mu > 25 > b.mu and b == c
    mu, sigma = a
    assert (mu, sigma) == (a.mu, a.sigma) and sigma < 25.0 / 3
    assert ordinal((30.0, 2.0)) == 24.0 and Rating(30.0, 2.0).ordinal(z=2) == 26.0
    assert repr(Rating(1.5, 2.0)) == "Rating(mu=1.5, sigma=2.0)"
    assert all(math.isfinite(r.mu) for r in rate([(1e6, 1.0), (-1e6, 1.0)], [2, 1]))


@pytest.mark.parametrize("ratings, ranks, options, message", [
    ([Rating(), Rating()], [1], {}, "ratings and ranks differ in length (2 and 1)"),
    ([Rating()], [1], {}, "a rated match has 2..256 players, not 1"),
    ([(float("nan"), 1.0), Rating()], [1, 2], {}, "player 0: mu must be finite"),
    ([Rating(), (25.0, 0.0)], [1, 2], {}, "player 1: sigma must be finite and > 0"),
    ([Rating(), Rating()], [1, 2], {"beta": -1.0}, "rating option beta must be > 0"),
])
def test_bad_input_raises_invalid_argument(ratings, ranks, options, message):
    with pytest.raises(clash.InvalidArgumentError) as e:
        rate(ratings, ranks, **options)
    assert e.value.code == "invalid_argument" and message in str(e.value)
