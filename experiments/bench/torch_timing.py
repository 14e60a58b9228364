"""The timing loop both PyTorch twins share: warm-up steps (not timed), then `iterations` timed training steps
cycling over `batches`; prints `RESULT examples_per_second=X`, the line `./workbench bench train` reads."""
import time

import torch.nn as nn


def measure(net, opt, batches, iterations, batch):
    loss_fn = nn.CrossEntropyLoss()

    def step(i):
        xb, yb = batches[i % len(batches)]
        opt.zero_grad()
        loss = loss_fn(net(xb), yb)
        loss.backward()
        opt.step()

    for i in range(min(8, iterations)):
        step(i)
    start = time.perf_counter()
    for i in range(iterations):
        step(i)
    print("RESULT examples_per_second=%.1f" % (iterations * batch / (time.perf_counter() - start)))
