class TwoStackQueue:
    def __init__(self):
        self._in = []
        self._out = []

    def enqueue(self, value):
        self._in.append(value)

    def _shift(self):
        if not self._out:
            while self._in:
                self._out.append(self._in.pop())

    def dequeue(self):
        self._shift()
        return self._out.pop()

    def peek(self):
        self._shift()
        return self._out[-1]

    def size(self):
        return len(self._in) + len(self._out)
