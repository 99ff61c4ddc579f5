class MinStack:
    def __init__(self):
        self._items = []
        self._mins = []

    def push(self, value):
        self._items.append(value)
        self._mins.append(min(value, self._mins[-1]) if self._mins else value)

    def pop(self):
        self._mins.pop()
        return self._items.pop()

    def top(self):
        return self._items[-1]

    def get_min(self):
        return self._mins[-1]
