"""Writes inputs, an output gradient and PyTorch's input gradients for GradVsTorchTest.

Usage: python3 grad_cases.py OUT_DIR

OUT_DIR/cases.txt gets one line per case, in torch_cases.py's format (`name op key=value ...`, tensors as
`@file:dtype:shape[:T]`), plus: `grad=a,b` (the inputs that require a gradient), `gy` (the gradient fed to
backward, of the output's shape), `expected` (the output) and `expected_grad_<input>` per differentiated input
(the vector-Jacobian product PyTorch's autograd computes).
"""
import os
import sys

import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from case_file import CaseFile, T  # noqa: E402

torch.manual_seed(1)
cases = CaseFile(sys.argv[1], "g")
lines = cases.lines
fmt = cases.fmt


def gcase(name, op, fn, grad, **params):
    """Runs fn on the tensor params (those named in grad require a gradient), backward with a random gy."""
    tensors = {}
    for k, v in params.items():
        t = v[0] if isinstance(v, tuple) and len(v) == 2 and isinstance(v[0], torch.Tensor) else v
        if isinstance(t, torch.Tensor):
            t = t.detach().clone().requires_grad_(k in grad)
        tensors[k] = t
    y = fn(**tensors)
    gy = torch.randn_like(y)
    y.backward(gy)
    parts = [name, op] + ["%s=%s" % (k, fmt(v)) for k, v in params.items()]
    parts += ["grad=" + ",".join(grad), "gy=" + fmt(gy), "expected=" + fmt(y)]
    parts += ["expected_grad_%s=%s" % (k, fmt(tensors[k].grad)) for k in grad]
    lines.append(" ".join(parts))


r = torch.randn

# ---- convolution ----
for name, shape, o, k, s, p, d, g, bias in [
    ("conv_basic", (2, 3, 7, 9), 4, (3, 3), (1, 1), (1, 1), (1, 1), 1, True),
    ("conv_stride2", (2, 5, 11, 13), 6, (3, 3), (2, 2), (1, 1), (1, 1), 1, True),
    ("conv_dilation", (2, 4, 10, 10), 5, (3, 3), (1, 1), (2, 2), (2, 2), 1, False),
    ("conv_groups2", (2, 4, 8, 8), 6, (3, 3), (1, 1), (1, 1), (1, 1), 2, True),
    ("conv_depthwise", (2, 8, 9, 9), 8, (3, 3), (1, 1), (1, 1), (1, 1), 8, True),
    ("conv_depthwise_s2_mult2", (2, 4, 10, 11), 8, (3, 3), (2, 2), (1, 1), (1, 1), 4, False),
    ("conv_1x1_s2", (2, 16, 8, 8), 24, (1, 1), (2, 2), (0, 0), (1, 1), 1, True),
    ("conv_cifar1", (4, 3, 32, 32), 6, (5, 5), (1, 1), (0, 0), (1, 1), 1, True),
    ("conv_stem7x7", (2, 3, 30, 30), 8, (7, 7), (2, 2), (3, 3), (1, 1), 1, False),
    ("conv_rect", (2, 3, 9, 12), 5, (3, 5), (2, 1), (1, 2), (1, 1), 1, True),
    ("conv_deep_k", (2, 96, 6, 6), 40, (3, 3), (1, 1), (1, 1), (1, 1), 1, True),
    # input gradient as a forward convolution of the flipped weight (stride 1, >= 32 channels a group)
    ("conv_wide_groups_dilated", (2, 64, 7, 8), 32, (3, 2), (1, 1), (2, 1), (2, 1), 2, True),
    ("conv_wide_valid", (1, 40, 6, 6), 8, (3, 3), (1, 1), (0, 0), (1, 1), 1, False),
]:
    x = r(*shape)
    w = r(o, shape[1] // g, *k) * 0.3
    b = r(o) if bias else None
    gcase(name, "conv2d", lambda x, w, b, **kw: F.conv2d(x, w, b, s, p, d, g), ["x", "w", "b"] if bias else ["x", "w"],
          x=x, w=w, b=b, stride=s, padding=p, dilation=d, groups=g)
x, w, b = r(2, 3, 8, 10), r(4, 3, 3, 3), r(4)
gcase("conv_noncontig_input", "conv2d", lambda x, w, b, **kw: F.conv2d(x, w, b, 1, 1), ["x", "w", "b"],
      x=T(x), w=w, b=b, stride=(1, 1), padding=(1, 1), dilation=(1, 1), groups=1)
x, w, b = r(3, 8, 8), r(4, 3, 3, 3), r(4)
gcase("conv_unbatched", "conv2d", lambda x, w, b, **kw: F.conv2d(x, w, b, 1, 1), ["x", "w", "b"],
      x=x, w=w, b=b, stride=(1, 1), padding=(1, 1), dilation=(1, 1), groups=1)
x, w, b = r(2, 6, 9, 9), r(10, 6, 3, 3), r(10)
gcase("conv_relu_fused", "conv2dRelu", lambda x, w, b, **kw: F.relu(F.conv2d(x, w, b, 2, 1)), ["x", "w", "b"],
      x=x, w=w, b=b, stride=(2, 2), padding=(1, 1), dilation=(1, 1), groups=1)
x, w = r(2, 8, 9, 9), r(16, 8, 3, 3) * 0.3
rm, rv, bw, bb = r(16) * 0.1, torch.rand(16) + 0.5, r(16), r(16)
gcase("conv_bn_relu_fallback", "conv2dBatchNorm",
      lambda x, w, b, rm, rv, bw, bb, **kw: F.relu(F.batch_norm(F.conv2d(x, w, None, 1, 1), rm, rv, bw, bb, False, 0.1, 1e-5)),
      ["x", "w", "bw", "bb"], x=x, w=w, b=None, stride=(1, 1), padding=(1, 1), dilation=(1, 1), groups=1, rm=rm, rv=rv,
      bw=bw, bb=bb, eps=1e-5, relu=True)
x, w, b = r(2, 4, 20), r(6, 4, 3), r(6)
gcase("conv1d", "conv1d", lambda x, w, b, **kw: F.conv1d(x, w, b, 2, 1), ["x", "w", "b"], x=x, w=w, b=b, stride=2,
      padding=1, dilation=1, groups=1)
for name, shape, wshape, s, p, op, g, d in [
    ("convT_s2", (2, 4, 5, 5), (4, 3, 3, 3), (2, 2), (1, 1), (1, 1), 1, (1, 1)),
    ("convT_groups", (1, 4, 6, 5), (4, 2, 3, 2), (1, 2), (0, 1), (0, 1), 2, (1, 1)),
    ("convT_dilation", (2, 3, 4, 4), (3, 2, 3, 3), (1, 1), (1, 1), (0, 0), 1, (2, 2)),
]:
    x, w, b = r(*shape), r(*wshape), r(wshape[1] * g)
    gcase(name, "convTranspose2d", lambda x, w, b, **kw: F.conv_transpose2d(x, w, b, s, p, op, g, d), ["x", "w", "b"],
          x=x, w=w, b=b, stride=s, padding=p, output_padding=op, groups=g, dilation=d)

# ---- pooling ----
for name, shape, k, s, p, d, ceil in [
    ("maxpool_k2", (2, 6, 28, 28), (2, 2), (2, 2), (0, 0), (1, 1), False),
    ("maxpool_k3s2p1", (2, 3, 9, 9), (3, 3), (2, 2), (1, 1), (1, 1), False),
    ("maxpool_ceil", (1, 2, 10, 10), (3, 3), (2, 2), (0, 0), (1, 1), True),
    ("maxpool_dilation", (2, 2, 11, 11), (3, 3), (1, 2), (1, 1), (2, 2), False),
    ("maxpool_overlap_s1", (1, 3, 6, 7), (3, 3), (1, 1), (1, 1), (1, 1), False),
]:
    gcase(name, "maxPool2d", lambda x, **kw: F.max_pool2d(x, k, s, p, d, ceil), ["x"], x=r(*shape), kernel=k, stride=s,
          padding=p, dilation=d, ceil_mode=ceil)
for name, shape, k, s, p, ceil, cip in [
    ("avgpool_k3s2p1_incl", (2, 3, 9, 9), (3, 3), (2, 2), (1, 1), False, True),
    ("avgpool_k3s2p1_excl", (2, 3, 9, 9), (3, 3), (2, 2), (1, 1), False, False),
    ("avgpool_ceil_excl", (1, 2, 10, 11), (3, 3), (2, 2), (1, 1), True, False),
    ("avgpool_k2", (2, 4, 8, 8), (2, 2), (2, 2), (0, 0), False, True),
]:
    gcase(name, "avgPool2d", lambda x, **kw: F.avg_pool2d(x, k, s, p, ceil, cip), ["x"], x=r(*shape), kernel=k, stride=s,
          padding=p, ceil_mode=ceil, count_include_pad=cip)
for name, shape, out in [("adaptive_global", (2, 3, 7, 7), (1, 1)), ("adaptive_odd", (2, 3, 13, 11), (5, 3)),
                         ("adaptive_up", (1, 2, 5, 5), (7, 7))]:
    gcase(name + "_avg", "adaptiveAvgPool2d", lambda x, **kw: F.adaptive_avg_pool2d(x, out), ["x"], x=r(*shape), out=out)
    gcase(name + "_max", "adaptiveMaxPool2d", lambda x, **kw: F.adaptive_max_pool2d(x, out), ["x"], x=r(*shape), out=out)

# ---- activations, softmax ----
x = r(3, 17) * 4
x[0, 1] = -3.5
x[0, 2] = 3.5
x[0, 3] = 6.5
acts = {"relu": F.relu, "relu6": F.relu6, "silu": F.silu, "sigmoid": torch.sigmoid, "tanh": torch.tanh,
        "hardswish": F.hardswish}
for n, f in acts.items():
    gcase("act_" + n, n, lambda x, f=f: f(x), ["x"], x=x)
gcase("act_relu_noncontig", "relu", lambda x: F.relu(x), ["x"], x=T(x))
gcase("act_leaky", "leakyRelu", lambda x, **kw: F.leaky_relu(x, 0.1), ["x"], x=x, slope=0.1)
gcase("act_gelu_erf", "gelu", lambda x, **kw: F.gelu(x), ["x"], x=x, approximate="none")
gcase("act_gelu_tanh", "gelu", lambda x, **kw: F.gelu(x, approximate="tanh"), ["x"], x=x, approximate="tanh")
gcase("act_silu_f64", "silu", lambda x: F.silu(x), ["x"], x=x.double())
x = r(4, 5, 6)
for dim in (0, 1, -1):
    gcase("softmax_dim%d" % dim, "softmax", lambda x, **kw: F.softmax(x, dim), ["x"], x=x, dim=dim)
    gcase("logsoftmax_dim%d" % dim, "logSoftmax", lambda x, **kw: F.log_softmax(x, dim), ["x"], x=x, dim=dim)
gcase("logsoftmax_f64", "logSoftmax", lambda x, **kw: F.log_softmax(x, 1), ["x"], x=r(3, 7).double(), dim=1)

# ---- normalisation ----
for name, shape in [("bn4d", (4, 5, 3, 3)), ("bn2d", (8, 5))]:
    x = r(*shape) * 2 + 1
    rm, rv, w, b = r(5) * 0.1, torch.rand(5) + 0.5, r(5), r(5)
    for training in (False, True):
        gcase("%s_%s" % (name, "train" if training else "eval"), "batchNorm",
              lambda x, rm, rv, w, b, **kw: F.batch_norm(x, rm.clone(), rv.clone(), w, b, training, 0.1, 1e-5),
              ["x", "w", "b"], x=x, rm=rm, rv=rv, w=w, b=b, training=training, momentum=0.1, eps=1e-5)
x = r(4, 3, 5, 5)
gcase("bn_train_noaffine_no_running", "batchNorm", lambda x, **kw: F.batch_norm(x, None, None, None, None, True, 0.1, 1e-3),
      ["x"], x=x, rm=None, rv=None, w=None, b=None, training=True, momentum=0.1, eps=1e-3)
rm, rv, w, b = r(3), torch.rand(3) + 0.2, r(3), r(3)
gcase("bn_relu_train", "batchNormRelu",
      lambda x, rm, rv, w, b, **kw: F.relu(F.batch_norm(x, rm.clone(), rv.clone(), w, b, True, 0.1, 1e-5)),
      ["x", "w", "b"], x=x, rm=rm, rv=rv, w=w, b=b, training=True, momentum=0.1, eps=1e-5)
x = r(2, 3, 8) * 3 + 2
gcase("layernorm_last", "layerNorm", lambda x, w, b, **kw: F.layer_norm(x, (8,), w, b, 1e-5), ["x", "w", "b"],
      x=x, shape=(8,), w=r(8), b=r(8), eps=1e-5)
gcase("layernorm_two", "layerNorm", lambda x, w, b, **kw: F.layer_norm(x, (3, 8), w, b, 1e-5), ["x", "w", "b"],
      x=x, shape=(3, 8), w=r(3, 8), b=r(3, 8), eps=1e-5)
gcase("layernorm_noaffine", "layerNorm", lambda x, **kw: F.layer_norm(x, (8,), None, None, 1e-6), ["x"],
      x=x, shape=(8,), w=None, b=None, eps=1e-6)
x = r(2, 6, 4, 4) * 2
gcase("groupnorm", "groupNorm", lambda x, w, b, **kw: F.group_norm(x, 3, w, b, 1e-5), ["x", "w", "b"],
      x=x, groups=3, w=r(6), b=r(6), eps=1e-5)

# ---- lookup, shape, resampling ----
idx = torch.tensor([[1, 0, 9], [3, 3, 7]])
gcase("embedding", "embedding", lambda idx, w: F.embedding(idx, w), ["w"], idx=idx, w=r(10, 4))
gcase("embedding_padding", "embeddingPadding", lambda idx, w, **kw: F.embedding(idx, w, padding_idx=3), ["w"],
      idx=idx, w=r(10, 4), padding_idx=3)
x = r(2, 3, 4, 5)
gcase("flatten_1", "flatten", lambda x, **kw: torch.flatten(x, 1), ["x"], x=x, start=1, end=-1)
gcase("flatten_noncontig", "flatten", lambda x, **kw: torch.flatten(x, 1, 2), ["x"], x=T(x), start=1, end=2)
gcase("pad_pos", "pad2d", lambda x, **kw: F.pad(x, (1, 2, 0, 3)), ["x"], x=x, padding=(1, 2, 0, 3))
gcase("pad_neg", "pad2d", lambda x, **kw: F.pad(x, (-1, 1, 2, -1)), ["x"], x=x, padding=(-1, 1, 2, -1))
x = r(1, 2, 5, 7)
for out in [(10, 14), (3, 4), (11, 5)]:
    tag = "%dx%d" % out
    gcase("nearest_" + tag, "interpolateNearest", lambda x, **kw: F.interpolate(x, size=out, mode="nearest"), ["x"],
          x=x, size=out)
    for ac in (False, True):
        gcase("bilinear_%s_ac%d" % (tag, ac), "interpolateBilinear",
              lambda x, **kw: F.interpolate(x, size=out, mode="bilinear", align_corners=ac), ["x"], x=x, size=out,
              align_corners=ac)

# ---- linear algebra ----
gcase("linear_2d", "linear", lambda x, w, b: F.linear(x, w, b), ["x", "w", "b"], x=r(4, 7), w=r(5, 7), b=r(5))
gcase("linear_3d_nobias", "linear", lambda x, w, b: F.linear(x, w), ["x", "w"], x=r(2, 3, 7), w=r(5, 7), b=None)
gcase("linear_cifar_fc1", "linear", lambda x, w, b: F.linear(x, w, b), ["x", "w", "b"], x=r(8, 400), w=r(120, 400),
      b=r(120))
gcase("linear_weight_noncontig", "linear", lambda x, w, b: F.linear(x, w), ["x", "w"], x=r(3, 7), w=T(r(5, 7)), b=None)
gcase("linear_f64", "linear", lambda x, w, b: F.linear(x, w, b), ["x", "w", "b"], x=r(3, 6).double(),
      w=r(4, 6).double(), b=r(4).double())
for name, sa, sb in [("mm", (3, 4), (4, 5)), ("bmm", (2, 3, 4), (4, 5)), ("broadcast", (2, 1, 3, 4), (5, 4, 6)),
                     ("vec_mat", (4,), (4, 5)), ("mat_vec", (3, 4), (4,)), ("dot", (4,), (4,))]:
    gcase("matmul_" + name, "matmul", lambda a, b: torch.matmul(a, b), ["a", "b"], a=r(*sa), b=r(*sb))
gcase("matmul_f64", "matmul", lambda a, b: torch.matmul(a, b), ["a", "b"], a=r(2, 3, 4).double(), b=r(4, 2).double())

# ---- arithmetic ----
for name, sa, sb in [("same", (2, 3, 4), (2, 3, 4)), ("row", (2, 3, 4), (3, 1)), ("lead", (4,), (2, 3, 4)),
                     ("both", (2, 1, 4), (1, 3, 1))]:
    a, b = r(*sa), r(*sb)
    gcase("add_" + name, "add", lambda a, b: a + b, ["a", "b"], a=a, b=b)
    gcase("sub_" + name, "sub", lambda a, b: a - b, ["a", "b"], a=a, b=b)
    gcase("mul_" + name, "mul", lambda a, b: a * b, ["a", "b"], a=a, b=b)
    gcase("div_" + name, "div", lambda a, b: a / b, ["a", "b"], a=a, b=b.abs() + 0.5)
    gcase("addrelu_" + name, "addRelu", lambda a, b: F.relu(a + b), ["a", "b"], a=a, b=b)
pos = torch.rand(3, 5) + 0.5
x = r(3, 5)
gcase("exp", "exp", lambda x: x.exp(), ["x"], x=x)
gcase("log", "log", lambda x: x.log(), ["x"], x=pos)
gcase("sqrt", "sqrt", lambda x: x.sqrt(), ["x"], x=pos)
gcase("abs", "abs", lambda x: x.abs(), ["x"], x=x)
gcase("neg", "neg", lambda x: -x, ["x"], x=x)
gcase("pow3", "pow", lambda x, **kw: x.pow(3), ["x"], x=x, exponent=3.0)
gcase("pow_half", "pow", lambda x, **kw: x.pow(0.5), ["x"], x=pos, exponent=0.5)
gcase("clamp", "clamp", lambda x, **kw: x.clamp(-0.5, 0.7), ["x"], x=x, min=-0.5, max=0.7)
gcase("scalar_ops", "scalarOps", lambda x: ((x + 2) * 3 - 1) / 4, ["x"], x=x)
x = r(2, 3, 4)
gcase("sum_all", "sum", lambda x, **kw: x.sum(), ["x"], x=x, dims="none", keepdim=False)
gcase("sum_dim1", "sum", lambda x, **kw: x.sum(1), ["x"], x=x, dims=(1,), keepdim=False)
gcase("sum_dims_keep", "sum", lambda x, **kw: x.sum((0, 2), keepdim=True), ["x"], x=x, dims=(0, 2), keepdim=True)
gcase("mean_all", "mean", lambda x, **kw: x.mean(), ["x"], x=x, dims="none", keepdim=False)
gcase("mean_dim_neg", "mean", lambda x, **kw: x.mean(-1), ["x"], x=x, dims=(-1,), keepdim=False)
a, b = r(2, 3, 4), r(2, 5, 4)
gcase("cat_dim1", "cat", lambda a, b, **kw: torch.cat([a, b], 1), ["a", "b"], a=a, b=b, dim=1)
gcase("cat_last_noncontig", "cat", lambda a, b, **kw: torch.cat([a, b], -1), ["a", "b"], a=T(r(2, 3, 4)), b=r(2, 3, 2),
      dim=-1)

# ---- views ----
x = r(2, 3, 4)
gcase("view", "view", lambda x, **kw: x.view(6, -1), ["x"], x=x, shape=(6, -1))
gcase("reshape_noncontig", "view", lambda x, **kw: x.reshape(4, -1), ["x"], x=T(x), shape=(4, -1))
gcase("permute", "permute", lambda x, **kw: x.permute(2, 0, 1), ["x"], x=x, order=(2, 0, 1))
gcase("transpose", "transpose", lambda x, **kw: x.transpose(0, 2), ["x"], x=x, d0=0, d1=2)
gcase("narrow", "narrow", lambda x, **kw: x.narrow(2, 1, 2), ["x"], x=x, dim=2, start=1, length=2)
gcase("select", "select", lambda x, **kw: x.select(1, -1), ["x"], x=x, dim=1, index=-1)
gcase("unsqueeze", "unsqueeze", lambda x, **kw: x.unsqueeze(1), ["x"], x=x, dim=1)
gcase("expand", "expand", lambda x, **kw: x.expand(5, 2, 3, 4), ["x"], x=r(2, 1, 4), shape=(5, 2, 3, 4))

# ---- losses ----
logits = r(6, 5)
labels = torch.tensor([0, 4, 2, 2, 1, 3])
ignored = torch.tensor([0, -100, 2, 4, -100, 3])
cw = torch.rand(5) + 0.2
for red in ("mean", "sum", "none"):
    gcase("ce_" + red, "crossEntropy", lambda x, t, w, **kw: F.cross_entropy(x, t, reduction=red), ["x"],
          x=logits, t=labels, w=None, ignore=-100, reduction=red, smoothing=0.0)
    gcase("ce_weight_ignore_" + red, "crossEntropy",
          lambda x, t, w, **kw: F.cross_entropy(x, t, w, ignore_index=-100, reduction=red), ["x"],
          x=logits, t=ignored, w=cw, ignore=-100, reduction=red, smoothing=0.0)
    gcase("ce_smooth_ignore_" + red, "crossEntropy",
          lambda x, t, w, **kw: F.cross_entropy(x, t, reduction=red, label_smoothing=0.15), ["x"],
          x=logits, t=ignored, w=None, ignore=-100, reduction=red, smoothing=0.15)
    gcase("ce_smooth_weight_" + red, "crossEntropy",
          lambda x, t, w, **kw: F.cross_entropy(x, t, w, reduction=red, label_smoothing=0.2), ["x"],
          x=logits, t=ignored, w=cw, ignore=-100, reduction=red, smoothing=0.2)
    probs = torch.softmax(r(6, 5), 1)
    gcase("ce_probs_" + red, "crossEntropy",
          lambda x, t, w, **kw: F.cross_entropy(x, t, w, reduction=red, label_smoothing=0.1), ["x", "t"],
          x=logits, t=probs, w=cw, ignore=-100, reduction=red, smoothing=0.1)
    gcase("nll_" + red, "nllLoss", lambda x, t, w, **kw: F.nll_loss(x, t, w, ignore_index=2, reduction=red), ["x"],
          x=F.log_softmax(logits, 1), t=labels, w=cw, ignore=2, reduction=red)
    a, b = r(3, 4), r(3, 4)
    gcase("mse_" + red, "mseLoss", lambda x, t, **kw: F.mse_loss(x, t, reduction=red), ["x", "t"], x=a, t=b,
          reduction=red)
    gcase("l1_" + red, "l1Loss", lambda x, t, **kw: F.l1_loss(x, t, reduction=red), ["x", "t"], x=a, t=b, reduction=red)
    gcase("smoothl1_" + red, "smoothL1Loss", lambda x, t, **kw: F.smooth_l1_loss(x, t, reduction=red, beta=0.6),
          ["x", "t"], x=a * 2, t=b, reduction=red, beta=0.6)
    gcase("bce_logits_" + red, "bceWithLogits",
          lambda x, t, w, pw, **kw: F.binary_cross_entropy_with_logits(x, t, w, reduction=red, pos_weight=pw),
          ["x", "t"], x=a * 3, t=torch.rand(3, 4), w=torch.rand(3, 4), pw=torch.rand(4) * 2, reduction=red)
gcase("bce_logits_plain", "bceWithLogits", lambda x, t, w, pw, **kw: F.binary_cross_entropy_with_logits(x, t), ["x", "t"],
      x=r(5) * 4, t=torch.rand(5), w=None, pw=None, reduction="mean")
gcase("ce_spatial", "crossEntropy", lambda x, t, w, **kw: F.cross_entropy(x, t, w, ignore_index=1), ["x"],
      x=r(2, 4, 3, 3), t=torch.randint(0, 4, (2, 3, 3)), w=torch.rand(4), ignore=1, reduction="mean", smoothing=0.0)
gcase("ce_unbatched", "crossEntropy", lambda x, t, w, **kw: F.cross_entropy(x, t), ["x"],
      x=r(7), t=torch.tensor(3), w=None, ignore=-100, reduction="mean", smoothing=0.0)
gcase("smoothl1_beta0", "smoothL1Loss", lambda x, t, **kw: F.smooth_l1_loss(x, t, beta=0.0), ["x"], x=r(6), t=r(6),
      reduction="mean", beta=0.0)

cases.write()
