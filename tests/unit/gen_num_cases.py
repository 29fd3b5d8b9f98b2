#!/usr/bin/env python3
"""gen_num_cases.py: the table of tests/unit/num_cases.h, from Python's decimal.

Random operands inside num's limits (18 significant digits, 12 decimals) and
the edges of those limits, each operation worked out exactly by decimal, and
the result that num.h promises: the exact value when it is inside the limits,
else an error; quotients rounded once, half away from zero (ROUND_HALF_UP in
decimal) or towards zero (ROUND_DOWN).  Run it again after changing the
promises:  python3 tests/unit/gen_num_cases.py > tests/unit/num_cases.h
"""
import random
import re
import sys
from decimal import Decimal, getcontext, ROUND_HALF_UP, ROUND_DOWN, localcontext

getcontext().prec = 120
MAX_SCALE, LIMIT = 12, 10 ** 18
rng = random.Random(20261201)


def fits(d):
    if d == 0:
        return True
    t = d.normalize()
    scale = max(0, -t.as_tuple().exponent)
    if scale > MAX_SCALE:
        return False
    return abs(int(t.scaleb(scale))) < LIMIT


def canon(d):
    if d == 0:
        return "0"
    return format(d.normalize(), "f")


def rnum():
    """A num inside the limits, written with its scale (3.000 keeps 3 decimals)."""
    r = rng.random()
    if r < 0.08:
        coef = rng.choice([LIMIT - 1, 10 ** 17, 5 * 10 ** rng.randint(0, 17), 1, 0,
                           10 ** rng.randint(0, 17) - 1])
    else:
        n = rng.randint(1, 18)
        coef = rng.randint(10 ** (n - 1), 10 ** n - 1)
    scale = rng.randint(0, MAX_SCALE)
    if rng.random() < 0.3:
        scale = rng.choice([0, 2, 6, 12])
    if rng.random() < 0.35:
        coef = -coef
    return Decimal(coef).scaleb(-scale)


def text(d):
    return format(d, "f")


def quot(a, b, dec, mode):
    if b == 0:
        return None
    with localcontext() as c:
        c.prec = 120
        c.rounding = ROUND_DOWN	# never crosses a rounding boundary upwards
        q = a / b
    r = q.quantize(Decimal(1).scaleb(-dec), rounding=mode)
    return r if abs(int(r.scaleb(dec))) < LIMIT else None


def div(a, b):
    for d in range(MAX_SCALE, -1, -1):
        r = quot(a, b, d, ROUND_HALF_UP)
        if r is not None:
            return r
    return None


FW = {str(i): chr(0xFF10 + i) for i in range(10)}
FW.update({".": "\uff0e", ",": "\uff0c", "+": "\uff0b", "%": "\uff05"})


def group(int_part):
    s = int_part
    out = []
    while len(s) > 3:
        out.insert(0, s[-3:])
        s = s[:-3]
    out.insert(0, s)
    return ",".join(out)


def parse_case():
    """(text, expected value or None)"""
    r = rng.random()
    nint = rng.randint(1, 21)
    nfrac = rng.choice([0, 0, rng.randint(1, 15)])
    ip = str(rng.randint(0, 9)) + "".join(rng.choice("0123456789") for _ in range(nint - 1))
    fp = "".join(rng.choice("0123456789") for _ in range(nfrac))
    sign = rng.choice(["", "", "-", "+"])
    if r < 0.25 and len(ip) > 3:
        ip_text = group(ip)
    elif r < 0.35 and len(ip) > 1:
        # a separator somewhere that does not make groups of three (or does)
        k = rng.randint(1, len(ip) - 1)
        ip_text = ip[:k] + "," + ip[k:]
    else:
        ip_text = ip
    t = sign + ip_text + ("." + fp if fp else "")
    plain = re.fullmatch(r"[+-]?\d+(\.\d+)?", t.replace(",", "")) and (
        "," not in ip_text or re.fullmatch(r"\d{1,3}(,\d{3})+", ip_text))
    exp = None
    if plain:
        d = Decimal(t.replace(",", ""))
        exp = d if fits(d) else None
    if rng.random() < 0.2:
        t = "".join(FW.get(ch, ch) for ch in t)
        if t.startswith("-"):
            t = rng.choice(["\u2212", "\uff0d", "-"]) + t[1:]
    if rng.random() < 0.1:
        t = rng.choice([" ", "\u3000"]) + t + " "
    return t, exp


def cstr(s):
    out = '"'
    for ch in s:
        if ch in '"\\':
            out += "\\" + ch
        elif ord(ch) < 0x80:
            out += ch
        else:
            out += "".join("\\x%02x" % b for b in ch.encode()) + '""'
    return out + '"'


def row(op, a, b, c, d, exp):
    e = "NULL" if exp is None else cstr(exp)
    return "\t{ %s, %s, %s, %s, %d, %s }," % (op, cstr(a), cstr(b), cstr(c), d, e)


def main():
    rows = []
    for _ in range(700):
        t, e = parse_case()
        rows.append(row("OP_PARSE", t, "", "", 0, None if e is None else canon(e)))
    for t, e in [("0.9999999999999", None), ("-0.0000000000001", None), ("0.999999999999", "0.999999999999"),
                 ("999999999999999999", "999999999999999999"), ("1000000000000000000", None),
                 ("999999.999999999999", "999999.999999999999"), ("1000000.000000000000", "1000000"),
                 ("1.0000000000000", "1"), ("0000000000000095", "95"), ("1,00", None), ("1,5", None),
                 ("12,34,5", None), ("1,000,00", None), ("1,000,000.5", "1000000.5"), (".5", "0.5"),
                 ("5.", None), ("--1", None), ("1e5", None), ("\uff11\uff16\uff10\uff0e\uff13\uff14\uff19", "160.349"),
                 ("\u22125", "-5"), ("\uff0d5", "-5"), ("\uff0b5", "5"), ("160,329", "160329")]:
        rows.append(row("OP_PARSE", t, "", "", 0, e))
    for _ in range(600):
        a, b = rnum(), rnum()
        s = a + b
        rows.append(row("OP_ADD", text(a), text(b), "", 0, canon(s) if fits(s) else None))
        s = a - b
        rows.append(row("OP_SUB", text(a), text(b), "", 0, canon(s) if fits(s) else None))
        s = a * b
        rows.append(row("OP_MUL", text(a), text(b), "", 0, canon(s) if fits(s) else None))
        q = div(a, b)
        rows.append(row("OP_DIV", text(a), text(b), "", 0, None if q is None else canon(q)))
        d = rng.randint(0, MAX_SCALE)
        for op, mode in (("OP_DIV_AT", ROUND_HALF_UP), ("OP_DIV_DOWN", ROUND_DOWN)):
            q = quot(a, b, d, mode)
            rows.append(row(op, text(a), text(b), "", d, None if q is None else canon(q)))
        c = rnum()
        q = quot(a * b, c, d, ROUND_HALF_UP)
        rows.append(row("OP_MULDIV", text(a), text(b), text(c), d, None if q is None else canon(q)))
        rows.append(row("OP_ROUND", text(a), "", "", d, canon(a.quantize(Decimal(1).scaleb(-d), rounding=ROUND_HALF_UP))
                        if d < -a.as_tuple().exponent else canon(a)))
        rows.append(row("OP_TRUNC", text(a), "", "", d, canon(a.quantize(Decimal(1).scaleb(-d), rounding=ROUND_DOWN))
                        if d < -a.as_tuple().exponent else canon(a)))
    # the edges of the issue
    for a, b, op in [("10000000", "0.000000000001", "OP_ADD"), ("1000000000000", "3.000000000000", "OP_DIV"),
                     ("1000000000000", "3", "OP_DIV"), ("0.000001", "0.0000001", "OP_MUL"),
                     ("999999999999999999", "1", "OP_ADD"), ("-999999999999999999", "1", "OP_SUB"),
                     ("0.000000000001", "0.5", "OP_MUL"), ("2", "3", "OP_DIV"), ("1", "3", "OP_DIV"),
                     ("999999.999999999999", "1", "OP_DIV"), ("1999999.9999999999995", "1", "OP_DIV")]:
        A, B = Decimal(a), Decimal(b)
        if op == "OP_ADD":
            e = A + B
            e = e if fits(e) else None
        elif op == "OP_SUB":
            e = A - B
            e = e if fits(e) else None
        elif op == "OP_MUL":
            e = A * B
            e = e if fits(e) else None
        else:
            e = div(A, B) if fits(A) and fits(B) else None
        if fits(A) and fits(B):
            rows.append(row(op, a, b, "", 0, None if e is None else canon(e)))
    print("/* Generated by tests/unit/gen_num_cases.py from Python's decimal: do not edit. */")
    print("enum num_op { OP_PARSE, OP_ADD, OP_SUB, OP_MUL, OP_DIV, OP_DIV_AT, OP_DIV_DOWN, OP_MULDIV, OP_ROUND, OP_TRUNC };")
    print("static const struct num_case { enum num_op op; const char *a, *b, *c; int d; const char *expect; } num_cases[] = {")
    print("\n".join(rows))
    print("};")


if __name__ == "__main__":
    main()
