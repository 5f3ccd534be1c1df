package dev.blt.model;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ScoringStreamsTest {
    private static final ModelConfig CONFIG = Fixtures.weights("base").config();

    private static RowState row(int length) {
        return new RowState(new int[length], CONFIG.eosId(), CONFIG, (from, chunk) -> { });
    }

    @Test
    void rowsAreDealtLongestFirstToTheLightestGroup() {
        RowState a = row(100);
        RowState b = row(10);
        RowState c = row(50);
        RowState d = row(40);
        try (ScoringStreams two = new ScoringStreams(2); ScoringStreams three = new ScoringStreams(3)) {
            List<List<RowState>> groups = two.split(List.of(a, b, c, d));
            // 100 | 50, 40, 10: each row to the group with fewer tokens so far
            assertEquals(List.of(a), groups.get(0));
            assertEquals(List.of(c, d, b), groups.get(1));
            assertEquals(1, three.split(List.of(a)).size(), "never more groups than rows");
        }
    }

    @Test
    void theNativeThreadsAreDividedAmongTheStreamsStillRunning() throws InterruptedException {
        int before = NativeThreads.current();
        NativeThreads.set(2);
        try {
            try (ScoringStreams streams = new ScoringStreams(2)) {
                java.util.concurrent.CountDownLatch helperDone = new java.util.concurrent.CountDownLatch(1);
                java.util.concurrent.CountDownLatch bothStarted = new java.util.concurrent.CountDownLatch(2);
                int[] seen = new int[3];
                streams.run(List.of(row(5), row(6)), g -> {
                    bothStarted.countDown();
                    await(bothStarted);
                    if (Thread.currentThread().getName().equals("blt-scoring-stream")) {
                        seen[0] = NativeThreads.current();
                        helperDone.countDown();
                    } else {
                        await(helperDone);
                        // the helper hands its share back just after its work returns: wait for that, boundedly
                        long deadline = System.nanoTime() + 30_000_000_000L;
                        while (NativeThreads.current() != 2 && System.nanoTime() < deadline) {
                            Thread.onSpinWait();
                        }
                        seen[1] = NativeThreads.current();
                    }
                });
                seen[2] = NativeThreads.current();
                assertEquals(1, seen[0], "two streams running: one native thread each");
                assertEquals(2, seen[1], "the stream left alone gets both");
                assertEquals(2, seen[2], "restored after the batch");
            }
        } finally {
            NativeThreads.set(before);
        }
    }

    private static void await(java.util.concurrent.CountDownLatch latch) {
        try {
            assertTrue(latch.await(30, java.util.concurrent.TimeUnit.SECONDS));
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void everyGroupRunsOnItsOwnThreadAndAFailureReachesTheCaller() {
        try (ScoringStreams streams = new ScoringStreams(2)) {
            List<RowState> rows = List.of(row(5), row(6));
            Set<Thread> threads = ConcurrentHashMap.newKeySet();
            List<RowState> seen = java.util.Collections.synchronizedList(new ArrayList<>());
            streams.run(rows, g -> {
                threads.add(Thread.currentThread());
                seen.addAll(g);
            });
            assertEquals(2, threads.size());
            assertTrue(threads.contains(Thread.currentThread()), "the first group runs on the caller");
            assertEquals(2, seen.size());

            IllegalStateException boom = new IllegalStateException("boom");
            RuntimeException thrown = assertThrows(RuntimeException.class, () -> streams.run(rows, g -> {
                if (Thread.currentThread().getName().equals("blt-scoring-stream")) {
                    throw boom;
                }
            }));
            assertSame(boom, thrown);
        }
    }
}
