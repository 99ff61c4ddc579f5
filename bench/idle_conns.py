"""Memory per idle keep-alive HTTP connection: opens N connections to 127.0.0.1:PORT, sends one
request on each and reads the response (so each is an idle keep-alive connection), and prints the
growth of the servers' resident memory (VmRSS of the given pids, summed) divided by N.

    python3 bench/idle_conns.py PORT PATH N PID [PID...]
"""
import resource
import socket
import sys
import time


def rss_kib(pids):
    total = 0
    for pid in pids:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
    return total


def open_idle(port, path, n):
    request = f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".encode()
    socks = []
    for _ in range(n):
        s = socket.create_connection(("127.0.0.1", port), timeout=30)
        s.sendall(request)
        socks.append(s)
    for s in socks:
        buf = b""
        while b"\r\n\r\n" not in buf:
            chunk = s.recv(65536)
            if not chunk:
                raise SystemExit("server closed a connection")
            buf += chunk
        head, _, body = buf.partition(b"\r\n\r\n")
        length = next(int(l.split(b":")[1]) for l in head.split(b"\r\n") if l.lower().startswith(b"content-length:"))
        while len(body) < length:
            body += s.recv(65536)
    return socks


def main():
    port, path, n = int(sys.argv[1]), sys.argv[2], int(sys.argv[3])
    pids = [int(p) for p in sys.argv[4:]]
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (min(hard, max(soft, n + 256)), hard))
    for s in open_idle(port, path, 200):  # warm-up: allocator arenas, first-use buffers
        s.close()
    time.sleep(1)
    before = rss_kib(pids)
    socks = open_idle(port, path, n)
    time.sleep(1)
    after = rss_kib(pids)
    print(f"{(after - before) * 1024 / n:.0f} bytes per idle connection ({n} connections, RSS {before} -> {after} KiB)")
    for s in socks:
        s.close()


if __name__ == "__main__":
    main()
