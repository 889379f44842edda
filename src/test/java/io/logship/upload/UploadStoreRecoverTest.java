package io.logship.upload;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Only uploads left over from an earlier run are resumed at start, never one accepted since. */
class UploadStoreRecoverTest {

    @TempDir
    Path data;

    @Test
    void resumesWhatTheLastRunLeftButNotWhatThisRunAccepted() throws Exception {
        UploadStore before = new UploadStore(data, 10, 1000);
        Upload leftOver = accept(before, "left-over");

        UploadStore now = new UploadStore(data, 10, 1000);
        Upload justAccepted = accept(now, "just-accepted");

        List<Upload> resumed = now.recover();
        assertEquals(List.of(leftOver.id()), resumed.stream().map(Upload::id).toList());
        assertEquals("accepted", now.status(justAccepted.id()).status());
    }

    private static Upload accept(UploadStore store, String source) throws Exception {
        Upload upload = new Upload(store.newId(), "acme", source, null, false, 2);
        Files.createDirectories(store.content(upload.id()).getParent());
        Files.writeString(store.content(upload.id()), "a\n");
        store.accept(upload);
        return upload;
    }
}
