"""Cases of data/puzzles/look-and-say (no brute(): the three reference solutions are written independently)."""
def cases():
    return [
        ("sample-five-steps", True, "1 5\n"),
        ("sample-two-steps", True, "3333 2\n"),
        ("sample-ten-ones", True, "1111111111 1\n"),
        ("zero-steps", False, "9876543210 0\n"),
        ("fixed-point", False, "22 40\n"),
        ("long-from-one", False, "1 30\n"),
        ("twenty-digits", False, "11111111111111111111 1\n"),
        ("zeros", False, "000 3\n"),
        ("mixed-start", False, "3112000 12\n"),
        ("distinct-digits", False, "0123456789 9\n"),
    ]
