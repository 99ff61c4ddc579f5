"""Cases of data/puzzles/staircase (no brute(): the three reference solutions are written independently)."""
def cases():
    return [
        ("sample-3-by-2", True, "3 2\n"),
        ("sample-4-by-1", True, "4 1\n"),
        ("sample-one-step", True, "1 3\n"),
        ("smallest", False, "1 1\n"),
        ("two-wide", False, "2 5\n"),
        ("five-by-three", False, "5 3\n"),
        ("twenty-by-one", False, "20 1\n"),
        ("largest", False, "20 5\n"),
        ("ten-by-two", False, "10 2\n"),
    ]
