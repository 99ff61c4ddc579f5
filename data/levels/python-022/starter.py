def dedupe(items):
    return []
