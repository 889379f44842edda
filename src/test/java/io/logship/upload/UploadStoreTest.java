package io.logship.upload;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import io.logship.api.ApiError;
import io.logship.auth.Tenant;
import io.logship.event.EventBatch;
import io.logship.event.EventEncoder;
import io.logship.fallback.Spool;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class UploadStoreTest {

    @TempDir
    Path dataDir;

    static Upload accept(UploadStore store, String content) throws Exception {
        String id = store.newId();
        Path file = store.content(id);
        Files.createDirectories(file.getParent());
        Files.writeString(file, content, StandardCharsets.UTF_8);
        Upload upload = new Upload(id, "acme", "s", null, false, Files.size(file));
        store.accept(upload);
        return upload;
    }

    /** Processes one batch as the route does: read, encode, deliver, checkpoint. */
    private static void processOneBatch(UploadStore store, Upload upload) throws Exception {
        try (UploadReader reader = store.reader(upload)) {
            LineBatch lines = reader.next();
            org.apache.camel.Exchange exchange = new org.apache.camel.support.DefaultExchange(new org.apache.camel.impl.DefaultCamelContext());
            store.read(lines, exchange);
            EventBatch batch = new EventEncoder().encode(lines);
            exchange.getMessage().setBody(batch);
            store.delivered(exchange, "logstash");
            store.checkpoint(batch, exchange);
        }
    }

    @Test
    void framesAFailedTryDeliveredAreNotSentAgainWhenTheBatchIsReadAgain() throws Exception {
        UploadStore store = new UploadStore(dataDir, 4, 1000);
        Upload upload = accept(store, "l1\nl2\nl3\nl4\nl5\n");
        org.apache.camel.CamelContext context = new org.apache.camel.impl.DefaultCamelContext();

        // first try: frame 0 (2 events) taken by Logstash, then the spool refuses frame 1
        org.apache.camel.Exchange first = readFirstBatch(store, upload, context);
        assertTrue(store.unsent(frame(first, 0)));
        store.delivered(frame(first, 0), "logstash");
        assertFalse(store.unsent(frame(first, 0)));
        store.failed(upload, new Spool.FullException("full"));

        // the same batch read again: frame 0 counts as sent and is skipped, frame 1 goes
        org.apache.camel.Exchange second = readFirstBatch(store, upload, context);
        assertFalse(store.unsent(frame(second, 0)), "delivered in the failed try");
        assertTrue(store.unsent(frame(second, 1)));
        store.delivered(frame(second, 1), "logstash");
        store.checkpoint(second.getMessage().getBody(EventBatch.class), second);
        assertEquals(4L, store.result(upload).get("received"));
        assertEquals(4L, store.result(upload).get("sent_logstash"), "each event counted once");

        // the next batch starts afresh: nothing is carried past a checkpoint
        try (UploadReader reader = store.reader(upload)) {
            org.apache.camel.Exchange third = new org.apache.camel.support.DefaultExchange(context);
            store.read(reader.next(), third);
            assertTrue(store.unsent(third));
        }
    }

    private static org.apache.camel.Exchange readFirstBatch(UploadStore store, Upload upload,
                                                          org.apache.camel.CamelContext context) throws Exception {
        try (UploadReader reader = store.reader(upload)) {
            LineBatch lines = reader.next();
            org.apache.camel.Exchange exchange = new org.apache.camel.support.DefaultExchange(context);
            store.read(lines, exchange);
            exchange.getMessage().setBody(new EventEncoder().encode(lines));
            return exchange;
        }
    }

    /** Frame {@code index} of the batch as ship's split hands it on: two events each. */
    private static org.apache.camel.Exchange frame(org.apache.camel.Exchange batch, int index) {
        org.apache.camel.Exchange frame = batch.copy();
        EventBatch events = batch.getMessage().getBody(EventBatch.class);
        frame.getMessage().setBody(events.slice(index * 2, index * 2 + 2));
        frame.setProperty(org.apache.camel.Exchange.SPLIT_INDEX, index);
        return frame;
    }

    @Test
    void aFailedUploadIsTriedAgainOnceAndOnlyWhileItsContentIsThere() throws Exception {
        UploadStore store = new UploadStore(dataDir, 2, 1000);
        Upload upload = accept(store, "l1\nl2\nl3\n");
        store.failed(upload, new IllegalStateException("a route was reloaded under it"));
        assertEquals("failed", store.result(upload).get("status"));

        assertEquals(List.of(upload), store.retryFailed());
        assertEquals("accepted", store.result(upload).get("status"));
        assertEquals(List.of(), store.retryFailed(), "queued once, not on every tick");

        store.failed(upload, new IllegalStateException("again"));
        java.nio.file.Files.delete(store.content(upload.id()));
        assertEquals(List.of(), store.retryFailed(), "nothing left to read");
    }

    @Test
    void anUnfinishedUploadOfAnEarlierRunIsRecoveredAtItsCheckpoint() throws Exception {
        UploadStore before = new UploadStore(dataDir, 2, 1000);
        Upload upload = accept(before, "l1\nl2\nl3\nl4\nl5\n");
        processOneBatch(before, upload);
        before.save(before.status(upload.id()));   // as the periodic save would have

        UploadStore after = new UploadStore(dataDir, 2, 1000);   // a restart
        List<Upload> recovered = after.recover();
        assertEquals(List.of(upload), recovered);
        assertEquals(2, after.status(upload.id()).resumeLine());
        try (UploadReader reader = after.reader(upload)) {
            LineBatch next = reader.next();
            assertEquals(3, next.lines()[0], "continues after the checkpoint, not from the start");
        }
        assertEquals(2L, after.result(upload).get("sent_logstash"));
    }

    @Test
    void completedUploadsAreNotRecovered() throws Exception {
        UploadStore before = new UploadStore(dataDir, 10, 1000);
        Upload upload = accept(before, "a\n");
        processOneBatch(before, upload);
        before.completed(upload);
        assertFalse(Files.exists(before.content(upload.id())), "the content of a completed upload is deleted");

        UploadStore after = new UploadStore(dataDir, 10, 1000);
        assertEquals(List.of(), after.recover());
        assertEquals("completed", after.result(upload).get("status"), "its status is still served");
    }

    @Test
    void uploadsThisRunAcceptedAreNotRecoveredAgain() throws Exception {
        // the resume-uploads timer runs shortly after start: an upload accepted and in progress by then
        // must not be processed a second time (its batches would reach Logstash twice)
        UploadStore store = new UploadStore(dataDir, 2, 1000);
        Upload inProgress = accept(store, "l1\nl2\nl3\nl4\n");
        processOneBatch(store, inProgress);
        UploadStatus live = store.status(inProgress.id());

        assertEquals(List.of(), store.recover());
        assertTrue(live == store.status(inProgress.id()), "the live status is not replaced by the one on disk");
        assertEquals(2L, store.result(inProgress).get("received"));
    }

    @Test
    void statusIsShownToItsTenantOnly() throws Exception {
        UploadStore store = new UploadStore(dataDir, 10, 1000);
        Upload upload = accept(store, "a\n");
        Map<String, Object> view = store.view(upload.id(), new Tenant("acme", List.of()));
        assertEquals(upload.id(), view.get("upload_id"));
        assertEquals("accepted", view.get("status"));
        ApiError other = assertThrows(ApiError.class, () -> store.view(upload.id(), new Tenant("globex", List.of("admin"))));
        assertEquals(404, other.status());
        assertEquals(404, assertThrows(ApiError.class, () -> store.view(null, new Tenant("acme", List.of()))).status());
    }

    @Test
    void anUploadDirectoryWithoutStatusIsNeverAcceptedAndIsRemovedAtStart() throws Exception {
        UploadStore before = new UploadStore(dataDir, 10, 1000);
        Upload accepted = accept(before, "a\n");
        // logship stopped after storing a content and before answering: no status.json, no 202
        Path orphan = before.content(before.newId());
        Files.createDirectories(orphan.getParent());
        Files.writeString(orphan, "never accepted\n");

        UploadStore after = new UploadStore(dataDir, 10, 1000);
        assertFalse(Files.exists(orphan.getParent()), "removed, not skipped and kept forever");
        assertEquals(List.of(accepted), after.recover());
        assertEquals(List.of(), after.recover(), "handed out once");
    }

    @Test
    void completedUploadsPastTheirRetentionLeaveMemoryAndDisk() throws Exception {
        UploadStore store = new UploadStore(dataDir, 10, 1000, java.time.Duration.ZERO, java.time.Duration.ofMillis(200),
                io.logship.monitor.LogshipMetrics.detached());
        Upload done = accept(store, "a\n");
        processOneBatch(store, done);
        store.completed(done);
        Upload unfinished = accept(store, "b\nc\n");
        assertEquals(0, store.prune(), "not yet past its retention");
        Thread.sleep(300);

        assertEquals(1, store.prune());
        assertFalse(Files.exists(store.uploadDir(done.id())));
        assertThrows(ApiError.class, () -> store.view(done.id(), new Tenant("acme", List.of())));
        assertTrue(Files.exists(store.uploadDir(unfinished.id())), "only finished uploads are pruned");
        assertEquals("accepted", store.view(unfinished.id(), new Tenant("acme", List.of())).get("status"));

        // and at start, for what an earlier run left
        Upload late = accept(store, "d\n");
        processOneBatch(store, late);
        store.completed(late);
        Thread.sleep(300);
        new UploadStore(dataDir, 10, 1000, java.time.Duration.ZERO, java.time.Duration.ofMillis(200),
                io.logship.monitor.LogshipMetrics.detached());
        assertFalse(Files.exists(store.uploadDir(late.id())));
    }

    /** A batch that fails before its checkpoint counts nothing and leaves no spool file: it is read again. */
    @Test
    void aBatchThatFailsIsCountedOnceWhenItIsReadAgain() throws Exception {
        UploadStore store = new UploadStore(dataDir, 2, 1000);
        io.logship.fallback.Spool spool = new io.logship.fallback.Spool(dataDir, 1 << 20);
        store.spool(spool);
        Upload upload = accept(store, "l1\nl2\nl3\n");
        org.apache.camel.Exchange exchange = new org.apache.camel.support.DefaultExchange(new org.apache.camel.impl.DefaultCamelContext());
        try (UploadReader reader = store.reader(upload)) {
            LineBatch lines = reader.next();
            store.read(lines, exchange);
            EventBatch batch = new EventEncoder().encode(lines);
            exchange.getMessage().setBody(batch.slice(0, 1));
            store.delivered(exchange, "elasticsearch", 1);     // part of a Bulk request: not a frame taken whole
            exchange.getMessage().setBody(batch.slice(1, 2));
            exchange.setVariable(io.logship.fallback.Spool.FILE, spool.write(batch.slice(1, 2)));
            store.spooled(exchange);
        }
        store.failed(upload, new IllegalStateException("a route was reloaded under it"));
        assertEquals(0, spool.batches(), "the failed batch's spool file is void");
        Map<String, Object> failed = store.result(upload);
        assertEquals(0L, failed.get("received"));
        assertEquals(0L, failed.get("spooled"));

        assertEquals(List.of(upload), store.retryFailed());
        processOneBatch(store, upload);
        processOneBatch(store, upload);
        Map<String, Object> done = store.result(upload);
        assertEquals(3L, done.get("received"));
        assertEquals(3L, done.get("sent_logstash"));
    }
}
