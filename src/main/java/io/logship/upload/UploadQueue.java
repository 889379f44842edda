package io.logship.upload;

import io.logship.api.ApiError;
import org.apache.camel.CamelContext;
import org.apache.camel.component.seda.QueueReference;
import org.apache.camel.component.seda.SedaComponent;

/**
 * The uploads waiting for a worker (seda:uploads, UPLOAD_QUEUE_SIZE). A full queue refuses a new upload with 503
 * before it is stored, so a client's retry never duplicates an upload that was kept.
 */
public class UploadQueue {

    private final CamelContext context;
    private final String retryAfter;

    public UploadQueue(CamelContext context, long retryAfterSeconds) {
        this.context = context;
        this.retryAfter = String.valueOf(retryAfterSeconds);
    }

    public void admit() {
        QueueReference queue = context.getComponent("seda", SedaComponent.class).getQueueReference("seda://uploads");
        if (queue != null && queue.getQueue().remainingCapacity() == 0) {
            throw new ApiError(503, "queue_full", queue.getQueue().size() + " uploads are waiting to be processed"
                    + " (UPLOAD_QUEUE_SIZE); retry in " + retryAfter + " s");
        }
    }
}
