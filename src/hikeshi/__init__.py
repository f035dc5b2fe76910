"""hikeshi (火消し): prevent, detect and put out online flaming (炎上) for Japanese organisations."""

__version__ = "0.1.0"
