def most_common_char(text):
    return ""
