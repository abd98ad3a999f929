"""A StatsD TCP sender for loadtest/bench/statsd-tcp-check.sh: CONNECTIONS processes, each with one
connection, write counter lines bench.c.s<id>:1|c for SERIES ids in turn, as fast as TCP takes
them, for SECONDS. Prints the lines written.

usage: python3 tcp_sender.py HOST PORT SERIES CONNECTIONS SECONDS
"""
import multiprocessing
import socket
import sys
import time


def send(host, port, series, seconds, conn, out):
    # one buffer of 50 000 lines (about 1 MiB, written again and again), the series in turn: the
    # gateway, not the sender, is what is measured
    per = 50_000
    lines = "".join("bench.c.s%d:1|c\n" % ((conn * per + i) % series) for i in range(per))
    data = lines.encode()
    s = socket.create_connection((host, port))
    sent = 0
    end = time.time() + seconds
    while time.time() < end:
        s.sendall(data)
        sent += per
    s.close()
    out.put(sent)


if __name__ == "__main__":
    host, port, series, connections, seconds = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), float(sys.argv[5])
    q = multiprocessing.Queue()
    ps = [multiprocessing.Process(target=send, args=(host, port, series, seconds, c, q)) for c in range(connections)]
    for p in ps:
        p.start()
    total = sum(q.get() for _ in ps)
    for p in ps:
        p.join()
    print(total)
