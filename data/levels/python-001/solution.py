def greet():
    return "Hello, Arena!"
