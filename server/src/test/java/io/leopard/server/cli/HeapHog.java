package io.leopard.server.cli;

import java.util.ArrayList;
import java.util.List;

/** Allocates until the heap is full: what a JVM out of memory does under the launcher's flags. */
public final class HeapHog {
    private HeapHog() {
    }

    public static void main(String[] args) {
        List<byte[]> hoard = new ArrayList<>();
        System.out.println("allocating");
        while (true) {
            hoard.add(new byte[1 << 20]);
        }
    }
}
