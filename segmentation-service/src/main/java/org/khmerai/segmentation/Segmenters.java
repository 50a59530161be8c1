package org.khmerai.segmentation;

import org.khmerai.segmentation.v1.Granularity;
import org.khmerai.text.segment.KhmerWordSegmenter;

/** The segmenter for each granularity a caller may ask for; compounds whole unless asked otherwise. */
public record Segmenters(KhmerWordSegmenter coarse, KhmerWordSegmenter fine) {

    public KhmerWordSegmenter forGranularity(Granularity granularity) {
        return granularity == Granularity.GRANULARITY_FINE ? fine : coarse;
    }
}
