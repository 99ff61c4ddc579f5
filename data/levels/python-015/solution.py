def caesar(text, shift):
    letters = "abcdefghijklmnopqrstuvwxyz"
    result = []
    for ch in text:
        if ch.lower() in letters:
            moved = letters[(letters.index(ch.lower()) + shift) % 26]
            result.append(moved.upper() if ch.isupper() else moved)
        else:
            result.append(ch)
    return "".join(result)
