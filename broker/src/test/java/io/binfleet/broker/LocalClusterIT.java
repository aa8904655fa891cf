package io.binfleet.broker;

import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.ServerSocket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A node of a local cluster that cannot start says why, from its own log. */
class LocalClusterIT {
    @Test
    void aNodeWhosePortIsTaken_failsTheStart_withTheEndOfItsLog() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            // a given port is not replaced by another one: the start fails, naming the cause
            assertThatThrownBy(() -> LocalCluster.start(1, null, taken.getLocalPort()))
                    .isInstanceOf(LocalCluster.NodeExited.class)
                    .hasMessageStartingWith("node 1 exited with ")
                    .hasMessageContaining("Address already in use")
                    .satisfies(e -> assertThat(((LocalCluster.NodeExited) e).portTaken())
                            .isTrue());
        }
    }
}
