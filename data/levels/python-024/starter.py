def compare(a, b):
    return (set(), set(), set())
