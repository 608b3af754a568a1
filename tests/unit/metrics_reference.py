#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
# Derives the reference constants embedded in test_metrics.cpp (run with Debian's python3-scipy;
# the C++ tests do not need python). Prints C++ initialisers.
#  - Butterworth b, a: scipy.signal.butter(..., fs=10000).
#  - filtfilt: scipy.signal.filtfilt (stock), and an "ideal" filtfilt of the same double (b, a)
#    coefficients evaluated in 60-digit decimal arithmetic (odd padding, exact step-steady-state
#    initial conditions, no rounding between passes). Stock scipy solves for lfilter_zi with a
#    double LU of a near-singular system, which for the 2-100 Hz band is off by ~1e-2 relative.
#  - second-order sections: scipy.signal.butter(..., output='sos') and sosfiltfilt.
from decimal import Decimal, getcontext
import numpy as np
import scipy.signal as s

getcontext().prec = 60
FS = 10000
FILTERS = [("paper band 20-500 Hz", (3, [20, 500], "band")),
           ("reference band 2-100 Hz", (3, [2, 100], "band")),
           ("low-pass 2 kHz", (3, 2000, "low"))]
IDX = [0, 1, 2, 10, 100, 1234, 2500, 4000, 4990, 4998, 4999]


def signal(n):
    i = np.arange(n)
    noise = ((i * 1103515245 + 12345) % 2147483648) / 2147483648.0
    return 10 * np.sin(0.0123 * i) + 3 * np.sin(0.71 * i + 0.3) + 4 * (noise - 0.5) - 60


def ideal_filtfilt(b, a, x):
    b = [Decimal(float(v)) for v in b]
    a = [Decimal(float(v)) for v in a]
    n = len(a)
    yss = sum(b) / sum(a)
    zi = [sum(b[k] - a[k] * yss for k in range(i + 1, n)) for i in range(n - 1)]
    edge = 3 * n
    xd = [Decimal(float(v)) for v in x]
    ext = [2 * xd[0] - xd[edge - i] for i in range(edge)] + xd + \
          [2 * xd[-1] - xd[-2 - i] for i in range(edge)]

    def lfilter(seq):
        z = [c * seq[0] for c in zi]
        out = []
        for v in seq:
            y = b[0] * v + z[0]
            for i in range(n - 2):
                z[i] = b[i + 1] * v - a[i + 1] * y + z[i + 1]
            z[n - 2] = b[n - 1] * v - a[n - 1] * y
            out.append(y)
        return out

    y = lfilter(lfilter(ext)[::-1])[::-1]
    return np.array([float(v) for v in y[edge:-edge]])


def arr(v):
    return "{" + ", ".join(repr(float(t)) for t in v) + "}"


x = signal(5000)
for name, args in FILTERS:
    b, a = s.butter(*args, fs=FS)
    print("//", name)
    print("b", arr(b))
    print("a", arr(a))
    print("zi scipy", arr(s.lfilter_zi(b, a)))
    stock = s.filtfilt(b, a, x)
    ideal = ideal_filtfilt(b, a, x)
    print("ideal vals", arr(ideal[IDX]))
    print("ideal sum/sumsq", arr([np.sum(ideal), np.sum(ideal * ideal)]))
    print("stock vals", arr(stock[IDX]))
    print("max |stock - ideal|", np.max(np.abs(stock - ideal)))

# Short signal just above the padding length (3 * 4 = 12) through the low-pass.
b, a = s.butter(3, 2000, fs=FS)
x2 = np.array([1.0, 4, 2, 8, 5, 7, 3, 9, 6, 0, 2, 5, 1])
print("short stock", arr(s.filtfilt(b, a, x2)))
print("short ideal", arr(ideal_filtfilt(b, a, x2)))

# Second-order sections: scipy.signal.butter(..., output='sos') and sosfiltfilt. Section pairing
# differs from the C++ design, so the tests compare responses and filtered outputs, not sections.
print("// second-order sections")
for name, args in FILTERS + [("reference band 2-100 Hz at 20 kHz", (3, [2, 100], "band"))]:
    fs = 20000 if "20 kHz" in name else FS
    sos = s.butter(*args, fs=fs, output="sos")
    y = s.sosfiltfilt(sos, x)
    print("//", name, "padlen", 3 * (2 * len(sos) + 1 - min((sos[:, 2] == 0).sum(), (sos[:, 5] == 0).sum())))
    print("sosfiltfilt vals", arr(y[IDX]))
    print("sosfiltfilt sum/sumsq", arr([np.sum(y), np.sum(y * y)]))
sos = s.butter(3, 2000, fs=FS, output="sos")
print("short sosfiltfilt", arr(s.sosfiltfilt(sos, x2)))
