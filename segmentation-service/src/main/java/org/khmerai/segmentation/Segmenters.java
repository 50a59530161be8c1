package org.khmerai.segmentation;

import org.khmerai.segmentation.v1.Granularity;
import org.khmerai.text.segment.WordSegmenter;

/** The segmenter for each granularity a caller may ask for; compounds whole unless asked otherwise. */
public record Segmenters(WordSegmenter coarse, WordSegmenter fine) {

    public WordSegmenter forGranularity(Granularity granularity) {
        return granularity == Granularity.GRANULARITY_FINE ? fine : coarse;
    }
}
