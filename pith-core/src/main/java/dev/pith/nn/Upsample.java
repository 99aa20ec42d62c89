package dev.pith.nn;

import dev.pith.nn.functional.F;
import dev.pith.tensor.Tensor;

import java.util.Objects;

/**
 * Upsamples [N, C, H, W] to a given size or by a scale factor, as {@code torch.nn.Upsample}, with
 * mode {@code "nearest"} (default) or {@code "bilinear"}. With a scale factor the output size is
 * {@code floor(size * scale)}.
 *
 * <pre>{@code
 * Upsample up = new Upsample(2.0);                                             // Upsample(scale_factor=2.0, mode=nearest)
 * Upsample bi = Upsample.builder().size(32, 32).mode("bilinear").build();      // Upsample(size=(32, 32), mode=bilinear)
 * }</pre>
 */
public class Upsample extends Module {
    private final PyInts size;
    private final double[] scaleFactor;
    private final String mode;
    private final Boolean alignCorners;

    /** Nearest-neighbour upsampling by {@code scaleFactor} in both dimensions. */
    public Upsample(double scaleFactor) {
        this(builder().scaleFactor(scaleFactor));
    }

    /** Upsampling by {@code scaleFactor} in {@code mode}. */
    public Upsample(double scaleFactor, String mode) {
        this(builder().scaleFactor(scaleFactor).mode(mode));
    }

    private Upsample(Builder b) {
        if ((b.size == null) == (b.scaleFactor == null)) {
            throw new IllegalArgumentException("either size or scale_factor should be defined, not both or neither");
        }
        if (!b.mode.equals("nearest") && !b.mode.equals("bilinear")) {
            throw new IllegalArgumentException("Upsample mode " + PyRepr.pyString(b.mode)
                    + " is not supported by Pith; use 'nearest' or 'bilinear'");
        }
        if (b.alignCorners != null && b.mode.equals("nearest")) {
            throw new IllegalArgumentException("align_corners option can only be set with the interpolating modes: "
                    + "linear | bilinear | bicubic | trilinear");
        }
        this.size = b.size;
        this.scaleFactor = b.scaleFactor;
        this.mode = b.mode;
        this.alignCorners = b.alignCorners;
        if (size != null) {
            size.expand(2);
        }
    }

    /** A builder taking PyTorch's keyword arguments. */
    public static Builder builder() {
        return new Builder();
    }

    /** {@code "nearest"} or {@code "bilinear"}. */
    public String mode() {
        return mode;
    }

    /** The output size as given (one value, or {h, w}), or null where a scale factor was given. */
    public int[] size() {
        return size == null ? null : size.values().clone();
    }

    /** The scale factor as given (one value, or {h, w}), or null where a size was given. */
    public double[] scaleFactor() {
        return scaleFactor == null ? null : scaleFactor.clone();
    }

    /** {@code align_corners} as given: null unless set (bilinear only). */
    public Boolean alignCorners() {
        return alignCorners;
    }

    /** The output size {h, w} for an input of spatial size {@code inH x inW}. */
    public int[] outputSize(long inH, long inW) {
        if (size != null) {
            return size.expand(2);
        }
        double sh = scaleFactor[0];
        double sw = scaleFactor.length == 1 ? scaleFactor[0] : scaleFactor[1];
        return new int[]{(int) Math.floor(inH * sh), (int) Math.floor(inW * sw)};
    }

    @Override
    public Tensor forward(Tensor input) {
        int[] out = outputSize(input.size(-2), input.size(-1));
        return mode.equals("nearest")
                ? F.interpolateNearest(input, out[0], out[1])
                : F.interpolateBilinear(input, out[0], out[1], alignCorners != null && alignCorners);
    }

    @Override
    protected String extraRepr() {
        String info;
        if (scaleFactor != null) {
            if (scaleFactor.length == 1) {
                info = "scale_factor=" + PyRepr.pyFloat(scaleFactor[0]);
            } else {
                info = "scale_factor=(" + PyRepr.pyFloat(scaleFactor[0]) + ", " + PyRepr.pyFloat(scaleFactor[1]) + ")";
            }
        } else {
            info = "size=" + size;
        }
        return info + ", mode=" + mode;
    }

    /** The arguments of {@link Upsample}, by PyTorch's keyword names; give a size or a scale factor. */
    public static final class Builder {
        private PyInts size;
        private double[] scaleFactor;
        private String mode = "nearest";
        private Boolean alignCorners;

        private Builder() {
        }

        /** The output size: one value (square) or {h, w}. */
        public Builder size(int... size) {
            this.size = PyInts.ofArgs(size);
            return this;
        }

        /** The multiplier: one value for both dimensions or {h, w}. */
        public Builder scaleFactor(double... scaleFactor) {
            if (scaleFactor.length != 1 && scaleFactor.length != 2) {
                throw new IllegalArgumentException("scale_factor needs 1 or 2 values, got " + scaleFactor.length);
            }
            this.scaleFactor = scaleFactor.clone();
            return this;
        }

        /** {@code "nearest"} or {@code "bilinear"}. */
        public Builder mode(String mode) {
            this.mode = Objects.requireNonNull(mode, "mode");
            return this;
        }

        /** Bilinear only: align the corner pixels of input and output (default false). */
        public Builder alignCorners(Boolean alignCorners) {
            this.alignCorners = alignCorners;
            return this;
        }

        public Upsample build() {
            return new Upsample(this);
        }
    }
}
