def roman_to_int(s):
    return 0
