def hanoi(n, source, target, spare):
    if n == 0:
        return []
    return (hanoi(n - 1, source, spare, target) + [(source, target)]
            + hanoi(n - 1, spare, target, source))
