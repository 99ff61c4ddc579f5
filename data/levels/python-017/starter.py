def are_anagrams(a, b):
    return False
