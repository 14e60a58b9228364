#!/usr/bin/env python3
"""PyTorch baseline for `./workbench bench train`: the lecture notes' LeNet (conv 20@5x5 pad 2, pool,
conv 50@5x5 pad 2, pool, dense 500, softmax 10) on Fashion-MNIST, Adam 1e-3, float32, CPU.
Prints `PARAMS n` (the network's parameter count, which `bench train` checks against the DL4J network's) and,
unless --params-only, `RESULT examples_per_second=X` for the steady state (after warm-up iterations)."""
import argparse, gzip, struct
import sys

import numpy as np

try:
    import torch
    import torch.nn as nn
    from torch_timing import measure
except ImportError:
    sys.exit("lenet_torch.py: PyTorch is not installed for " + sys.executable
             + "; install the Debian package: apt-get install python3-torch")


def idx(path):
    with gzip.open(path, "rb") as f:
        magic = struct.unpack(">I", f.read(4))[0]
        dims = struct.unpack(">" + "I" * (magic & 0xFF), f.read(4 * (magic & 0xFF)))
        return np.frombuffer(f.read(), dtype=np.uint8).reshape(dims)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--data", default="/usr/share/datasets/fashion-mnist")
    p.add_argument("--batch", type=int, default=64)
    p.add_argument("--iterations", type=int, default=40)
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--params-only", action="store_true", help="print the parameter count and exit")
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(42)
    net = nn.Sequential(
        nn.Conv2d(1, 20, 5, padding=2), nn.ReLU(), nn.MaxPool2d(2, 2),
        nn.Conv2d(20, 50, 5, padding=2), nn.ReLU(), nn.MaxPool2d(2, 2),
        nn.Flatten(), nn.Linear(50 * 7 * 7, 500), nn.ReLU(), nn.Linear(500, 10))
    print("PARAMS %d" % sum(q.numel() for q in net.parameters()))
    if a.params_only:
        return
    x = torch.from_numpy(idx(a.data + "/train-images-idx3-ubyte.gz").astype(np.float32) / 255.0).unsqueeze(1)
    y = torch.from_numpy(idx(a.data + "/train-labels-idx1-ubyte.gz").astype(np.int64))
    opt = torch.optim.Adam(net.parameters(), lr=1e-3)
    batches = [(x[i * a.batch:(i + 1) * a.batch], y[i * a.batch:(i + 1) * a.batch]) for i in range(32)]

    measure(net, opt, batches, a.iterations, a.batch)

if __name__ == "__main__":
    main()
