#!/usr/bin/env python3
"""Scores repaired text against gold, word by word per line.

    score_repair.py OUTPUT GOLD [INPUT] [--show N]

Lines must correspond one to one (the repair filter keeps lines). Words are
whitespace-split tokens. Reports word accuracy of OUTPUT, and with INPUT also the
accuracy before repair and the share of words correct in INPUT that OUTPUT made wrong.
"""
import sys


def main():
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    show = 0
    if "--show" in sys.argv:
        show = int(sys.argv[sys.argv.index("--show") + 1])
        args = [a for a in args if a != str(show)]
    out = open(args[0], encoding="utf-8").read().split("\n")
    gold = open(args[1], encoding="utf-8").read().split("\n")
    inp = open(args[2], encoding="utf-8").read().split("\n") if len(args) > 2 else None
    if len(out) != len(gold):
        sys.exit(f"line count differs: {len(out)} vs {len(gold)}")
    total = right = before = made_wrong = was_right = 0
    misaligned = 0
    errors = []
    for k, (o, g) in enumerate(zip(out, gold)):
        ow, gw = o.split(), g.split()
        iw = inp[k].split() if inp else gw
        if len(ow) != len(gw) or len(iw) != len(gw):
            misaligned += 1
        for j, gword in enumerate(gw):
            oword = ow[j] if j < len(ow) else None
            iword = iw[j] if j < len(iw) else None
            total += 1
            right += oword == gword
            if inp is not None:
                before += iword == gword
                if iword == gword:
                    was_right += 1
                    made_wrong += oword != gword
            if oword != gword:
                errors.append((iword, oword, gword))
    print(f"words {total}  accuracy {100 * right / total:.2f} %", end="")
    if inp is not None:
        print(f"  (before {100 * before / total:.2f} %)  correct made wrong "
              f"{made_wrong}/{was_right} = {100 * made_wrong / max(was_right, 1):.3f} %", end="")
    print(f"  misaligned lines {misaligned}")
    for e in errors[:show]:
        print("  input %-24s output %-24s gold %s" % e)


if __name__ == "__main__":
    main()
