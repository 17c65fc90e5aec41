"""Exports a tiny CNN with PyTorch's TorchScript-based ONNX exporter (dynamo=False), as models in
the wild are: BatchNorm in training-export form folded or not, a dynamic batch axis, and
x.view(x.size(0), -1), which the exporter writes as Shape -> Gather -> Unsqueeze -> Concat -> Reshape."""
import sys
import torch
import torch.nn as nn


class TinyCnn(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(1, 4, 3, padding=1)
        self.bn = nn.BatchNorm2d(4)
        self.pool = nn.MaxPool2d(2)
        self.fc = nn.Linear(4 * 4 * 4, 5)

    def forward(self, x):
        x = self.pool(torch.relu(self.bn(self.conv(x))))
        x = x.view(x.size(0), -1)
        return torch.log_softmax(self.fc(x), dim=1)


torch.manual_seed(0)
model = TinyCnn().eval()
with torch.no_grad():
    model.bn.running_mean.uniform_(-0.5, 0.5)
    model.bn.running_var.uniform_(0.5, 1.5)
torch.onnx.export(model, torch.randn(1, 1, 8, 8), sys.argv[1], dynamo=False, opset_version=13,
                  do_constant_folding=False, input_names=["image"], output_names=["log_probs"],
                  dynamic_axes={"image": {0: "batch"}, "log_probs": {0: "batch"}})
