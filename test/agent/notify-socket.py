# Plays systemd's notify socket for the tests: an AF_UNIX SOCK_DGRAM socket at argv[1]; prints
# "listening", then each datagram it receives as one JSON line. Control data (systemd-notify's
# barrier pipe) is not received, so the kernel closes it and systemd-notify's barrier returns.
import json
import socket
import sys

sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
sock.bind(sys.argv[1])
print("listening", flush=True)
while True:
    data = sock.recv(65536)
    print(json.dumps(data.decode("utf-8", "replace")), flush=True)
