"""Model definitions shared by the interop scripts.

Import it from a script in this folder after putting the folder on the path, so that the import
works from any working directory:

    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    from tutorial_models import Net  # noqa: E402
"""
import torch
import torch.nn as nn
import torch.nn.functional as F


class Net(nn.Module):
    """The CIFAR-10 network of PyTorch's 60-minute blitz tutorial, with num_classes outputs."""

    def __init__(self, num_classes=10):
        super().__init__()
        self.conv1 = nn.Conv2d(3, 6, 5)
        self.pool = nn.MaxPool2d(2, 2)
        self.conv2 = nn.Conv2d(6, 16, 5)
        self.fc1 = nn.Linear(16 * 5 * 5, 120)
        self.fc2 = nn.Linear(120, 84)
        self.fc3 = nn.Linear(84, num_classes)

    def forward(self, x):
        x = self.pool(F.relu(self.conv1(x)))
        x = self.pool(F.relu(self.conv2(x)))
        x = torch.flatten(x, 1)
        x = F.relu(self.fc1(x))
        x = F.relu(self.fc2(x))
        return self.fc3(x)
