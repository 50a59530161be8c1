package org.khmerai.infrastructure;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class FreePortsTest {

    @Test
    void neverHandsOutTheSamePortTwice() {
        // the kernel repeats a just-released port about once in thirty binds of port 0 here
        Set<Integer> ports = new HashSet<>();
        for (int i = 0; i < 500; i++) {
            int port = FreePorts.free();
            assertThat(ports.add(port)).as("port %d handed out again after %d others", port, i).isTrue();
            assertThat(FreePorts.isFree(port)).isTrue();
        }
    }
}
