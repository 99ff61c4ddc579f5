def greet():
    # Return the greeting
    pass
