#!/usr/bin/env python3
"""Lists the campaign's levels; loads data/levels first if the storage holds none.

    PYTHONPATH=build-py/bindings/python python3 examples/list_levels.py sqlite:///tmp/clash.db
    PYTHONPATH=build-py/bindings/python python3 examples/list_levels.py URL --data-dir /tmp/clash-data

Opening an engine creates its data directory (token keys, secret.key, mail outbox): by default
/tmp/clash.db-data for sqlite:///tmp/clash.db, ./clash-data for other URLs.
"""

import argparse
import sys
from pathlib import Path

import clash

LEVELS_DIR = Path(__file__).resolve().parent.parent / "data" / "levels"


def main(argv):
    parser = argparse.ArgumentParser(description="List the campaign's levels.")
    parser.add_argument("url", metavar="STORAGE_URL", help="e.g. sqlite:///tmp/clash.db")
    parser.add_argument("--data-dir", help="where the engine keeps keys and the outbox")
    args = parser.parse_args(argv[1:])
    try:
        with clash.open(args.url, data_dir=args.data_dir) as engine:
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
