def mirror(text):
    return text[::-1]
