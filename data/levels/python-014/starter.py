def acronym(phrase):
    return ""
