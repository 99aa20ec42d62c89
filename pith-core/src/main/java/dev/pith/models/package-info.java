/**
 * Image classifiers whose modules, state-dict keys, shapes and printed form are torchvision 0.14's
 * (and the PyTorch tutorial's CIFAR-10 {@code Net}), so that weights saved by PyTorch load as they
 * are: {@link dev.pith.models.CifarNet}, {@link dev.pith.models.VGG}, {@link dev.pith.models.ResNet},
 * {@link dev.pith.models.MobileNetV2}. {@link dev.pith.models.Models} finds them by torchvision's
 * names. Weights are never downloaded: load a local file.
 *
 * <pre>{@code
 * Module model = Models.create("resnet18", 10);
 * model.loadStateDict(StateDict.of(Torch.load(Path.of("resnet18.pth"))));
 * model.eval();
 * Tensor logits = model.forward(images);          // [N, 3, H, W] -> [N, 10]
 * }</pre>
 */
package dev.pith.models;
