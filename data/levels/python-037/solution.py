def permutations(s):
    if not s:
        return [""]
    result = set()
    for i, ch in enumerate(s):
        for rest in permutations(s[:i] + s[i + 1:]):
            result.add(ch + rest)
    return sorted(result)
