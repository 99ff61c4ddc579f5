def longest_run(text):
    best = ("", 0)
    prev = ""
    for ch in text:
        if ch == prev:
            run += 1
        else:
            run = 1
        prev = ch
        if run > best[1]:
            best = (ch, run)
    return best
