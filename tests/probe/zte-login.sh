#!/bin/sh
# The "login program" telnetd runs in the tests: a ZTE router's prompt.
printf '\r\n  ZXR10 M6000-S Software, Version V3.00.10\r\n  Copyright (c) 2001-2020 by ZTE Corporation\r\n\r\nUsername:'
sleep 30
