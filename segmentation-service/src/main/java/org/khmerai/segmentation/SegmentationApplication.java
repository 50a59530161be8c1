package org.khmerai.segmentation;

import org.khmerai.text.normalize.KhmerNormalizer;
import org.khmerai.text.segment.IcuWordSegmenter;
import org.khmerai.text.segment.WordSegmenter;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;

@SpringBootApplication
public class SegmentationApplication {

    public static void main(String[] args) {
        SpringApplication.run(SegmentationApplication.class, args);
    }

    @Bean
    WordSegmenter wordSegmenter() {
        return new IcuWordSegmenter();
    }

    @Bean
    KhmerNormalizer khmerNormalizer() {
        return new KhmerNormalizer();
    }
}
