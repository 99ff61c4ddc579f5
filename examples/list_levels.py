#!/usr/bin/env python3
"""Lists the campaign's levels; loads data/levels first if the storage holds none.

    PYTHONPATH=build-py/bindings/python python3 examples/list_levels.py sqlite:///tmp/clash.db
"""

import sys
from pathlib import Path

import clash

LEVELS_DIR = Path(__file__).resolve().parent.parent / "data" / "levels"


def main(argv):
    if len(argv) != 2:
        print(f"usage: {argv[0]} STORAGE_URL   (e.g. sqlite:///tmp/clash.db)", file=sys.stderr)
        return 2
    try:
        with clash.open(argv[1]) as engine:
            if not engine.levels():
                count = engine.load_levels(LEVELS_DIR)
                print(f"loaded {count} levels from data/levels")
            for level in engine.levels():
                print(f"{level.order:3d}  {level.slug:<12} {level.xp_reward:4d} xp  {level.title}")
    except clash.Error as error:
        print(f"error ({error.code}): {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
