"""Large-learning-rate implicit biases: the ℓ(xᵀy) family (REG-1..5), a small network
(EOS-2) and detectors of catapults and the edge of stability in trajectories."""
