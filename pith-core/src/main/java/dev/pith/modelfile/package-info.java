/**
 * Whole-model files: what {@code torch.save(model)} writes (the module objects themselves, not
 * only their state dict), read into Pith's Java modules and written so that the real
 * {@code torch.load} returns a working {@code nn.Module}. Nothing of a file is ever executed: the
 * pickle's module classes are inert {@link dev.pith.io.pickle.PyObject}s built from an allow-list
 * (the torch.nn layers Pith implements, the torchvision models of {@link dev.pith.models}, and the
 * classes a user registers in a {@link dev.pith.modelfile.ModuleRegistry}), then mapped to Java
 * modules from their {@code __dict__}.
 *
 * <p>The entry point is {@link dev.pith.modelfile.ModelFile}. It sits above {@code io},
 * {@code nn} and {@code models} ({@code io} never imports {@code nn}); it is Pith's
 * {@code torch.save(model)} / {@code torch.load(path)} for whole models.
 *
 * <pre>{@code
 * Module resnet = ModelFile.load(Path.of("resnet18_full.pth"));        // torchvision classes: no registry needed
 * Module net = ModelFile.load(Path.of("cifar_net_full.pth"),
 *         ModuleRegistry.create().register("__main__", "Net", CifarNet.class, CifarNet::new));
 * ModelFile.save(resnet, Path.of("copy.pth"));                          // torch.load(path) in Python gives a ResNet
 * }</pre>
 */
package dev.pith.modelfile;
