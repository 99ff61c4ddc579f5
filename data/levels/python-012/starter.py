def count_vowels(text):
    count = 0
    return count
