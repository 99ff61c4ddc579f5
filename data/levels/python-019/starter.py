def longest_run(text):
    return ("", 0)
