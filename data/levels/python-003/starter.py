def mirror(text):
    # Return text reversed
    pass
