"""Agent tools and the geometry they share (posecodes, spatial relations)."""
