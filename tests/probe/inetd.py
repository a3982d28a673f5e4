#!/usr/bin/env python3
"""A minimal inetd for the tests: accept on ADDR:PORT and run CMD per
connection with the socket as its stdin and stdout (inetd's "nowait"
service), as inetutils-telnetd expects to be run.

    inetd.py ADDR PORT CMD...
"""
import socket
import subprocess
import sys

addr, port, cmd = sys.argv[1], int(sys.argv[2]), sys.argv[3:]
s = socket.socket(socket.AF_INET6 if ":" in addr else socket.AF_INET)
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind((addr, port))
s.listen(128)
while True:
    c, _ = s.accept()
    subprocess.Popen(cmd, stdin=c, stdout=c, stderr=subprocess.DEVNULL, close_fds=True, start_new_session=True)
    c.close()
