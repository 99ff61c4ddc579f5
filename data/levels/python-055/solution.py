class Matrix:
    def __init__(self, rows):
        self.rows = [list(row) for row in rows]

    def get(self, r, c):
        return self.rows[r][c]

    def set(self, r, c, value):
        self.rows[r][c] = value

    def scale(self, factor):
        self.rows = [[value * factor for value in row] for row in self.rows]

    def transpose(self):
        return [list(column) for column in zip(*self.rows)]

    def trace(self):
        return sum(row[i] for i, row in enumerate(self.rows) if i < len(row))

    def multiply(self, other):
        if any(len(row) != len(other) for row in self.rows):
            raise ValueError("shape mismatch")
        return [[sum(a * b for a, b in zip(row, column)) for column in zip(*other)] for row in self.rows]

    def to_list(self):
        return [list(row) for row in self.rows]
