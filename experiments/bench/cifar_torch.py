#!/usr/bin/env python3
"""PyTorch twins of the CIFAR-shaped specs for `./workbench bench train --model cifar10-vgg|cifar10-resnet`:
the same layers, parameter counts, optimizer and L2 as experiments/cifar10-vgg.json and cifar10-resnet.json as the
workbench builds them with DL4J, trained on synthetic float32 (N, 3, 32, 32) batches, CPU.

  --net vgg       three stages of two 3x3 convolutions (32, 64, 128; padding 1, bias, relu) and 2x2 max pooling,
                  dropout 0.5, dense 256 relu, dense 10 + softmax cross-entropy; Adam 1e-3, L2 5e-4 on the weights.
  --net resnet20  3x3 conv 16 (bias), batchnorm, relu; 3 stages of 3 basic blocks (16, 32, 64): conv3x3(stride,
                  no bias) bn relu conv3x3 bn, + identity or (at stride 2) a 1x1 conv + bn projection, relu; global
                  average pool, dense 10; classic momentum 0.9, lr 0.1, L2 1e-4 on the weights.

As in DL4J, L2 is added to the gradients of convolution and dense weights only (not biases, not batchnorm's gamma
and beta) and batchnorm's running averages use momentum 0.1 (DL4J decay 0.9), eps 1e-5. One difference that changes
no shape, count or cost: DL4J's "same" padding at stride 2 pads only bottom/right, PyTorch's padding=1 both sides.

Prints `PARAMS n` (counted as DL4J's numParams() counts: learnable parameters plus batchnorm's running mean and
variance, which DL4J keeps in its parameter vector), `LEARNABLE m`, and unless --params-only, after warm-up,
`RESULT examples_per_second=X` for the steady state."""
import argparse
import sys

try:
    import torch
    import torch.nn as nn
    from torch_timing import measure
except ImportError:
    sys.exit("cifar_torch.py: PyTorch is not installed for " + sys.executable
             + "; install the Debian package: apt-get install python3-torch")


def conv_relu(cin, cout):
    return [nn.Conv2d(cin, cout, 3, padding=1), nn.ReLU()]


def vgg():
    return nn.Sequential(
        *conv_relu(3, 32), *conv_relu(32, 32), nn.MaxPool2d(2, 2),
        *conv_relu(32, 64), *conv_relu(64, 64), nn.MaxPool2d(2, 2),
        *conv_relu(64, 128), *conv_relu(128, 128), nn.MaxPool2d(2, 2),
        nn.Dropout(0.5), nn.Flatten(), nn.Linear(128 * 4 * 4, 256), nn.ReLU(), nn.Linear(256, 10))


def bn(c):
    return nn.BatchNorm2d(c, eps=1e-5, momentum=0.1)


class Block(nn.Module):
    """The workbench's `residual` layer: relu(bn(conv(relu(bn(conv(x))))) + shortcut(x))."""

    def __init__(self, cin, cout, stride):
        super().__init__()
        self.f = nn.Sequential(nn.Conv2d(cin, cout, 3, stride, 1, bias=False), bn(cout), nn.ReLU(),
                               nn.Conv2d(cout, cout, 3, 1, 1, bias=False), bn(cout))
        self.shortcut = (nn.Sequential(nn.Conv2d(cin, cout, 1, stride, bias=False), bn(cout))
                         if stride > 1 else nn.Identity())
        self.relu = nn.ReLU()

    def forward(self, x):
        return self.relu(self.f(x) + self.shortcut(x))


def resnet20():
    layers = [nn.Conv2d(3, 16, 3, padding=1), bn(16), nn.ReLU()]
    cin = 16
    for cout, stride in ((16, 1), (32, 2), (64, 2)):
        for i in range(3):
            layers.append(Block(cin, cout, stride if i == 0 else 1))
            cin = cout
    layers += [nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(64, 10)]
    return nn.Sequential(*layers)


NETS = {"vgg": (vgg, lambda groups: torch.optim.Adam(groups, lr=1e-3), 5e-4),
        "resnet20": (resnet20, lambda groups: torch.optim.SGD(groups, lr=0.1, momentum=0.9), 1e-4)}


def counts(net):
    learnable = sum(p.numel() for p in net.parameters())
    stats = sum(m.running_mean.numel() + m.running_var.numel() for m in net.modules()
                if isinstance(m, nn.BatchNorm2d))
    return learnable + stats, learnable


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--net", choices=sorted(NETS), required=True)
    p.add_argument("--batch", type=int, default=64)
    p.add_argument("--iterations", type=int, default=20)
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--params-only", action="store_true", help="print the counts and exit")
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(42)
    build, optimizer, l2 = NETS[a.net]
    net = build()
    for m in net.modules():  # the specs' "he" init; DL4J starts biases at 0
        if isinstance(m, (nn.Conv2d, nn.Linear)):
            nn.init.kaiming_normal_(m.weight, nonlinearity="relu")
            if m.bias is not None:
                nn.init.zeros_(m.bias)
    total, learnable = counts(net)
    print("PARAMS %d" % total)
    print("LEARNABLE %d" % learnable)
    if a.params_only:
        return
    weights = [m.weight for m in net.modules() if isinstance(m, (nn.Conv2d, nn.Linear))]
    others = [q for q in net.parameters() if all(q is not w for w in weights)]
    opt = optimizer([{"params": weights, "weight_decay": l2}, {"params": others, "weight_decay": 0.0}])
    g = torch.Generator().manual_seed(42)
    batches = [(torch.randn(a.batch, 3, 32, 32, generator=g), torch.randint(0, 10, (a.batch,), generator=g))
               for _ in range(min(32, max(1, a.iterations)))]
    net.train()

    measure(net, opt, batches, a.iterations, a.batch)

if __name__ == "__main__":
    main()
