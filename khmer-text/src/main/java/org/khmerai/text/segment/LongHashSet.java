package org.khmerai.text.segment;


/** An open-addressing set of non-zero longs: one array, no boxing, lookups without allocation. */
final class LongHashSet {

    private long[] slots;
    private int size;

    LongHashSet(int expected) {
        slots = new long[Integer.highestOneBit(Math.max(16, expected * 2) - 1) << 1];
    }

    boolean contains(long key) {
        long k = key == 0 ? 1 : key;
        int mask = slots.length - 1;
        for (int i = (int) (k ^ (k >>> 32)) & mask; ; i = (i + 1) & mask) {
            long slot = slots[i];
            if (slot == k) {
                return true;
            }
            if (slot == 0) {
                return false;
            }
        }
    }

    void add(long key) {
        long k = key == 0 ? 1 : key;
        if ((size + 1) * 2 > slots.length) {
            long[] old = slots;
            slots = new long[old.length * 2];
            size = 0;
            for (long slot : old) {
                if (slot != 0) {
                    add(slot);
                }
            }
        }
        int mask = slots.length - 1;
        for (int i = (int) (k ^ (k >>> 32)) & mask; ; i = (i + 1) & mask) {
            if (slots[i] == k) {
                return;
            }
            if (slots[i] == 0) {
                slots[i] = k;
                size++;
                return;
            }
        }
    }


}
