package dev.pith.modelfile;

import dev.pith.io.pickle.PyGlobal;
import dev.pith.io.pickle.PyTuple;
import dev.pith.models.BasicBlock;
import dev.pith.models.Bottleneck;
import dev.pith.models.Conv2dNormActivation;
import dev.pith.models.InvertedResidual;
import dev.pith.models.MobileNetV2;
import dev.pith.models.ResNet;
import dev.pith.models.VGG;
import dev.pith.nn.AdaptiveAvgPool2d;
import dev.pith.nn.BCEWithLogitsLoss;
import dev.pith.nn.CrossEntropyLoss;
import dev.pith.nn.L1Loss;
import dev.pith.nn.Loss;
import dev.pith.nn.MSELoss;
import dev.pith.nn.NLLLoss;
import dev.pith.nn.SmoothL1Loss;
import dev.pith.nn.functional.Reduction;
import dev.pith.tensor.Tensor;
import dev.pith.nn.AdaptiveMaxPool2d;
import dev.pith.nn.AvgPool2d;
import dev.pith.nn.BatchNorm;
import dev.pith.nn.BatchNorm1d;
import dev.pith.nn.BatchNorm2d;
import dev.pith.nn.Conv1d;
import dev.pith.nn.Conv2d;
import dev.pith.nn.ConvNd;
import dev.pith.nn.ConvTranspose2d;
import dev.pith.nn.Dropout;
import dev.pith.nn.Dropout2d;
import dev.pith.nn.Embedding;
import dev.pith.nn.Flatten;
import dev.pith.nn.GELU;
import dev.pith.nn.Hardswish;
import dev.pith.nn.Identity;
import dev.pith.nn.LeakyReLU;
import dev.pith.nn.GroupNorm;
import dev.pith.nn.LayerNorm;
import dev.pith.nn.Linear;
import dev.pith.nn.LogSoftmax;
import dev.pith.nn.MaxPool2d;
import dev.pith.nn.Module;
import dev.pith.nn.ModuleDict;
import dev.pith.nn.ModuleList;
import dev.pith.nn.ReLU;
import dev.pith.nn.ReLU6;
import dev.pith.nn.Sequential;
import dev.pith.nn.SiLU;
import dev.pith.nn.Sigmoid;
import dev.pith.nn.Softmax;
import dev.pith.nn.Tanh;
import dev.pith.nn.Upsample;
import dev.pith.nn.ZeroPad2d;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SequencedMap;

/**
 * The module classes Pith maps by itself: the torch.nn layers it implements (as
 * {@code torch.nn.modules.<file>.<Class>}) and the torchvision 0.14 models of
 * {@link dev.pith.models}. For each, the hyper-parameters read from and written to a pickled
 * module's {@code __dict__} are the ones PyTorch's {@code __init__} sets (checked against torch 1.13
 * by pickling its modules).
 *
 * <p>torchvision models are rebuilt from their pickled children (not re-derived from a
 * configuration), so a model whose head was replaced before saving loads as saved.
 */
final class ModuleClasses {
    private static final String NN = "torch.nn.modules.";
    private static final PyGlobal BATCH_NORM_2D = new PyGlobal(NN + "batchnorm", "BatchNorm2d");
    private static final Map<PyGlobal, ModuleClass> BY_PYTHON = new LinkedHashMap<>();
    private static final Map<Class<?>, ModuleClass> BY_JAVA = new LinkedHashMap<>();

    static {
        // torch.nn
        nn("conv", "Conv1d", Conv1d.class, (a, c) -> conv(a, 1, false, (in, out, k) -> Conv1d.builder(in, out, k[0])),
                (m, d) -> conv((ConvNd) m, false, d));
        nn("conv", "Conv2d", Conv2d.class, (a, c) -> conv(a, 2, false, Conv2d::builder),
                (m, d) -> conv((ConvNd) m, false, d));
        nn("conv", "ConvTranspose2d", ConvTranspose2d.class, (a, c) -> conv(a, 2, true, ConvTranspose2d::builder),
                (m, d) -> conv((ConvNd) m, true, d));
        nn("linear", "Linear", Linear.class,
                (a, c) -> new Linear(a.integer("in_features"), a.integer("out_features"), a.hasParameter("bias")),
                (m, d) -> {
                    d.put("in_features", (long) ((Linear) m).inFeatures());
                    d.put("out_features", (long) ((Linear) m).outFeatures());
                });
        nn("linear", "Identity", Identity.class, (a, c) -> new Identity(), (m, d) -> { });
        add(NN + "batchnorm", "BatchNorm2d", BatchNorm2d.class, 2, List.of(),
                (a, c) -> batchNorm(BatchNorm2d.builder(a.integer("num_features")), a), ModuleClasses::batchNorm);
        add(NN + "batchnorm", "BatchNorm1d", BatchNorm1d.class, 2, List.of(),
                (a, c) -> batchNorm(BatchNorm1d.builder(a.integer("num_features")), a), ModuleClasses::batchNorm);
        nn("activation", "ReLU", ReLU.class, (a, c) -> new ReLU(a.bool("inplace")),
                (m, d) -> d.put("inplace", ((ReLU) m).inplace()));
        nn("activation", "ReLU6", ReLU6.class, (a, c) -> {
            a.require("min_val", 0.0, "ReLU6 clamps to [0, 6]");
            a.require("max_val", 6.0, "ReLU6 clamps to [0, 6]");
            return new ReLU6(a.bool("inplace"));
        }, (m, d) -> {
            d.put("min_val", 0.0);
            d.put("max_val", 6.0);
            d.put("inplace", ((ReLU6) m).inplace());
        });
        nn("activation", "LeakyReLU", LeakyReLU.class,
                (a, c) -> new LeakyReLU(a.real("negative_slope"), a.bool("inplace")), (m, d) -> {
                    d.put("negative_slope", ((LeakyReLU) m).negativeSlope());
                    d.put("inplace", ((LeakyReLU) m).inplace());
                });
        nn("activation", "SiLU", SiLU.class, (a, c) -> new SiLU(a.bool("inplace")),
                (m, d) -> d.put("inplace", ((SiLU) m).inplace()));
        nn("activation", "GELU", GELU.class, (a, c) -> new GELU(a.has("approximate") ? a.string("approximate") : "none"),
                (m, d) -> d.put("approximate", ((GELU) m).approximate()));
        nn("activation", "Hardswish", Hardswish.class, (a, c) -> new Hardswish(a.bool("inplace")),
                (m, d) -> d.put("inplace", false));
        nn("padding", "ZeroPad2d", ZeroPad2d.class, (a, c) -> {
            a.require("value", 0.0, "a ZeroPad2d pads with zeros");
            int[] p = a.ints("padding", 4);
            return new ZeroPad2d(p[0], p[1], p[2], p[3]);
        }, (m, d) -> {
            d.put("value", 0.0);
            d.put("padding", tuple(((ZeroPad2d) m).padding()));
        });
        nn("activation", "Sigmoid", Sigmoid.class, (a, c) -> new Sigmoid(), (m, d) -> { });
        nn("activation", "Tanh", Tanh.class, (a, c) -> new Tanh(), (m, d) -> { });
        nn("activation", "Softmax", Softmax.class, (a, c) -> {
            Integer dim = a.has("dim") ? a.optInteger("dim") : null;
            return dim == null ? new Softmax() : new Softmax(dim);
        }, (m, d) -> d.put("dim", dimOf(((Softmax) m).dim())));
        nn("activation", "LogSoftmax", LogSoftmax.class, (a, c) -> {
            Integer dim = a.has("dim") ? a.optInteger("dim") : null;
            return dim == null ? new LogSoftmax() : new LogSoftmax(dim);
        }, (m, d) -> d.put("dim", dimOf(((LogSoftmax) m).dim())));
        nn("pooling", "MaxPool2d", MaxPool2d.class, ModuleClasses::maxPool2d, (m, d) -> maxPool2d((MaxPool2d) m, d));
        nn("pooling", "AvgPool2d", AvgPool2d.class, ModuleClasses::avgPool2d, (m, d) -> avgPool2d((AvgPool2d) m, d));
        nn("pooling", "AdaptiveAvgPool2d", AdaptiveAvgPool2d.class, (a, c) -> {
            Integer[] size = outputSize(a);
            return size.length == 1 ? new AdaptiveAvgPool2d(size[0]) : new AdaptiveAvgPool2d(size[0], size[1]);
        }, (m, d) -> {
            AdaptiveAvgPool2d p = (AdaptiveAvgPool2d) m;
            d.put("output_size", outputSize(p.scalarOutputSize(), p.outH(), p.outW()));
        });
        nn("pooling", "AdaptiveMaxPool2d", AdaptiveMaxPool2d.class, (a, c) -> {
            a.require("return_indices", false, "Pith's pooling returns no indices");
            Integer[] size = outputSize(a);
            return size.length == 1 ? new AdaptiveMaxPool2d(size[0]) : new AdaptiveMaxPool2d(size[0], size[1]);
        }, (m, d) -> {
            AdaptiveMaxPool2d p = (AdaptiveMaxPool2d) m;
            d.put("output_size", outputSize(p.scalarOutputSize(), p.outH(), p.outW()));
            d.put("return_indices", false);
        });
        nn("dropout", "Dropout", Dropout.class, (a, c) -> new Dropout(a.real("p"), a.bool("inplace")), (m, d) -> {
            d.put("p", ((Dropout) m).p());
            d.put("inplace", ((Dropout) m).inplace());
        });
        nn("dropout", "Dropout2d", Dropout2d.class, (a, c) -> new Dropout2d(a.real("p"), a.bool("inplace")), (m, d) -> {
            d.put("p", ((Dropout2d) m).p());
            d.put("inplace", ((Dropout2d) m).inplace());
        });
        nn("flatten", "Flatten", Flatten.class, (a, c) -> new Flatten(a.integer("start_dim"), a.integer("end_dim")),
                (m, d) -> {
                    d.put("start_dim", (long) ((Flatten) m).startDim());
                    d.put("end_dim", (long) ((Flatten) m).endDim());
                });
        nn("normalization", "LayerNorm", LayerNorm.class, (a, c) -> new LayerNorm(
                Arrays.stream(a.asGiven("normalized_shape")).asLongStream().toArray(), a.real("eps"),
                a.bool("elementwise_affine")), (m, d) -> {
                    LayerNorm n = (LayerNorm) m;
                    List<Object> shape = new ArrayList<>();
                    Arrays.stream(n.normalizedShape()).forEach(shape::add);
                    d.put("normalized_shape", new PyTuple(shape));
                    d.put("eps", n.eps());
                    d.put("elementwise_affine", n.elementwiseAffine());
                });
        nn("normalization", "GroupNorm", GroupNorm.class, (a, c) -> new GroupNorm(a.integer("num_groups"),
                a.integer("num_channels"), a.real("eps"), a.bool("affine")), (m, d) -> {
                    GroupNorm n = (GroupNorm) m;
                    d.put("num_groups", (long) n.numGroups());
                    d.put("num_channels", (long) n.numChannels());
                    d.put("eps", n.eps());
                    d.put("affine", n.affine());
                });
        nn("sparse", "Embedding", Embedding.class, (a, c) -> {
            a.require("max_norm", null, "Pith's Embedding does not renormalize rows");
            a.require("scale_grad_by_freq", false, "Pith's Embedding does not scale gradients by frequency");
            a.require("sparse", false, "Pith has no sparse gradients");
            return new Embedding(a.integer("num_embeddings"), a.integer("embedding_dim"), a.optInteger("padding_idx"));
        }, (m, d) -> {
            Embedding e = (Embedding) m;
            d.put("num_embeddings", (long) e.numEmbeddings());
            d.put("embedding_dim", (long) e.embeddingDim());
            d.put("padding_idx", e.paddingIdx() == null ? null : (Object) (long) e.paddingIdx());
            d.put("max_norm", null);
            d.put("norm_type", 2.0);
            d.put("scale_grad_by_freq", false);
            d.put("sparse", false);
        });
        nn("upsampling", "Upsample", Upsample.class, ModuleClasses::upsample, (m, d) -> upsample((Upsample) m, d));
        nn("loss", "CrossEntropyLoss", CrossEntropyLoss.class, (a, c) -> new CrossEntropyLoss(bufferLike(a, "weight"),
                a.integer("ignore_index"), reduction(a), a.real("label_smoothing")), (m, d) -> {
                    CrossEntropyLoss l = (CrossEntropyLoss) m;
                    reduction(m, d);
                    d.put("ignore_index", l.ignoreIndex());
                    d.put("label_smoothing", l.labelSmoothing());
                });
        nn("loss", "NLLLoss", NLLLoss.class,
                (a, c) -> new NLLLoss(bufferLike(a, "weight"), a.integer("ignore_index"), reduction(a)), (m, d) -> {
                    reduction(m, d);
                    d.put("ignore_index", ((NLLLoss) m).ignoreIndex());
                });
        nn("loss", "MSELoss", MSELoss.class, (a, c) -> new MSELoss(reduction(a)), ModuleClasses::reduction);
        nn("loss", "L1Loss", L1Loss.class, (a, c) -> new L1Loss(reduction(a)), ModuleClasses::reduction);
        nn("loss", "SmoothL1Loss", SmoothL1Loss.class, (a, c) -> new SmoothL1Loss(reduction(a), a.real("beta")),
                (m, d) -> {
                    reduction(m, d);
                    d.put("beta", ((SmoothL1Loss) m).beta());
                });
        nn("loss", "BCEWithLogitsLoss", BCEWithLogitsLoss.class, (a, c) -> new BCEWithLogitsLoss(
                bufferLike(a, "weight"), reduction(a), bufferLike(a, "pos_weight")), ModuleClasses::reduction);
        nn("container", "Sequential", Sequential.class, (a, c) -> new Sequential(c), (m, d) -> { });
        nn("container", "ModuleList", ModuleList.class, (a, c) -> {
            List<String> expected = new ArrayList<>();
            for (int i = 0; i < c.size(); i++) {
                expected.add(Integer.toString(i));
            }
            if (!expected.equals(new ArrayList<>(c.keySet()))) {
                throw a.error("a ModuleList's children must be named 0, 1, ...; found " + c.keySet());
            }
            return new ModuleList(c.values());
        }, (m, d) -> { });
        nn("container", "ModuleDict", ModuleDict.class, (a, c) -> new ModuleDict(c), (m, d) -> { });

        // torchvision 0.14
        add("torchvision.models.resnet", "ResNet", ResNet.class, 1,
                List.of("conv1", "bn1", "relu", "maxpool", "layer1", "layer2", "layer3", "layer4", "avgpool", "fc"),
                (a, c) -> ResNet.assemble(c, a.integer("inplanes"), a.integer("dilation"), a.integer("groups"),
                        a.integer("base_width")),
                (m, d) -> {
                    ResNet r = (ResNet) m;
                    d.put("_norm_layer", BATCH_NORM_2D);
                    d.put("inplanes", (long) r.inplanes());
                    d.put("dilation", (long) r.dilation());
                    d.put("groups", (long) r.groups());
                    d.put("base_width", (long) r.baseWidth());
                });
        add("torchvision.models.resnet", "BasicBlock", BasicBlock.class, 1,
                List.of("conv1", "bn1", "relu", "conv2", "bn2"),
                (a, c) -> BasicBlock.assemble(c), (m, d) -> block(m, "conv1", d));
        add("torchvision.models.resnet", "Bottleneck", Bottleneck.class, 1,
                List.of("conv1", "bn1", "conv2", "bn2", "conv3", "bn3", "relu"),
                (a, c) -> Bottleneck.assemble(c), (m, d) -> block(m, "conv2", d));
        add("torchvision.models.vgg", "VGG", VGG.class, 1, List.of("features", "avgpool", "classifier"),
                (a, c) -> VGG.assemble(c), (m, d) -> { });
        add("torchvision.models.mobilenetv2", "MobileNetV2", MobileNetV2.class, 1, List.of("features", "classifier"),
                (a, c) -> MobileNetV2.assemble(c, a.integer("last_channel")),
                (m, d) -> d.put("last_channel", (long) ((MobileNetV2) m).lastChannel()));
        add("torchvision.models.mobilenetv2", "InvertedResidual", InvertedResidual.class, 1, List.of("conv"),
                (a, c) -> InvertedResidual.assemble(c, a.integer("stride"), a.integer("out_channels"),
                        a.bool("use_res_connect")),
                (m, d) -> {
                    InvertedResidual b = (InvertedResidual) m;
                    d.put("stride", (long) b.stride());
                    d.put("use_res_connect", b.useResConnect());
                    d.put("out_channels", (long) b.outChannels());
                    d.put("_is_cn", b.stride() > 1);
                });
        add("torchvision.ops.misc", "Conv2dNormActivation", Conv2dNormActivation.class, 1, List.of("0"),
                (a, c) -> {
                    if (!(c.get("0") instanceof Conv2d)) {
                        throw a.error("child 0 of a Conv2dNormActivation must be a Conv2d");
                    }
                    return Conv2dNormActivation.assemble(c);
                },
                (m, d) -> d.put("out_channels", (long) ((Conv2dNormActivation) m).outChannels()));
    }

    private ModuleClasses() {
    }

    /** The mapping of a Python class, if Pith knows it. */
    static Optional<ModuleClass> forPython(PyGlobal python) {
        return Optional.ofNullable(BY_PYTHON.get(python));
    }

    /** The mapping of exactly this Java class, if it is one of Pith's. */
    static Optional<ModuleClass> forJava(Class<?> java) {
        return Optional.ofNullable(BY_JAVA.get(java));
    }

    /** Whether {@code module.name} (one string) is a class Pith maps. */
    static boolean isKnown(String qualifiedName) {
        return BY_PYTHON.keySet().stream().anyMatch(g -> g.qualifiedName().equals(qualifiedName));
    }

    /** The state-dict {@code _version} of a pickled module's class (1 unless Pith knows better). */
    static int version(PyGlobal python) {
        return forPython(python).map(ModuleClass::version).orElse(1);
    }

    private static void nn(String file, String name, Class<? extends Module> java, ModuleClass.Builder builder,
                           ModuleClass.Writer writer) {
        add(NN + file, name, java, 1, List.of(), builder, writer);
    }

    private static void add(String module, String name, Class<? extends Module> java, int version,
                            List<String> requiredChildren, ModuleClass.Builder builder, ModuleClass.Writer writer) {
        ModuleClass c = new ModuleClass(new PyGlobal(module, name), java, version, requiredChildren, builder, writer);
        BY_PYTHON.put(c.python(), c);
        BY_JAVA.put(java, c);
    }

    // ---- convolutions and norms ------------------------------------------------------------------

    /** Makes a convolution's builder from in and out channels and the kernel size. */
    private interface ConvFactory {
        ConvNd.Builder<? extends ConvNd> builder(int in, int out, int[] kernel);
    }

    /** A Conv1d, Conv2d or ConvTranspose2d from {@code _ConvNd}'s attributes. */
    private static Module conv(Attributes a, int dims, boolean transposed, ConvFactory factory) {
        a.require("transposed", transposed, transposed ? "the class is a transposed convolution"
                : "a transposed convolution is a ConvTranspose" + dims + "d");
        a.require("padding_mode", "zeros", "Pith's convolutions pad with zeros only");
        ConvNd.Builder<? extends ConvNd> b = factory.builder(a.integer("in_channels"), a.integer("out_channels"),
                a.ints("kernel_size", dims));
        b.stride(a.ints("stride", dims)).dilation(a.ints("dilation", dims)).groups(a.integer("groups"))
                .bias(a.hasParameter("bias"));
        if (transposed) {
            b.outputPadding(a.ints("output_padding", dims));
        }
        if (a.isString("padding")) {
            b.padding(a.string("padding"));
        } else {
            b.padding(a.ints("padding", dims));
        }
        return b.build();
    }

    private static void conv(ConvNd c, boolean transposed, Map<String, Object> d) {
        d.put("in_channels", (long) c.inChannels());
        d.put("out_channels", (long) c.outChannels());
        d.put("kernel_size", tuple(c.kernelSize()));
        d.put("stride", tuple(c.stride()));
        d.put("padding", c.paddingString() != null ? c.paddingString() : tuple(c.padding()));
        d.put("dilation", tuple(c.dilation()));
        d.put("transposed", transposed);
        d.put("output_padding", tuple(c.outputPadding()));
        d.put("groups", (long) c.groups());
        d.put("padding_mode", "zeros");
        d.put("_reversed_padding_repeated_twice", reversedPaddingRepeatedTwice(c));
    }

    /** As {@code _ConvNd.__init__}: a tuple for numeric padding, a list for {@code 'same'}/{@code 'valid'}. */
    private static Object reversedPaddingRepeatedTwice(ConvNd c) {
        int[] k = c.kernelSize();
        int[] dil = c.dilation();
        if (c.paddingString() == null) {
            int[] p = c.padding();
            List<Object> out = new ArrayList<>();
            for (int i = p.length - 1; i >= 0; i--) {
                out.add((long) p[i]);
                out.add((long) p[i]);
            }
            return new PyTuple(out);
        }
        List<Object> out = new ArrayList<>(java.util.Collections.nCopies(2 * k.length, (Object) 0L));
        if (c.paddingString().equals("same")) {
            for (int j = 0; j < k.length; j++) {
                int i = k.length - 1 - j;
                long total = (long) dil[j] * (k[j] - 1);
                long left = total / 2;
                out.set(2 * i, left);
                out.set(2 * i + 1, total - left);
            }
        }
        return out;
    }

    private static <M extends BatchNorm> M batchNorm(BatchNorm.Builder<M> b, Attributes a) {
        return b.eps(a.real("eps")).momentum(a.optReal("momentum")).affine(a.bool("affine"))
                .trackRunningStats(a.bool("track_running_stats")).build();
    }

    private static void batchNorm(Module m, Map<String, Object> d) {
        BatchNorm bn = (BatchNorm) m;
        d.put("num_features", (long) bn.numFeatures());
        d.put("eps", bn.eps());
        d.put("momentum", bn.momentum());
        d.put("affine", bn.affine());
        d.put("track_running_stats", bn.trackRunningStats());
    }

    // ---- losses -------------------------------------------------------------------------------------

    private static Reduction reduction(Attributes a) {
        return Reduction.of(a.string("reduction"));
    }

    private static void reduction(Module m, Map<String, Object> d) {
        d.put("reduction", ((Loss) m).reduction().pyName());
    }

    /**
     * A tensor of the file's buffer {@code name}'s dtype and shape (the reader copies its values in),
     * or null where the file's buffer is None.
     */
    private static Tensor bufferLike(Attributes a, String name) {
        Tensor t = a.module().buffers().get(name);
        return t == null ? null : Tensor.zeros(t.dtype(), t.shape());
    }

    // ---- upsampling ---------------------------------------------------------------------------------

    private static Module upsample(Attributes a, SequencedMap<String, Module> children) {
        a.require("recompute_scale_factor", null, "Pith keeps the scale factor as given");
        Upsample.Builder b = Upsample.builder().mode(a.string("mode"));
        if (a.raw("size") != null) {
            b.size(a.asGiven("size"));
        } else if (a.raw("scale_factor") instanceof PyTuple t) {
            double[] factors = new double[t.size()];
            for (int i = 0; i < factors.length; i++) {
                if (!(t.get(i) instanceof Double f)) {
                    throw a.error("attribute 'scale_factor' holds " + t.get(i) + ", expected floats");
                }
                factors[i] = f;
            }
            b.scaleFactor(factors);
        } else {
            b.scaleFactor(a.real("scale_factor"));
        }
        if (a.raw("align_corners") != null) {
            b.alignCorners(a.bool("align_corners"));
        }
        try {
            return b.build();
        } catch (IllegalArgumentException e) {
            throw a.error(e.getMessage());
        }
    }

    private static void upsample(Upsample u, Map<String, Object> d) {
        d.put("name", "Upsample");
        int[] size = u.size();
        d.put("size", size == null ? null : size.length == 1 ? (Object) (long) size[0] : tuple(size));
        double[] scale = u.scaleFactor();
        if (scale == null || scale.length == 1) {
            d.put("scale_factor", scale == null ? null : scale[0]);
        } else {
            d.put("scale_factor", new PyTuple(List.of(scale[0], scale[1])));
        }
        d.put("mode", u.mode());
        d.put("align_corners", u.alignCorners());
        d.put("recompute_scale_factor", null);
    }

    // ---- pooling ------------------------------------------------------------------------------------

    private static Module maxPool2d(Attributes a, SequencedMap<String, Module> children) {
        a.require("return_indices", false, "Pith's pooling returns no indices");
        return MaxPool2d.builder(a.asGiven("kernel_size")).stride(a.asGiven("stride")).padding(a.asGiven("padding"))
                .dilation(a.asGiven("dilation")).ceilMode(a.bool("ceil_mode")).build();
    }

    private static void maxPool2d(MaxPool2d p, Map<String, Object> d) {
        d.put("kernel_size", intOrTuple(p.kernelSize()));
        d.put("stride", intOrTuple(p.stride()));
        d.put("padding", intOrTuple(p.padding()));
        d.put("dilation", intOrTuple(p.dilation()));
        d.put("return_indices", false);
        d.put("ceil_mode", p.ceilMode());
    }

    private static Module avgPool2d(Attributes a, SequencedMap<String, Module> children) {
        a.require("divisor_override", null, "Pith's AvgPool2d divides by the window size");
        return AvgPool2d.builder(a.asGiven("kernel_size")).stride(a.asGiven("stride")).padding(a.asGiven("padding"))
                .ceilMode(a.bool("ceil_mode")).countIncludePad(a.bool("count_include_pad")).build();
    }

    private static void avgPool2d(AvgPool2d p, Map<String, Object> d) {
        d.put("kernel_size", intOrTuple(p.kernelSize()));
        d.put("stride", intOrTuple(p.stride()));
        d.put("padding", intOrTuple(p.padding()));
        d.put("ceil_mode", p.ceilMode());
        d.put("count_include_pad", p.countIncludePad());
        d.put("divisor_override", null);
    }

    /** {@code output_size}: one int, or a pair whose items may be None. */
    private static Integer[] outputSize(Attributes a) {
        Object v = a.raw("output_size");
        if (v instanceof Long) {
            return new Integer[]{a.integer("output_size")};
        }
        if (v instanceof PyTuple t && t.size() == 2) {
            Integer[] out = new Integer[2];
            for (int i = 0; i < 2; i++) {
                Object item = t.get(i);
                if (item != null && !(item instanceof Long l && l > 0 && l <= Integer.MAX_VALUE)) {
                    throw a.error("output_size " + t + " is not a pair of positive ints or None");
                }
                out[i] = item == null ? null : (int) (long) (Long) item;
            }
            return out;
        }
        throw a.error("output_size is " + Attributes.describe(v) + ", expected an int or a pair");
    }

    private static Object outputSize(boolean scalar, Integer h, Integer w) {
        if (scalar) {
            return (long) h;
        }
        return PyTuple.of(h == null ? null : (long) h, w == null ? null : (long) w);
    }

    // ---- torchvision --------------------------------------------------------------------------------

    /** BasicBlock and Bottleneck: {@code downsample = None} when absent, and the block's stride. */
    private static void block(Module m, String stridedConv, Map<String, Object> d) {
        if (!m.hasChild("downsample")) {
            d.put("downsample", null);
        }
        d.put("stride", (long) m.child(stridedConv, Conv2d.class).stride()[0]);
    }

    // ---- values -------------------------------------------------------------------------------------

    private static Object dimOf(Integer dim) {
        return dim == null ? null : (long) dim;
    }

    static PyTuple tuple(int[] values) {
        List<Object> items = new ArrayList<>(values.length);
        for (int v : values) {
            items.add((long) v);
        }
        return new PyTuple(items);
    }

    /** One int when all values are equal (how such pooling layers are usually written), else a tuple. */
    private static Object intOrTuple(int[] values) {
        return Arrays.stream(values).allMatch(v -> v == values[0]) ? (Object) (long) values[0] : tuple(values);
    }
}
