def compare(a, b):
    first, second = set(a), set(b)
    return (first - second, first & second, second - first)
