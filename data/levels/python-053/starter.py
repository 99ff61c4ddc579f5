class TwoStackQueue:
    def __init__(self):
        pass

    def enqueue(self, value):
        pass

    def dequeue(self):
        pass

    def peek(self):
        pass

    def size(self):
        return 0
