package org.khmerai.segmentation;

import org.khmerai.text.normalize.KhmerNormalizer;
import org.khmerai.text.segment.KhmerWordSegmenter;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;

@SpringBootApplication
public class SegmentationApplication {

    public static void main(String[] args) {
        SpringApplication.run(SegmentationApplication.class, args);
    }

    @Bean
    Segmenters segmenters() {
        return new Segmenters(KhmerWordSegmenter.shipped("coarse"), KhmerWordSegmenter.shipped("fine"));
    }

    @Bean
    KhmerNormalizer khmerNormalizer() {
        return new KhmerNormalizer();
    }
}
