"""Training of the bundled oil-spill segmentation model (needs the optional ``[train]`` extra).

PyTorch lives here and only here: the app runs the exported ONNX file with onnxruntime.
"""
