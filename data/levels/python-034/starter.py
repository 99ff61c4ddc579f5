def flatten(nested):
    return nested
