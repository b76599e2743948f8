#!/usr/bin/env bash
# The viewer in CI, in a real window under Xvfb (Mesa software OpenGL; its egui_kittest
# tests run with the suite in .ci/run). For every valid example: `txline --screenshot` must exit 0 and write a PNG of the
# window's size that is a real rendering (many colours, a white figure page, not one flat
# colour). An invalid example must make `--screenshot` exit non-zero and write nothing.
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TERM_COLOR=never

# What a window needs on a bare Debian: an X server, Mesa GL/EGL, the X libraries winit loads
# at run time, and python3 for the pixel check below.
pkgs=(xvfb xauth libgl1 libegl1 libgl1-mesa-dri libxkbcommon-x11-0 libxcursor1 libxrandr2 libxi6 python3)
missing=()
for p in "${pkgs[@]}"; do
    dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
    echo "installing: ${missing[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# The debug build (the viewer's tests in .ci/run already compiled its dependencies; a release
# build of eframe would add ~6 minutes on CI's 2 cores for the same pixels).
echo "--- debug build"
cargo build
tdir=${CARGO_TARGET_DIR:-target}
bin=$tdir/debug/txline
out=$tdir/screenshots
rm -rf "$out"
mkdir -p "$out"

shoot() { # FILE OUT.png
    timeout 120 xvfb-run -a -s "-screen 0 1920x1200x24" "$bin" --screenshot "$2" "$1"
}

status=0
shopt -s nullglob
examples=(examples/*.ron)
if [ ${#examples[@]} -eq 0 ]; then
    echo "no examples/*.ron found" >&2
    exit 1
fi
for f in "${examples[@]}"; do
    name=$(basename "$f" .ron)
    start=$(date +%s%N)
    if shoot "$f" "$out/$name.png"; then
        printf '%-24s screenshot in %d ms (start, load, render, save, exit)\n' "$name" $((($(date +%s%N) - start) / 1000000))
    else
        echo "FAIL: txline --screenshot $f exited non-zero" >&2
        status=1
    fi
done

# The Chinese and Greek/Cyrillic examples (docs/fonts.md), drawn with the fallback fonts.
for f in examples/scripts/*.ron; do
    name=$(basename "$f" .ron)
    if shoot "$f" "$out/$name.png"; then
        echo "$name screenshot written"
    else
        echo "FAIL: txline --screenshot $f exited non-zero" >&2
        status=1
    fi
done

# Laptop and projector windows: the viewer must render there too (the figure scrolls).
sized=()
for size in 1366x768 1024x768; do
    shot="$out/patient1-$size.png"
    w=${size%x*}; h=${size#*x}
    if timeout 120 xvfb-run -a -s "-screen 0 ${w}x${h}x24" "$bin" --screenshot "$shot" --window-size "$size" examples/patient1.ron; then
        sized+=("sized:$shot:$w:$h")
        echo "patient1 at $size: screenshot written"
    else
        echo "FAIL: txline --screenshot --window-size $size exited non-zero" >&2
        status=1
    fi
done

# A folder of timelines opens as a cohort: its swimmer (a bad file among them is listed).
shot="$out/cohort-1366x768.png"
if timeout 120 xvfb-run -a -s "-screen 0 1366x768x24" "$bin" --screenshot "$shot" --window-size 1366x768 tests/data/cohort; then
    sized+=("sized:$shot:1366:768")
    echo "cohort swimmer at 1366x768: screenshot written"
else
    echo "FAIL: txline --screenshot tests/data/cohort exited non-zero" >&2
    status=1
fi

# A file that does not load must fail the screenshot and leave no file behind.
invalid=(examples/invalid/*.ron)
if [ ${#invalid[@]} -gt 0 ]; then
    bad=${invalid[0]}
    if shoot "$bad" "$out/invalid.png" 2>"$out/invalid.err"; then
        echo "FAIL: --screenshot on the invalid $bad exited 0" >&2
        status=1
    elif [ -e "$out/invalid.png" ]; then
        echo "FAIL: --screenshot on the invalid $bad wrote a file" >&2
        status=1
    else
        echo "invalid example refused: $(head -c 200 "$out/invalid.err" | tr '\n' ' ')"
    fi
fi

# Pixel check with the standard library only (zlib + PNG unfiltering).
python3 - "$out" "${examples[@]}" "${sized[@]}" <<'PY' || status=1
import os, struct, sys, zlib
from collections import Counter

W, H = 1600, 1000  # txline::gui::WINDOW_SIZE

def read_png(path):
    data = open(path, "rb").read()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    pos, idat, ihdr = 8, b"", None
    while pos < len(data):
        n, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + n]
        if kind == b"IHDR":
            ihdr = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            idat += body
        pos += 12 + n
    w, h, depth, ctype, _, _, interlace = ihdr
    assert depth == 8 and ctype in (2, 6) and interlace == 0, f"unexpected PNG type {ihdr}"
    bpp = 4 if ctype == 6 else 3
    raw = zlib.decompress(idat)
    stride = w * bpp
    rows, prev, i = [], bytearray(stride), 0
    for _ in range(h):
        f, line = raw[i], bytearray(raw[i + 1:i + 1 + stride])
        i += 1 + stride
        for x in range(stride):
            a = line[x - bpp] if x >= bpp else 0
            b = prev[x]
            c = prev[x - bpp] if x >= bpp else 0
            if f == 1: line[x] = (line[x] + a) & 255
            elif f == 2: line[x] = (line[x] + b) & 255
            elif f == 3: line[x] = (line[x] + (a + b) // 2) & 255
            elif f == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                pr = a if pa <= pb and pa <= pc else (b if pb <= pc else c)
                line[x] = (line[x] + pr) & 255
        rows.append(bytes(line))
        prev = line
    return w, h, bpp, rows

out, args = sys.argv[1], sys.argv[2:]
shots = []  # (name, path, expected width, expected height)
for a in args:
    if a.startswith("sized:"):
        _, path, w, h = a.split(":")
        shots.append((os.path.basename(path), path, int(w), int(h)))
    else:
        name = os.path.splitext(os.path.basename(a))[0]
        shots.append((name, os.path.join(out, name + ".png"), W, H))
ok = True
for name, path, EW, EH in shots:
    if not os.path.exists(path):
        print(f"FAIL {name}: no screenshot"); ok = False; continue
    w, h, bpp, rows = read_png(path)
    colours, white = Counter(), 0
    for y in range(0, h, 2):
        row = rows[y]
        for x in range(0, w * bpp, 2 * bpp):
            px = row[x:x + 3]
            colours[px] += 1
            if px[0] > 245 and px[1] > 245 and px[2] > 245:
                white += 1
    total = sum(colours.values())
    top = colours.most_common(1)[0][1] / total
    problems = []
    if (w, h) != (EW, EH): problems.append(f"size {w}x{h}, expected {EW}x{EH}")
    if len(colours) < 64: problems.append(f"only {len(colours)} colours")
    if top > 0.9: problems.append(f"one colour covers {top:.0%}")
    if white / total < 0.2: problems.append(f"figure page only {white / total:.0%} of the window")
    verdict = "ok  " if not problems else "FAIL"
    print(f"{verdict} {name}: {w}x{h}, {len(colours)} colours, page {white / total:.0%}, top colour {top:.0%}"
          + ("" if not problems else " — " + "; ".join(problems)))
    ok = ok and not problems
sys.exit(0 if ok else 1)
PY

if [ $status -ne 0 ]; then
    echo "viewer screenshots: FAILED" >&2
fi
exit $status
