def to_fahrenheit(celsius):
    return 0.0
