class Matrix:
    def __init__(self, rows):
        self.rows = rows

    def get(self, r, c):
        pass

    def set(self, r, c, value):
        pass

    def scale(self, factor):
        pass

    def transpose(self):
        pass

    def trace(self):
        pass

    def multiply(self, other):
        pass

    def to_list(self):
        return self.rows
