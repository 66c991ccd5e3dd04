"""Training data and entry points: HOI prediction and chain-of-thought exports, SFT and GRPO."""
