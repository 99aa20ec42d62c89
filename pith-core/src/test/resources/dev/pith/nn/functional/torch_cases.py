"""Writes inputs and PyTorch's outputs for FunctionalVsTorchTest.

Usage: python3 torch_cases.py OUT_DIR

OUT_DIR/cases.txt gets one line per case: `name op key=value ...`. A tensor value is
`@file:dtype:shape[:T]` (raw little-endian data; `T` means the file holds the tensor with its last two
dimensions swapped, so the Java side builds a non-contiguous view by transposing it back). Lists are
comma separated, booleans true/false, `none` is null. Every case has an `expected` tensor; batch
norm in training also has `expected_rm` and `expected_rv` (the updated running statistics).
"""
import os
import sys

import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from case_file import CaseFile, T  # noqa: E402

torch.manual_seed(0)
cases = CaseFile(sys.argv[1], "t")
lines = cases.lines
fmt = cases.fmt


def case(name, op, expected, **params):
    parts = [name, op] + ["%s=%s" % (k, fmt(v)) for k, v in params.items()]
    if isinstance(expected, dict):
        parts += ["%s=%s" % (k, fmt(v)) for k, v in expected.items()]
    else:
        parts.append("expected=" + fmt(expected))
    lines.append(" ".join(parts))


r = torch.randn

# ---- convolution ----
conv_cases = [
    # name, input shape, out channels, kernel, stride, padding, dilation, groups, bias
    ("conv_basic", (2, 3, 7, 9), 4, (3, 3), (1, 1), (1, 1), (1, 1), 1, True),
    ("conv_stride2_odd", (1, 5, 11, 13), 6, (3, 3), (2, 2), (1, 1), (1, 1), 1, True),
    ("conv_dilation2", (2, 4, 10, 10), 5, (3, 3), (1, 1), (2, 2), (2, 2), 1, True),
    ("conv_groups2", (2, 4, 8, 8), 6, (3, 3), (1, 1), (1, 1), (1, 1), 2, True),
    ("conv_depthwise", (2, 8, 9, 9), 8, (3, 3), (1, 1), (1, 1), (1, 1), 8, True),
    ("conv_depthwise_s2", (2, 8, 10, 11), 8, (3, 3), (2, 2), (1, 1), (1, 1), 8, False),
    ("conv_depthwise_mult2", (1, 4, 7, 7), 8, (5, 5), (1, 1), (2, 2), (1, 1), 4, True),
    ("conv_depthwise_dil", (1, 6, 12, 12), 6, (3, 3), (1, 1), (2, 2), (2, 2), 6, True),
    ("conv_1x1", (2, 16, 7, 7), 32, (1, 1), (1, 1), (0, 0), (1, 1), 1, False),
    ("conv_1x1_s2", (2, 16, 8, 8), 24, (1, 1), (2, 2), (0, 0), (1, 1), 1, True),
    ("conv_stem7x7", (1, 3, 32, 32), 8, (7, 7), (2, 2), (3, 3), (1, 1), 1, False),
    ("conv_rect", (2, 3, 9, 12), 5, (3, 5), (2, 1), (1, 2), (1, 1), 1, True),
    ("conv_no_pad_5x5", (3, 3, 32, 32), 6, (5, 5), (1, 1), (0, 0), (1, 1), 1, True),
    ("conv_big_parallel", (2, 32, 20, 20), 64, (3, 3), (1, 1), (1, 1), (1, 1), 1, True),
    ("conv_deep_k", (2, 96, 6, 6), 40, (3, 3), (1, 1), (1, 1), (1, 1), 1, True),
    ("conv_groups4_s2", (2, 8, 9, 9), 12, (3, 3), (2, 2), (1, 1), (1, 1), 4, True),
]
for name, shape, o, k, s, p, d, g, has_bias in conv_cases:
    x = r(*shape)
    w = r(o, shape[1] // g, *k) * 0.3
    b = r(o) if has_bias else None
    case(name, "conv2d", F.conv2d(x, w, b, s, p, d, g), x=x, w=w, b=b, stride=s, padding=p, dilation=d, groups=g)
x = r(2, 3, 8, 10); w = r(4, 3, 3, 3); b = r(4)
case("conv_noncontig", "conv2d", F.conv2d(x, w, b, 1, 1), x=T(x), w=w, b=b, stride=(1, 1), padding=(1, 1), dilation=(1, 1), groups=1)
x = r(3, 8, 8); w = r(4, 3, 3, 3); b = r(4)
case("conv_unbatched", "conv2d", F.conv2d(x, w, b, 1, 1), x=x, w=w, b=b, stride=(1, 1), padding=(1, 1), dilation=(1, 1), groups=1)
x = r(2, 6, 9, 9); w = r(10, 6, 3, 3); b = r(10)
case("conv_relu_fused", "conv2dRelu", F.relu(F.conv2d(x, w, b, 2, 1)), x=x, w=w, b=b, stride=(2, 2), padding=(1, 1), dilation=(1, 1), groups=1)

# eval-mode conv + batch norm (+ relu) fused
for name, shape, o, k, s, p, g, has_bias, relu in [
    ("conv_bn_relu", (2, 8, 9, 9), 16, 3, 1, 1, 1, False, True),
    ("conv_bn_bias_s2", (2, 6, 10, 10), 12, 3, 2, 1, 1, True, False),
    ("conv_bn_depthwise_relu", (2, 8, 9, 9), 8, 3, 1, 1, 8, False, True),
]:
    x = r(*shape)
    w = r(o, shape[1] // g, k, k) * 0.3
    b = r(o) if has_bias else None
    rm, rv, bw, bb = r(o) * 0.1, torch.rand(o) + 0.5, r(o), r(o)
    y = F.batch_norm(F.conv2d(x, w, b, s, p, 1, g), rm, rv, bw, bb, False, 0.1, 1e-5)
    case(name, "conv2dBatchNorm", F.relu(y) if relu else y, x=x, w=w, b=b, stride=(s, s), padding=(p, p),
         dilation=(1, 1), groups=g, rm=rm, rv=rv, bw=bw, bb=bb, eps=1e-5, relu=relu)

x = r(2, 4, 20); w = r(6, 4, 3); b = r(6)
case("conv1d_basic", "conv1d", F.conv1d(x, w, b, 2, 1, 1, 1), x=x, w=w, b=b, stride=2, padding=1, dilation=1, groups=1)
x = r(1, 4, 17); w = r(4, 2, 5); b = None
case("conv1d_groups_dil", "conv1d", F.conv1d(x, w, b, 1, 2, 2, 2), x=x, w=w, b=b, stride=1, padding=2, dilation=2, groups=2)

for name, shape, wshape, s, p, op, g, d in [
    ("convT_s2", (2, 4, 5, 5), (4, 3, 3, 3), (2, 2), (1, 1), (1, 1), 1, (1, 1)),
    ("convT_groups", (1, 4, 6, 5), (4, 2, 3, 2), (1, 2), (0, 1), (0, 1), 2, (1, 1)),
    ("convT_dilation", (2, 3, 4, 4), (3, 2, 3, 3), (1, 1), (1, 1), (0, 0), 1, (2, 2)),
]:
    x = r(*shape); w = r(*wshape); b = r(wshape[1] * g)
    case(name, "convTranspose2d", F.conv_transpose2d(x, w, b, s, p, op, g, d), x=x, w=w, b=b, stride=s, padding=p,
         output_padding=op, groups=g, dilation=d)

# ---- pooling ----
for name, shape, k, s, p, d, ceil in [
    ("maxpool_k3s2p1", (2, 3, 9, 9), (3, 3), (2, 2), (1, 1), (1, 1), False),
    ("maxpool_resnet", (1, 4, 112, 112), (3, 3), (2, 2), (1, 1), (1, 1), False),
    ("maxpool_k2", (2, 6, 28, 28), (2, 2), (2, 2), (0, 0), (1, 1), False),
    ("maxpool_ceil", (1, 2, 10, 10), (3, 3), (2, 2), (0, 0), (1, 1), True),
    ("maxpool_ceil_pad_rule", (1, 2, 6, 7), (2, 2), (2, 2), (1, 1), (1, 1), True),
    ("maxpool_ceil_odd", (1, 3, 5, 5), (2, 2), (2, 2), (0, 0), (1, 1), True),
    ("maxpool_dilation", (2, 2, 11, 11), (3, 3), (1, 2), (1, 1), (2, 2), False),
    ("maxpool_rect", (1, 2, 7, 9), (2, 3), (1, 2), (1, 1), (1, 1), True),
]:
    x = r(*shape)
    case(name, "maxPool2d", F.max_pool2d(x, k, s, p, d, ceil), x=x, kernel=k, stride=s, padding=p, dilation=d, ceil_mode=ceil)
x = r(2, 3, 8, 9)
case("maxpool_noncontig", "maxPool2d", F.max_pool2d(x, 2, 2), x=T(x), kernel=(2, 2), stride=(2, 2), padding=(0, 0), dilation=(1, 1), ceil_mode=False)
x = r(3, 9, 9)
case("maxpool_unbatched_default_stride", "maxPool2d", F.max_pool2d(x, 3), x=x, kernel=(3, 3), stride="none", padding=(0, 0), dilation=(1, 1), ceil_mode=False)

for name, shape, k, s, p, ceil, cip in [
    ("avgpool_k3s2p1_incl", (2, 3, 9, 9), (3, 3), (2, 2), (1, 1), False, True),
    ("avgpool_k3s2p1_excl", (2, 3, 9, 9), (3, 3), (2, 2), (1, 1), False, False),
    ("avgpool_ceil_incl", (1, 2, 10, 11), (3, 3), (2, 2), (1, 1), True, True),
    ("avgpool_ceil_excl", (1, 2, 10, 11), (3, 3), (2, 2), (1, 1), True, False),
    ("avgpool_ceil_nopad", (1, 2, 7, 7), (2, 2), (2, 2), (0, 0), True, True),
    ("avgpool_k2", (2, 4, 8, 8), (2, 2), (2, 2), (0, 0), False, True),
    ("avgpool_rect", (1, 2, 9, 8), (3, 2), (1, 2), (1, 1), False, False),
]:
    x = r(*shape)
    case(name, "avgPool2d", F.avg_pool2d(x, k, s, p, ceil, cip), x=x, kernel=k, stride=s, padding=p, ceil_mode=ceil, count_include_pad=cip)

for name, shape, out in [
    ("adaptive_global", (2, 3, 7, 7), (1, 1)),
    ("adaptive_3x4", (1, 2, 10, 9), (3, 4)),
    ("adaptive_up", (1, 2, 5, 5), (7, 7)),
    ("adaptive_odd", (2, 3, 13, 11), (5, 3)),
    ("adaptive_unbatched", (3, 6, 6), (2, 2)),
]:
    x = r(*shape)
    case(name + "_avg", "adaptiveAvgPool2d", F.adaptive_avg_pool2d(x, out), x=x, out=out)
    case(name + "_max", "adaptiveMaxPool2d", F.adaptive_max_pool2d(x, out), x=x, out=out)

# ---- activations ----
x = r(3, 17) * 4
x[0, 0] = 0.0
x[0, 1] = -3.0
x[0, 2] = 3.0
x[0, 3] = 6.5
acts = {"relu": F.relu, "relu6": F.relu6, "silu": F.silu, "sigmoid": torch.sigmoid, "tanh": torch.tanh,
        "hardswish": F.hardswish}
for n, f in acts.items():
    case("act_" + n, n, f(x), x=x)
    case("act_" + n + "_noncontig", n, f(x), x=T(x))
case("act_leaky", "leakyRelu", F.leaky_relu(x, 0.1), x=x, slope=0.1)
case("act_gelu_erf", "gelu", F.gelu(x), x=x, approximate="none")
case("act_gelu_tanh", "gelu", F.gelu(x, approximate="tanh"), x=x, approximate="tanh")
xd = x.double()
case("act_gelu_erf_f64", "gelu", F.gelu(xd), x=xd, approximate="none")
case("act_silu_f64", "silu", F.silu(xd), x=xd)

x = r(4, 5, 6)
for dim in (0, 1, -1):
    case("softmax_dim%d" % dim, "softmax", F.softmax(x, dim), x=x, dim=dim)
    case("logsoftmax_dim%d" % dim, "logSoftmax", F.log_softmax(x, dim), x=x, dim=dim)
xl = r(3, 10) * 100
case("softmax_large", "softmax", F.softmax(xl, 1), x=xl, dim=1)
case("logsoftmax_large", "logSoftmax", F.log_softmax(xl, 1), x=xl, dim=1)
case("softmax_f64", "softmax", F.softmax(xl.double(), 0), x=xl.double(), dim=0)

# ---- normalisation ----
for name, shape in [("bn4d", (2, 5, 4, 4)), ("bn2d", (8, 5)), ("bn3d", (3, 5, 7))]:
    x = r(*shape) * 2 + 1
    rm = r(5) * 0.1
    rv = torch.rand(5) + 0.5
    w = r(5)
    b = r(5)
    case(name + "_eval", "batchNorm", F.batch_norm(x, rm, rv, w, b, False, 0.1, 1e-5), x=x, rm=rm, rv=rv, w=w, b=b,
         training=False, momentum=0.1, eps=1e-5)
    rm2, rv2 = rm.clone(), rv.clone()
    y = F.batch_norm(x, rm2, rv2, w, b, True, 0.1, 1e-5)
    case(name + "_train", "batchNorm", {"expected": y, "expected_rm": rm2, "expected_rv": rv2}, x=x, rm=rm, rv=rv, w=w,
         b=b, training=True, momentum=0.1, eps=1e-5)
x = r(4, 3, 5, 5)
case("bn_train_no_running", "batchNorm", F.batch_norm(x, None, None, None, None, True, 0.1, 1e-3), x=x, rm=None, rv=None,
     w=None, b=None, training=True, momentum=0.1, eps=1e-3)
rm, rv, w, b = r(3), torch.rand(3) + 0.2, r(3), r(3)
case("bn_relu_fused_eval", "batchNormRelu", F.relu(F.batch_norm(x, rm, rv, w, b, False, 0.1, 1e-5)), x=T(x), rm=rm, rv=rv,
     w=w, b=b, training=False, momentum=0.1, eps=1e-5)

x = r(2, 3, 8) * 3 + 2
w, b = r(8), r(8)
case("layernorm_last", "layerNorm", F.layer_norm(x, (8,), w, b, 1e-5), x=x, shape=(8,), w=w, b=b, eps=1e-5)
w2, b2 = r(3, 8), r(3, 8)
case("layernorm_two", "layerNorm", F.layer_norm(x, (3, 8), w2, b2, 1e-5), x=x, shape=(3, 8), w=w2, b=b2, eps=1e-5)
case("layernorm_noaffine", "layerNorm", F.layer_norm(x, (8,), None, None, 1e-6), x=x, shape=(8,), w=None, b=None, eps=1e-6)
x = r(2, 6, 4, 4) * 2
w, b = r(6), r(6)
case("groupnorm", "groupNorm", F.group_norm(x, 3, w, b, 1e-5), x=x, groups=3, w=w, b=b, eps=1e-5)
case("groupnorm_noaffine", "groupNorm", F.group_norm(x, 2, None, None, 1e-5), x=x, groups=2, w=None, b=None, eps=1e-5)

# ---- shape and lookup ----
wt = r(10, 4)
idx = torch.tensor([[1, 0, 9], [3, 3, 7]])
case("embedding", "embedding", F.embedding(idx, wt), idx=idx, w=wt)
x = r(2, 3, 4, 5)
case("flatten_1", "flatten", torch.flatten(x, 1), x=x, start=1, end=-1)
case("flatten_mid_noncontig", "flatten", torch.flatten(x, 1, 2), x=T(x), start=1, end=2)
case("pad_pos", "pad2d", F.pad(x, (1, 2, 0, 3)), x=x, padding=(1, 2, 0, 3))
case("pad_neg", "pad2d", F.pad(x, (-1, 1, 2, -1)), x=x, padding=(-1, 1, 2, -1))
x = r(1, 2, 5, 7)
for out in [(9, 12), (10, 14), (3, 4), (5, 7), (11, 5)]:
    tag = "%dx%d" % out
    case("nearest_" + tag, "interpolateNearest", F.interpolate(x, size=out, mode="nearest"), x=x, size=out)
    for ac in (False, True):
        case("bilinear_%s_ac%d" % (tag, ac), "interpolateBilinear",
             F.interpolate(x, size=out, mode="bilinear", align_corners=ac), x=x, size=out, align_corners=ac)

# ---- linear algebra and arithmetic ----
x, w, b = r(4, 7), r(5, 7), r(5)
case("linear_2d", "linear", F.linear(x, w, b), x=x, w=w, b=b)
x3 = r(2, 3, 7)
case("linear_3d_nobias", "linear", F.linear(x3, w), x=x3, w=w, b=None)
xs, wt = r(3, 7), r(5, 7)
case("linear_weight_noncontig", "linear", F.linear(xs, wt), x=xs, w=T(wt), b=None)
x, w, b = r(8, 400), r(120, 400), r(120)
case("linear_cifar_fc1", "linear", F.linear(x, w, b), x=x, w=w, b=b)
xd, wd, bd = r(3, 6).double(), r(4, 6).double(), r(4).double()
case("linear_f64", "linear", F.linear(xd, wd, bd), x=xd, w=wd, b=bd)
for name, sa, sb in [("mm", (3, 4), (4, 5)), ("bmm", (2, 3, 4), (4, 5)), ("broadcast", (2, 1, 3, 4), (5, 4, 6)),
                     ("vec_mat", (4,), (4, 5)), ("mat_vec", (3, 4), (4,)), ("dot", (4,), (4,)),
                     ("big", (70, 300), (300, 90))]:
    a, bb = r(*sa), r(*sb)
    case("matmul_" + name, "matmul", torch.matmul(a, bb), a=a, b=bb)
a = r(3, 5)  # stored transposed: Java sees a non-contiguous [3, 5] view
bb = r(5, 6)
case("matmul_noncontig", "matmul", torch.matmul(a, bb), a=T(a), b=bb)
a, bb = r(2, 3, 4).double(), r(4, 2).double()
case("matmul_f64", "matmul", torch.matmul(a, bb), a=a, b=bb)
for name, sa, sb in [("same", (2, 3, 4), (2, 3, 4)), ("row", (2, 3, 4), (3, 1)), ("lead", (4,), (2, 3, 4)),
                     ("both", (2, 1, 4), (1, 3, 1))]:
    a, bb = r(*sa), r(*sb)
    case("add_" + name, "add", a + bb, a=a, b=bb)
    case("mul_" + name, "mul", a * bb, a=a, b=bb)
    case("addrelu_" + name, "addRelu", F.relu(a + bb), a=a, b=bb)
a, bb = r(2, 3, 4), r(2, 5, 4)
case("cat_dim1", "cat", torch.cat([a, bb], 1), a=a, b=bb, dim=1)
a, bb = r(2, 3, 4), r(1, 3, 4)
case("cat_dim0", "cat", torch.cat([a, bb], 0), a=a, b=bb, dim=0)
a, bb = r(2, 3, 4), r(2, 3, 2)
case("cat_last_noncontig", "cat", torch.cat([a, bb], -1), a=T(a), b=bb, dim=-1)

cases.write()
