class Scheduler:
    def __init__(self):
        self._events = []

    def book(self, start, end):
        if start >= end:
            raise ValueError("empty interval")
        for s, e in self._events:
            if start < e and s < end:
                return False
        self._events.append((start, end))
        return True

    def cancel(self, start):
        for i, (s, e) in enumerate(self._events):
            if s == start:
                del self._events[i]
                return True
        return False

    def next_event(self, time):
        upcoming = [event for event in self._events if event[0] >= time]
        return min(upcoming) if upcoming else None

    def bookings(self):
        return sorted(self._events)
