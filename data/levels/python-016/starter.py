def rle(text):
    return ""
