def caesar(text, shift):
    return text
