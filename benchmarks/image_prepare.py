"""Time to make a phone photo ready to send: a 4032x3024 JPEG through ``prepare_image``.

The photo is generated (smooth colour fields with sensor-like grain, so it compresses like a
real one) and prepared with the default long edge of 1568 px: decoded at reduced scale,
scaled, re-encoded. The figure is the median of 5 runs on one core, as the user waits for it
when attaching a picture.
"""

from __future__ import annotations

import io
import random
import statistics
import time
from typing import Any

from PIL import Image

from desktop_app.core.images import prepare_image

TARGET_MS = 300.0
RUNS = 5
SIZE = (4032, 3024)


def noisy_photo(width: int, height: int, seed: int = 12) -> bytes:
    """A 12-megapixel JPEG (quality 92) that compresses like a photograph."""
    rng = random.Random(seed)
    small = (width // 16 + 1, height // 16 + 1)
    fields = Image.frombytes("RGB", small, rng.randbytes(small[0] * small[1] * 3))
    fields = fields.resize((width, height), Image.Resampling.BICUBIC)
    grain = Image.frombytes("RGB", (width, height), rng.randbytes(width * height * 3))
    buffer = io.BytesIO()
    Image.blend(fields, grain, 0.15).save(buffer, "JPEG", quality=92)
    return buffer.getvalue()


def run() -> dict[str, Any]:
    data = noisy_photo(*SIZE)
    prepare_image(data, name="warm-up.jpg")  # first use loads Pillow's plugins
    timings = []
    for _ in range(RUNS):
        start = time.perf_counter()
        prepared = prepare_image(data, name="photo.jpg")
        timings.append((time.perf_counter() - start) * 1000)
    return {
        "figure": "prepare a 12-megapixel photo for sending",
        "value": statistics.median(timings),
        "unit": "ms",
        "target": TARGET_MS,
        "better": "lower",
        "detail": f"{SIZE[0]}x{SIZE[1]} JPEG, {len(data) / 1e6:.1f} MB -> "
        f"{prepared.width}x{prepared.height} {prepared.media_type}, "
        f"{len(prepared.data) / 1e6:.2f} MB; runs {[round(t) for t in timings]} ms",
    }


def main() -> None:
    from benchmarks.report import emit

    emit([run()])


if __name__ == "__main__":
    main()
