def invert(mapping):
    return {}
