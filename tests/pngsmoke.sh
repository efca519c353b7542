#!/bin/sh
# A pixel-tolerant look at a PNG, for golden tests: its size from the IHDR
# chunk and whether anything was drawn (more than one colour in the image).
# Prints one line, "PNG 960x400, drawn", that a golden file can pin without
# pinning bytes that change with each cairo, pixman or freetype release.
# Usage: pngsmoke.sh FILE
f=$1
sig=$(od -An -tx1 -N8 "$f" | tr -d ' \n')
if [ "$sig" != "89504e470d0a1a0a" ]; then
	echo "not a PNG"
	exit 0
fi
w=$(od -An -tu1 -j16 -N4 "$f" | awk '{print $1*16777216 + $2*65536 + $3*256 + $4}')
h=$(od -An -tu1 -j20 -N4 "$f" | awk '{print $1*16777216 + $2*65536 + $3*256 + $4}')
# Whether it is drawn needs the pixels: python3's zlib inflates them. Without it, say so.
drawn=$(python3 - "$f" 2>/dev/null <<'PY'
import struct, sys, zlib
data = open(sys.argv[1], 'rb').read()
pos, idat, ihdr = 8, b'', None
while pos < len(data):
    n, kind = struct.unpack('>I4s', data[pos:pos + 8])
    body = data[pos + 8:pos + 8 + n]
    if kind == b'IHDR':
        ihdr = body
    elif kind == b'IDAT':
        idat += body
    pos += 12 + n
w, h, depth, ctype = struct.unpack('>IIBB', ihdr[:10])
bpp = {0: 1, 2: 3, 4: 2, 6: 4}.get(ctype, 1) * max(depth // 8, 1)
raw = zlib.decompress(idat)
stride = w * bpp
prev = bytearray(stride)
colours = set()
for y in range(h):
    ft = raw[y * (stride + 1)]
    line = bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
    for i in range(stride):
        a = line[i - bpp] if i >= bpp else 0
        b = prev[i]
        c = prev[i - bpp] if i >= bpp else 0
        if ft == 1:
            line[i] = (line[i] + a) & 255
        elif ft == 2:
            line[i] = (line[i] + b) & 255
        elif ft == 3:
            line[i] = (line[i] + (a + b) // 2) & 255
        elif ft == 4:
            p = a + b - c
            pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
            line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
    for x in range(0, stride, bpp * 7):
        colours.add(bytes(line[x:x + bpp]))
    prev = line
print('drawn' if len(colours) > 1 else 'blank')
PY
)
echo "PNG ${w}x${h}, ${drawn:-drawn (not checked: no python3)}"
