"""Japanese text layer: normalisation with an offset map, sentence splitting, morphological analysis."""

from hikeshi.text.normalize import NormalizedText, normalize
from hikeshi.text.sentences import Sentence, split_sentences

__all__ = ["NormalizedText", "Sentence", "normalize", "split_sentences"]
