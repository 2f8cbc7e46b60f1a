#!/usr/bin/env python3
# seed 001: io_bound (four requests each) on four threads, against a local server that answers after 100 ms
import socket
import socketserver
import threading
import time

N = 4
URLS = 4


class Slow(socketserver.BaseRequestHandler):
    def handle(self):
        self.request.recv(64)
        time.sleep(0.1)  # the far-away web site
        self.request.sendall(b"data")


def fetch(port):
    with socket.create_connection(("127.0.0.1", port)) as s:
        s.sendall(b"GET /\n")
        return s.recv(64)


def io_bound(port):
    return [fetch(port) for _ in range(URLS)]


def main():
    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), Slow)
    server.daemon_threads = True
    port = server.server_address[1]
    threading.Thread(target=server.serve_forever, name="server", daemon=True).start()
    workers = [threading.Thread(target=io_bound, args=(port,), name=f"worker-{i}") for i in range(N)]
    for t in workers:
        t.start()
    for t in workers:
        t.join()
    server.shutdown()
    print("done")


if __name__ == "__main__":
    main()
