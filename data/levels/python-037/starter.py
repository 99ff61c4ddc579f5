def permutations(s):
    return [s]
