def greet(name):
    # Build and return the greeting
    pass
