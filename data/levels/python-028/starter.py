def group_by_initial(words):
    return {}
