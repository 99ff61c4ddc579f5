def merge_timelines(a, b):
    return a + b
