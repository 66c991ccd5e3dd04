"""Composed pose retrieval: a reference pose image plus a transition text retrieves the target pose image.

AutoComPose's training and evaluation half (on CLIP4Cir): ``data`` reads the AutoComPose
layout, ``imgsets`` fills img_set groups, ``setups`` holds the options and presets, ``items``
the training pairs per setup, ``backbone``/``openclip`` the CLIP backends, ``features`` the
image feature cache, ``combiner`` the sum, the Combiner and the losses, ``train`` the loop,
``recall`` and ``evaluate`` the metrics, ``predict`` a single query. Torch is imported by the
modules that need it, so reading data and filling groups work without the ``cpr`` extra.
"""
