"""Minimal safetensors reader/writer (the `safetensors` pip package is not needed).

Format: 8-byte little-endian header length N, N bytes of JSON header
{"__metadata__": {...}, name: {"dtype", "shape", "data_offsets": [begin, end]}} (offsets relative to the end of the
header, header padded with spaces to a multiple of 8), then the raw little-endian tensor bytes.
"""
import json
import struct

import numpy as np
import torch

_DTYPES = {"F32": np.float32, "F16": np.float16, "F64": np.float64}


def write(path, tensors, metadata=None):
    """Writes an ordered dict name -> torch tensor (float32) in map order, contiguous."""
    header = {}
    if metadata:
        header["__metadata__"] = metadata
    blobs = []
    offset = 0
    for name, tensor in tensors.items():
        data = tensor.detach().to(torch.float32).contiguous().numpy().astype("<f4").tobytes()
        header[name] = {"dtype": "F32", "shape": list(tensor.shape), "data_offsets": [offset, offset + len(data)]}
        offset += len(data)
        blobs.append(data)
    text = json.dumps(header, separators=(",", ":")).encode("utf-8")
    text += b" " * ((8 - len(text) % 8) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)))
        f.write(text)
        for blob in blobs:
            f.write(blob)


def read(path):
    """Returns an ordered dict name -> torch float64 tensor (BF16 widened by shifting into the high half)."""
    with open(path, "rb") as f:
        raw = f.read()
    (n,) = struct.unpack("<Q", raw[:8])
    header = json.loads(raw[8:8 + n].decode("utf-8"))
    start = 8 + n
    out = {}
    for name, entry in header.items():
        if name == "__metadata__":
            continue
        begin, end = entry["data_offsets"]
        chunk = raw[start + begin:start + end]
        if entry["dtype"] == "BF16":
            halves = np.frombuffer(chunk, dtype="<u2").astype(np.uint32) << 16
            array = halves.view(np.float32)
        else:
            array = np.frombuffer(chunk, dtype=np.dtype(_DTYPES[entry["dtype"]]).newbyteorder("<"))
        out[name] = torch.from_numpy(array.astype(np.float64).reshape(entry["shape"]))
    return out
