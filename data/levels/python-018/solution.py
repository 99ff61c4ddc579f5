def most_common_char(text):
    best = text[0]
    for ch in text:
        if text.count(ch) > text.count(best):
            best = ch
    return best
