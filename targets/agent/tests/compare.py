#!/usr/bin/env python3
"""Compare two `tcpcheck run -f json` reports of the same scripts: the
in-process lwip target's and the lwIP agent's (agent_test.sh suite-*).

    compare.py LWIP.json AGENT.json EXCEPTIONS.tsv [--exact]
               [--write-different FILE] [--rerun AGAIN.json]

Every script and family must get the same verdict, except
- on a real clock, scripts the agent run skipped as "slow" (longer than
  --max-span, the Linux target's CI limit): counted, not compared;
- on a real clock, a failure through the agent whose every mismatch is a
  `time` field: a packet or a call that came later (or sooner) than the
  tolerance allows, because the agent is a process the machine schedules
  (a loaded CI machine makes a 10 ms tolerance tight); counted and shown;
- on a real clock, a difference that is gone when the script is run again
  through the agent (AGAIN.json, from the paths --write-different wrote):
  a scheduling delay of the same kind that missed a packet's window;
- the timing cases listed in EXCEPTIONS.tsv (path, family or "both", and
  why the real clock makes them differ), which may differ.
With --exact (the virtual clock) nothing may differ.
Exits 1 on any other difference, naming each.
"""
import json
import sys


def suite_key(key):
    """A result's (path, family) with the path from specs/ on, as the
    exceptions list writes it (the runs name scripts by absolute path)."""
    i = key[0].rfind("specs/")
    return (key[0][i:] if i >= 0 else key[0], key[1])


def load(path):
    with open(path) as f:
        return {(s["path"], s["family"]): s for s in json.load(f)["scripts"]}


def exceptions(path):
    out = {}
    with open(path) as f:
        for n, line in enumerate(f, 1):
            if not line.strip() or line.startswith("#"):
                continue
            parts = line.rstrip("\n").split("\t")
            if len(parts) != 3 or parts[1] not in ("ipv4", "ipv6", "both") or not parts[2]:
                sys.exit("%s:%d: expected PATH<TAB>ipv4|ipv6|both<TAB>WHY" % (path, n))
            for fam in (("ipv4", "ipv6") if parts[1] == "both" else (parts[1],)):
                out[(parts[0], fam)] = parts[2]
    return out


def option(args, name):
    if name not in args:
        return None
    i = args.index(name)
    value = args[i + 1]
    del args[i:i + 2]
    return value


def main():
    args = [a for a in sys.argv[1:] if a != "--exact"]
    exact = "--exact" in sys.argv
    write_to, again = option(args, "--write-different"), option(args, "--rerun")
    lwip, agent, allowed = load(args[0]), load(args[1]), exceptions(args[2])
    rerun = load(again) if again else {}
    same = slow = listed = late = 0
    bad = []
    for key in sorted(lwip):
        a, b = lwip[key], agent.get(key)
        if b is None:
            bad.append("%s (%s): not run through the agent" % key)
        elif a["verdict"] == b["verdict"]:
            same += 1
        elif not exact and b["verdict"] == "skip" and b.get("reason", "").startswith("slow:"):
            slow += 1
        elif not exact and b["verdict"] == "fail" and b.get("mismatches") and all(
                m.get("field") == "time" for m in b["mismatches"]):
            late += 1
            print("late: %s (%s): %s" % (key + (b.get("reason", "")[:200],)))
        elif not exact and key in rerun and rerun[key]["verdict"] == a["verdict"]:
            late += 1
            print("late: %s (%s): %s; as lwip when run again" % (key + (b.get("reason", "")[:200],)))
        elif not exact and suite_key(key) in allowed:
            listed += 1
            print("timing: %s (%s): lwip %s, agent %s (%s)" % (key + (a["verdict"], b["verdict"],
                                                                     allowed[suite_key(key)])))
        else:
            bad.append("%s (%s): lwip %s, agent %s: %s" % (key + (a["verdict"], b["verdict"],
                                                                   b.get("reason", "")[:300])))
    for line in bad:
        print("DIFFERENT: " + line)
    if write_to:
        with open(write_to, "w") as f:
            for path in sorted({line.split(" (")[0] for line in bad}):
                f.write(path + "\n")
    print("agent vs lwip: %d runs compared, %d agree, %d slow (not run on the real clock), "
          "%d late (only times off, or fine when run again), %d timing cases as listed, %d unexplained"
          % (len(lwip), same, slow, late, listed, len(bad)))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
