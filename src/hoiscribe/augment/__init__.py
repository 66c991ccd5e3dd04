"""Pose-pair augmentation: mirror (flip images, keypoints and side words) and reverse (swap the poses)."""
