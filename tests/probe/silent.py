#!/usr/bin/env python3
"""A service that accepts TCP connections and never says a word (nor
closes them): the probe must time out and move on.

    silent.py ADDR PORT
"""
import socket
import sys
import time

s = socket.socket(socket.AF_INET6 if ":" in sys.argv[1] else socket.AF_INET)
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind((sys.argv[1], int(sys.argv[2])))
s.listen(128)
held = []
while True:
    c, _ = s.accept()
    held.append(c)
