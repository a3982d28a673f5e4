#!/usr/bin/env python3
"""Is the man page true to --help? Every long option that a command's
--help names must be in that command's subsection of the man page (.Ss
COMMAND, options written as `Fl -name`), and every option there must be
in its --help or among the options every command takes; the commands of
`originscan --help` must be the man page's subsections; the common
options section must be the global --help's options.

    manpage_check.py ORIGINSCAN MANPAGE     exit 0 true, 1 drift (listed)
"""
import re
import subprocess
import sys

exe, page = sys.argv[1], sys.argv[2]
LONG = re.compile(r"(?<![\w-])--([a-z][a-z0-9-]*)")
FL = re.compile(r"\bFl\s+-([a-z][a-z0-9-]*)")


def help_of(*args):
    p = subprocess.run([exe, *args, "--help"], capture_output=True, text=True)
    if p.returncode != 0:
        sys.exit(f"{' '.join(args) or 'originscan'} --help exited {p.returncode}")
    return p.stdout


top = help_of()
commands = []
in_cmds = False
for line in top.splitlines():
    if line.startswith("Commands:"):
        in_cmds = True
    elif in_cmds and not line.strip():
        break
    elif in_cmds:
        commands.append(line.split()[0])
common = set(LONG.findall(top))

lines = [ln for ln in open(page, encoding="utf-8") if not ln.startswith('.\\"')]
sections, cur, name = {}, None, None
for line in lines:
    if line.startswith(".Sh") or line.startswith(".Ss"):
        name = line.split(None, 1)[1].strip().strip('"')
        cur = sections.setdefault((line[:3], name), [])
    elif cur is not None:
        cur.append(line)
man_opts = {k: set(FL.findall("".join(v))) for k, v in sections.items()}
man_cmds = [n for (kind, n) in sections if kind == ".Ss"]
everything = set(FL.findall("".join(lines)))

problems = []
if sorted(man_cmds) != sorted(commands):
    problems.append(f"commands: --help has {sorted(commands)}, the man page {sorted(man_cmds)}")
mc = man_opts.get((".Sh", "COMMON OPTIONS"), set())
for o in sorted(common - mc):
    problems.append(f"common option --{o} of --help is not in the man page's COMMON OPTIONS")
for o in sorted(mc - common):
    problems.append(f"common option --{o} of the man page is not in originscan --help")
all_help = set(common)
for c in commands:
    h = set(LONG.findall(help_of(c)))
    all_help |= h
    m = man_opts.get((".Ss", c), set())
    for o in sorted(h - m - common):
        problems.append(f"{c}: --{o} is in '{c} --help' but not in the man page")
    for o in sorted(m - h - common):
        problems.append(f"{c}: --{o} is in the man page but not in '{c} --help'")
for o in sorted(everything - all_help):
    problems.append(f"--{o} is in the man page but in no --help")
for p in problems:
    print(p)
print(f"{len(commands)} commands, {len(all_help)} long options checked; {len(problems)} differences")
sys.exit(1 if problems else 0)
