def hanoi(n, source, target, spare):
    return []
